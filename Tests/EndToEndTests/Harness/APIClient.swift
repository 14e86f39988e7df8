import Foundation

/// An HTTP response as curl saw it.
struct HTTPResponse: Sendable {
    /// The HTTP status, 0 when curl got none.
    var status: Int
    var body: Data
    /// curl's exit status (0 unless the transfer itself failed).
    var curlStatus: Int32
    /// What the request was, for messages.
    var request: String

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The `{"__type", "Message"}` error body, when the body is one.
    var error: APIErrorBody? { try? JSONDecoder().decode(APIErrorBody.self, from: body) }

    /// The body decoded as `T`; a failure names the request, the status and the body.
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: body)
        } catch {
            throw E2EFailure("\(request) → \(status): cannot decode \(T.self): \(error)\nbody: \(text.prefix(2000))")
        }
    }

    /// Throws unless the status is `expected`.
    @discardableResult
    func expect(_ expected: Int) throws -> HTTPResponse {
        guard status == expected else {
            throw E2EFailure("\(request) → \(status) (curl exit \(curlStatus)), expected \(expected)\nbody: \(text.prefix(2000))")
        }
        return self
    }
}

/// The error body every API error carries.
struct APIErrorBody: Decodable, Sendable {
    var type: String
    var message: String

    enum CodingKeys: String, CodingKey {
        case type = "__type"
        case message = "Message"
    }
}

/// A small JSON client for the REST API that uses curl, a real HTTP peer (as a user's scripts
/// would), with `Authorization: Bearer TOKEN`. The token travels in a header file, not on the
/// command line.
struct APIClient: Sendable {
    /// How a request authenticates.
    enum Authorization: Sendable {
        /// `Bearer <the admin token>`.
        case adminToken
        /// No `Authorization` header at all.
        case none
        /// `Bearer <this>`.
        case bearer(String)
    }

    /// `http://127.0.0.1:PORT`.
    var baseURL: String
    var token: String
    /// Where request bodies and headers are staged.
    var scratchDirectory: String

    /// `method path` with `value` encoded as the JSON body.
    func send(_ method: String, _ path: String, json value: some Encodable, authorization: Authorization = .adminToken) async throws -> HTTPResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try await send(method, path, body: try encoder.encode(value), authorization: authorization)
    }

    /// `method path` with `body` sent as is (malformed on purpose, or large).
    func send(
        _ method: String, _ path: String, body: Data? = nil, authorization: Authorization = .adminToken,
        contentType: String? = "application/json"
    ) async throws -> HTTPResponse {
        let id = UUID().uuidString
        let responsePath = scratchDirectory + "/response-\(id)"
        var arguments = ["curl", "-sS", "-m", "30", "-X", method, "-o", responsePath, "-w", "%{http_code}"]
        var staged = [responsePath]
        defer { staged.forEach { try? FileManager.default.removeItem(atPath: $0) } }
        if let contentType {
            arguments += ["-H", "Content-Type: \(contentType)"]
        }
        let bearer: String? = switch authorization {
        case .adminToken: token
        case .none: nil
        case .bearer(let value): value
        }
        if let bearer {
            let headerPath = scratchDirectory + "/headers-\(id)"
            try Data("Authorization: Bearer \(bearer)\n".utf8).write(to: URL(fileURLWithPath: headerPath))
            staged.append(headerPath)
            arguments += ["-H", "@\(headerPath)"]
        }
        if let body {
            let bodyPath = scratchDirectory + "/body-\(id)"
            try body.write(to: URL(fileURLWithPath: bodyPath))
            staged.append(bodyPath)
            arguments += ["--data-binary", "@\(bodyPath)"]
        }
        arguments.append(baseURL + path)
        let output = try await Subprocess.run(arguments, timeout: .seconds(40))
        let data = FileManager.default.contents(atPath: responsePath) ?? Data()
        return HTTPResponse(
            status: Int(output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0, body: data,
            curlStatus: output.status, request: "\(method) \(path)"
        )
    }

    /// `GET path`, expecting 200, decoded as `T`.
    func get<T: Decodable>(_ path: String, as type: T.Type) async throws -> T {
        try await send("GET", path).expect(200).decode(T.self)
    }
}

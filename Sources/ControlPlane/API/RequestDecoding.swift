import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension Request {
    /// The JSON body decoded as `T`, at most ``APILimits/maximumBodyBytes``; a wrong content type,
    /// malformed JSON, a missing member or a wrong type is a 4xx that names the member.
    func decodeJSON<T: Decodable>(_ type: T.Type, context: some RequestContext) async throws -> T {
        if let contentType = headers[.contentType], !contentType.lowercased().hasPrefix("application/json") {
            throw APIError(.invalidRequest, "Content-Type must be application/json, got \(contentType)", status: .unsupportedMediaType)
        }
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: APILimits.maximumBodyBytes)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIError.from(httpError: error)
        }
        guard buffer.readableBytes > 0 else { throw APIError.invalidRequest("request body is empty; expected a JSON object") }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw APIError.invalidRequest(DecodingErrorDescription.describe(error))
        }
    }
}

/// Turns a `DecodingError` into text a user can act on: the member path and what was wrong.
enum DecodingErrorDescription {
    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "request body is not valid JSON: \(underlying(context))" }
            return "\(path(context.codingPath)) is invalid: \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])) is required, context: \(path(context.codingPath + [key]))"
        case .typeMismatch(let expected, let context):
            return "\(path(context.codingPath)) must be \(typeName(expected)), context: \(path(context.codingPath))"
        case .valueNotFound(let expected, let context):
            return "\(path(context.codingPath)) cannot be null; expected \(typeName(expected)), context: \(path(context.codingPath))"
        @unknown default:
            return "request body is invalid"
        }
    }

    private static func underlying(_ context: DecodingError.Context) -> String {
        if let underlying = context.underlyingError as NSError? {
            return underlying.userInfo[NSDebugDescriptionErrorKey] as? String ?? underlying.localizedDescription
        }
        return context.debugDescription
    }

    static func path(_ codingPath: [any CodingKey]) -> String {
        if codingPath.isEmpty { return "body" }
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is UInt64.Type: return "an integer"
        case is Double.Type: return "a number"
        case is Bool.Type: return "a boolean"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "a \(name) object"
        }
    }
}

/// How every response body of both fronts is written: sorted keys, slashes unescaped.
enum ResponseJSON {
    static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }
}

/// Encodes a response body as JSON with a status.
struct JSONResponse<Body: Encodable & Sendable>: ResponseGenerator {
    var status: HTTPResponse.Status = .ok
    var body: Body

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = try ResponseJSON.encode(body)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

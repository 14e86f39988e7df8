import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore

@testable import ControlPlane

/// Signs test requests with Signature Version 4 (the algorithm itself is checked against
/// published vectors in SigV4Tests) and sends them through the router.
struct AWSSigner: Sendable {
    var accessKeyId: String
    var secret: String
    var region = "us-east-1"
    /// The router test framework sends every request with authority `localhost`.
    var host = "localhost"

    /// The headers of a signed request, `Authorization` included.
    func sign(method: String, path: String, query: String? = nil, headers: [(String, String)], body: Data, service: String, date: Date = Date()) -> [(String, String)] {
        let amzDate = SigV4Verifier.formatAmzDate(date)
        var all = headers.map { ($0.0.lowercased(), $0.1) } + [("host", host), ("x-amz-date", amzDate)]
        all.sort { $0.0 < $1.0 }
        let signedHeaders = all.map(\.0)
        let request = SigV4Request(method: method, rawPath: path, rawQuery: query, headers: all.map { (name: $0.0, value: $0.1) }, payload: body)
        let scope = "\(amzDate.prefix(8))/\(region)/\(service)/aws4_request"
        let canonical = SigV4Canonicalization.canonicalRequest(request, signedHeaders: signedHeaders, payloadHash: SigV4Canonicalization.hexSHA256(body))
        let toSign = SigV4Canonicalization.stringToSign(canonicalRequest: canonical, amzDate: amzDate, scope: scope)
        let key = SigV4Canonicalization.signingKey(secret: secret, date: String(amzDate.prefix(8)), region: region, service: service)
        let signature = SigV4Canonicalization.signature(stringToSign: toSign, key: key)
        let authorization = "AWS4-HMAC-SHA256 Credential=\(accessKeyId)/\(scope), SignedHeaders=\(signedHeaders.joined(separator: ";")), Signature=\(signature)"
        return all + [("authorization", authorization)]
    }

    /// `POST /` with a target, signed for the target's service.
    func call(_ client: any TestClientProtocol, _ target: String, _ json: String, alter: (inout [(String, String)]) -> Void = { _ in }) async throws -> AWSResponse {
        let service = target.hasPrefix("CertificateManager.") ? "acm" : "network-firewall"
        let contentType = service == "acm" ? "application/x-amz-json-1.1" : "application/x-amz-json-1.0"
        var headers = sign(method: "POST", path: "/", headers: [("Content-Type", contentType), ("X-Amz-Target", target)], body: Data(json.utf8), service: service)
        alter(&headers)
        return try await send(client, method: .post, uri: "/", headers: headers, body: json)
    }

    func send(_ client: any TestClientProtocol, method: HTTPRequest.Method, uri: String, headers: [(String, String)], body: String?) async throws -> AWSResponse {
        var fields = HTTPFields()
        for (name, value) in headers where name != "host" { fields.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
        let response = try await client.execute(uri: uri, method: method, headers: fields, body: body.map { ByteBuffer(string: $0) })
        return AWSResponse(status: Int(response.status.code), headers: response.headers, text: String(buffer: response.body))
    }
}

/// An AWS-front response as a test sees it.
struct AWSResponse: Sendable {
    var status: Int
    var headers: HTTPFields
    var text: String

    var json: [String: any Sendable] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: any Sendable]) ?? [:]
    }

    var errorType: String? { json["__type"] as? String }

    func header(_ name: String) -> String? { headers[HTTPField.Name(name)!] }

    func value(_ path: String) -> Any? {
        APIResponse(status: status, text: text).value(path)
    }
}

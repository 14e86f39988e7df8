import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Verifies the Signature Version 4 of a live request against the stored access keys. Collects
/// the body (the signature covers its hash) and leaves it on the request for the handler.
struct SigV4Authenticator: Sendable {
    let verifier: SigV4Verifier
    let keys: AccessKeyService
    let now: @Sendable () -> Date

    /// The payload the signature covers, once it verified; throws ``SigV4Failure``. The body also
    /// stays on the request, collected.
    func authenticate(_ request: inout Request, services: Set<String>, requiredHeaders: [String] = []) async throws -> Data {
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: APILimits.maximumBodyBytes)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIError.from(httpError: error)
        }
        let signed = SigV4Request(
            method: request.method.rawValue, rawPath: request.uri.path, rawQuery: request.uri.query,
            headers: Self.headers(of: request), payload: Data(body.readableBytesView)
        )
        let keys = self.keys
        _ = try verifier.verify(signed, services: services, requiredHeaders: requiredHeaders, now: now()) { id in
            try keys.secret(of: id)
        }
        return signed.payload
    }

    /// The request's headers with lower-case names, `host` restored from the authority that
    /// HTTP/1.1's Host header became.
    private static func headers(of request: Request) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        if let authority = request.head.authority { headers.append(("host", authority)) }
        for field in request.headers {
            headers.append((field.name.canonicalName.lowercased(), field.value))
        }
        return headers
    }
}

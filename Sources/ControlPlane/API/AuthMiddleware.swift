import Foundation
import HTTPTypes
import Hummingbird

/// Every `/v1` request must carry either `Authorization: Bearer <admin token>` or a valid
/// Signature Version 4 from an access key (scoped to `network-firewall` or `acm`); anything else
/// is refused before a handler reads or writes anything. Access keys themselves are managed with
/// the admin token only. `POST /` (the AWS front) verifies its own signatures.
struct AuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: AdminToken
    let signatures: SigV4Authenticator

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/v1") else { return try await next(request, context) }
        guard let header = request.headers[.authorization] else {
            throw APIError(.missingAuthenticationToken, "missing Authorization header; send Authorization: Bearer <admin token> or sign the request with Signature Version 4", status: .unauthorized)
        }
        if header.lowercased().hasPrefix("bearer") {
            guard token.matches(String(header.dropFirst("bearer".count)).trimmingCharacters(in: .whitespaces)) else {
                throw APIError(.unrecognizedClient, "the bearer token is not valid", status: .unauthorized)
            }
            return try await next(request, context)
        }
        if request.uri.path == "/v1/access-keys" || request.uri.path.hasPrefix("/v1/access-keys/") {
            throw APIError(.unrecognizedClient, "access keys are managed with the admin token only (Authorization: Bearer <admin token>)", status: .unauthorized)
        }
        var signed = request
        do {
            _ = try await signatures.authenticate(&signed, services: SigV4Scopes.restServices)
        } catch let failure as SigV4Failure {
            throw failure.apiError
        }
        return try await next(signed, context)
    }
}

/// The signing names each front accepts in a credential scope.
enum SigV4Scopes {
    static let networkFirewall = "network-firewall"
    static let certificateManager = "acm"
    static let restServices: Set<String> = [networkFirewall, certificateManager]
}

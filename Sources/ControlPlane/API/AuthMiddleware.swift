import Foundation
import HTTPTypes
import Hummingbird

/// Every `/v1` request must carry `Authorization: Bearer <admin token>`; anything else is refused
/// with 401 before a handler reads or writes anything.
struct AuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: AdminToken

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/v1") else { return try await next(request, context) }
        guard let header = request.headers[.authorization] else {
            throw APIError(.unrecognizedClient, "missing Authorization header; send Authorization: Bearer <admin token>", status: .unauthorized)
        }
        let prefix = "Bearer "
        guard header.hasPrefix(prefix), token.matches(String(header.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)) else {
            throw APIError(.unrecognizedClient, "the bearer token is not valid", status: .unauthorized)
        }
        return try await next(request, context)
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The one place where errors become responses: ``APIError`` as it is, Hummingbird's own errors
/// (unknown route, body too large, …) mapped to the AWS shapes, anything else a logged 500 with no
/// detail for the client.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as HTTPError {
            throw APIError.from(httpError: error)
        } catch let error as any HTTPResponseError {
            throw APIError.from(status: error.status, message: "\(error)")
        } catch {
            context.logger.error("unhandled error: \(String(describing: error))")
            throw APIError(.internalServerError, "internal error", status: .internalServerError)
        }
    }
}

extension APIError {
    static func from(httpError: HTTPError) -> APIError {
        from(status: httpError.status, message: httpError.body)
    }

    static func from(status: HTTPResponse.Status, message: String?) -> APIError {
        switch status {
        case .notFound:
            return APIError(.resourceNotFound, message ?? "no such route", status: .notFound)
        case .contentTooLarge:
            return APIError(.invalidRequest, "request body exceeds the \(APILimits.maximumBodyBytes)-byte limit", status: .contentTooLarge)
        case .methodNotAllowed:
            return APIError(.unsupportedOperation, message ?? "method not allowed on this route", status: .methodNotAllowed)
        case .unauthorized:
            return APIError(.unrecognizedClient, message ?? "missing or invalid credentials", status: .unauthorized)
        default:
            if status.code >= 500 {
                return APIError(.internalServerError, "internal error", status: .internalServerError)
            }
            return APIError(.invalidRequest, message ?? status.reasonPhrase, status: status)
        }
    }
}

/// Limits the API enforces on requests.
public enum APILimits {
    /// The largest request body (a rules string is at most 2,000,000 bytes; a chain 2 MiB).
    public static let maximumBodyBytes = 8 * 1024 * 1024
}

import HTTPTypes
import Hummingbird
import Shared

/// `/v1/access-keys` routes (admin token only; see ``AuthMiddleware``).
struct AccessKeyController {
    let service: AccessKeyService

    func addRoutes<Context: RequestContext>(to routes: RouteTable<Context>) {
        routes.on(.post, "/v1/access-keys") { _, _ in
            JSONResponse(status: .created, body: try service.create())
        }
        routes.on(.get, "/v1/access-keys") { _, _ in
            JSONResponse(body: try service.list())
        }
        routes.on(.delete, "/v1/access-keys/{id}") { _, context -> HTTPResponse.Status in
            try service.delete(id: try context.parameters.required("id"))
            return .noContent
        }
    }
}

import Hummingbird
import Shared

/// `/healthz` and `/v1/workers`.
struct SystemController {
    let registry: WorkerRegistry

    struct Health: Codable, Sendable {
        var status: String
    }

    func addRoutes<Context: RequestContext>(to routes: RouteTable<Context>) {
        routes.on(.get, "/healthz") { _, _ in
            JSONResponse(body: Health(status: "ok"))
        }
        routes.on(.get, "/v1/workers") { _, _ in
            JSONResponse(body: ListWorkersOutput(Workers: await registry.summaries()))
        }
    }
}

import Hummingbird
import Shared

/// `/v1/firewall-policies` routes.
struct FirewallPolicyController {
    let service: FirewallPolicyService

    func addRoutes<Context: RequestContext>(to routes: RouteTable<Context>) {
        routes.on(.post, "/v1/firewall-policies") { request, context in
            let result = try await service.create(try await request.decodeJSON(CreateFirewallPolicyRequest.self, context: context))
            return JSONResponse(status: result.created ? .created : .ok, body: result.output)
        }
        routes.on(.get, "/v1/firewall-policies") { request, _ in
            let page = try request.pageParameters()
            return JSONResponse(body: try service.list(maxResults: page.max, nextToken: page.next))
        }
        routes.on(.get, "/v1/firewall-policies/{name}") { _, context in
            JSONResponse(body: try service.describe(name: try context.parameters.required("name")))
        }
        routes.on(.put, "/v1/firewall-policies/{name}") { request, context in
            let name = try context.parameters.required("name")
            let body = try await request.decodeJSON(UpdateFirewallPolicyRequest.self, context: context)
            return JSONResponse(body: try await service.update(name: name, request: body))
        }
        routes.on(.delete, "/v1/firewall-policies/{name}") { _, context in
            JSONResponse(body: try await service.delete(name: try context.parameters.required("name")))
        }
    }
}

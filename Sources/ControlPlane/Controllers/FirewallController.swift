import HTTPTypes
import Hummingbird
import Shared

/// `/v1/firewalls` routes.
struct FirewallController {
    let service: FirewallService

    func addRoutes<Context: RequestContext>(to routes: RouteTable<Context>) {
        routes.on(.post, "/v1/firewalls") { request, context in
            JSONResponse(status: .created, body: try await service.create(try await request.decodeJSON(CreateFirewallRequest.self, context: context)))
        }
        routes.on(.get, "/v1/firewalls") { request, _ in
            let page = try request.pageParameters()
            return JSONResponse(body: try service.list(maxResults: page.max, nextToken: page.next))
        }
        routes.on(.get, "/v1/firewalls/{name}") { _, context in
            JSONResponse(body: try await service.describe(name: try context.parameters.required("name")))
        }
        routes.on(.delete, "/v1/firewalls/{name}") { _, context in
            JSONResponse(body: try await service.delete(name: try context.parameters.required("name")))
        }
        routes.on(.put, "/v1/firewalls/{name}/policy") { request, context in
            let name = try context.parameters.required("name")
            let body = try await request.decodeJSON(AssociateFirewallPolicyRequest.self, context: context)
            return JSONResponse(body: try await service.associatePolicy(name: name, request: body))
        }
        routes.on(.put, "/v1/firewalls/{name}/delete-protection") { request, context in
            let name = try context.parameters.required("name")
            let body = try await request.decodeJSON(UpdateFirewallDeleteProtectionRequest.self, context: context)
            return JSONResponse(body: try await service.updateDeleteProtection(name: name, request: body))
        }
        routes.on(.put, "/v1/firewalls/{name}/policy-change-protection") { request, context in
            let name = try context.parameters.required("name")
            let body = try await request.decodeJSON(UpdateFirewallPolicyChangeProtectionRequest.self, context: context)
            return JSONResponse(body: try await service.updatePolicyChangeProtection(name: name, request: body))
        }
    }
}

import Hummingbird
import Shared

/// `/v1/rule-groups` routes.
struct RuleGroupController {
    let service: RuleGroupService

    func addRoutes<Context: RequestContext>(to routes: RouteTable<Context>) {
        routes.on(.post, "/v1/rule-groups") { request, context in
            let result = try await service.create(try await request.decodeJSON(CreateRuleGroupRequest.self, context: context))
            return JSONResponse(status: result.created ? .created : .ok, body: result.output)
        }
        routes.on(.get, "/v1/rule-groups") { request, _ in
            let page = try request.pageParameters()
            // No Rampart group is ever STATEFUL_DOMAIN (domain lists are STATEFUL groups, as AWS's own are;
            // the type belongs to AWS managed domain lists), so that filter is refused rather than always empty.
            let type = try request.uri.queryParameters["Type"].map { value -> RuleGroupType in
                guard let type = RuleGroupType(rawValue: String(value)), type != .STATEFUL_DOMAIN else {
                    throw APIError.invalidParameter("Type", "must be STATEFUL or STATELESS (domain lists are STATEFUL rule groups)", value: String(value), context: "Type")
                }
                return type
            }
            return JSONResponse(body: try service.list(type: type, maxResults: page.max, nextToken: page.next))
        }
        routes.on(.get, "/v1/rule-groups/{type}/{name}") { _, context in
            JSONResponse(body: try service.describe(type: try context.parameters.ruleGroupType(), name: try context.parameters.required("name")))
        }
        routes.on(.put, "/v1/rule-groups/{type}/{name}") { request, context in
            let type = try context.parameters.ruleGroupType()
            let name = try context.parameters.required("name")
            let body = try await request.decodeJSON(UpdateRuleGroupRequest.self, context: context)
            return JSONResponse(body: try await service.update(type: type, name: name, request: body))
        }
        routes.on(.delete, "/v1/rule-groups/{type}/{name}") { _, context in
            JSONResponse(body: try await service.delete(type: try context.parameters.ruleGroupType(), name: try context.parameters.required("name")))
        }
    }
}

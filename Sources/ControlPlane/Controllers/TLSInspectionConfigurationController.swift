import HTTPTypes
import Hummingbird
import Shared

/// `/v1/tls-inspection-configurations` routes.
struct TLSInspectionConfigurationController {
    let service: TLSInspectionConfigurationService

    func addRoutes<Context: RequestContext>(to routes: RouteTable<Context>) {
        routes.on(.post, "/v1/tls-inspection-configurations") { request, context in
            JSONResponse(status: .created, body: try await service.create(try await request.decodeJSON(CreateTLSInspectionConfigurationRequest.self, context: context)))
        }
        routes.on(.get, "/v1/tls-inspection-configurations") { request, _ in
            let page = try request.pageParameters()
            return JSONResponse(body: try service.list(maxResults: page.max, nextToken: page.next))
        }
        routes.on(.get, "/v1/tls-inspection-configurations/{name}") { _, context in
            JSONResponse(body: try service.describe(name: try context.parameters.required("name")))
        }
        routes.on(.put, "/v1/tls-inspection-configurations/{name}") { request, context in
            let name = try context.parameters.required("name")
            let body = try await request.decodeJSON(UpdateTLSInspectionConfigurationRequest.self, context: context)
            return JSONResponse(body: try await service.update(name: name, request: body))
        }
        routes.on(.delete, "/v1/tls-inspection-configurations/{name}") { _, context in
            JSONResponse(body: try await service.delete(name: try context.parameters.required("name")))
        }
    }
}

import HTTPTypes
import Hummingbird
import Shared

/// `/v1/certificates` routes (ACM-style).
struct CertificateController {
    let service: CertificateService

    func addRoutes<Context: RequestContext>(to routes: RouteTable<Context>) {
        routes.on(.post, "/v1/certificates") { request, context in
            JSONResponse(status: .created, body: try await service.importCertificate(try await request.decodeJSON(ImportCertificateRequest.self, context: context)))
        }
        routes.on(.get, "/v1/certificates") { request, _ in
            let page = try request.pageParameters(maxField: "MaxItems", range: 1...1000)
            return JSONResponse(body: try service.list(maxItems: page.max, nextToken: page.next))
        }
        routes.on(.get, "/v1/certificates/{id}") { _, context in
            JSONResponse(body: try service.describe(id: try context.parameters.required("id")))
        }
        routes.on(.get, "/v1/certificates/{id}/pem") { _, context in
            JSONResponse(body: try service.get(id: try context.parameters.required("id")))
        }
        routes.on(.delete, "/v1/certificates/{id}") { _, context -> HTTPResponse.Status in
            try await service.delete(id: try context.parameters.required("id"))
            return .noContent
        }
    }
}

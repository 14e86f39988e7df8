import HTTPTypes
import Hummingbird

/// One route the API serves, in OpenAPI path-template form (`/v1/firewalls/{name}`).
public struct APIRoute: Hashable, Sendable, CustomStringConvertible {
    public let method: String
    public let path: String

    public var description: String { "\(method) \(path)" }
}

/// Adds routes to a router and remembers them, so the list of served routes (checked against
/// `openapi.yaml` by a test) is the router's own, not a second copy.
final class RouteTable<Context: RequestContext> {
    let router: Router<Context>
    private(set) var routes: [APIRoute] = []

    init(router: Router<Context>) {
        self.router = router
    }

    func on(
        _ method: HTTPRequest.Method, _ path: String,
        use handler: @escaping @Sendable (Request, Context) async throws -> some ResponseGenerator
    ) {
        routes.append(APIRoute(method: method.rawValue, path: path))
        router.on(RouterPath(path), method: method, use: handler)
    }
}

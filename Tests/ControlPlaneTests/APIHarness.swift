import HTTPTypes
import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Shared
import Testing

@testable import ControlPlane

/// An in-process control plane: in-memory database, a fixed admin token, the real router.
struct APIHarness: Sendable {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let token = String(repeating: "ab", count: 32)

    let services: ResourceServices

    /// The real router over this harness's services.
    var api: RampartAPI { RampartAPI(services: services, token: AdminToken(value: Self.token)) }

    init() throws {
        let store = try ResourceStore(inMemoryWith: Self.repository.appendingPathComponent("migrations"))
        let logger = Logger(label: "test")
        services = ResourceServices(
            store: store, vault: KeyVault(key: SymmetricKey(size: .bits256)),
            arns: ARNBuilder(region: "us-east-1", account: "000000000000"),
            registry: WorkerRegistry(logger: logger), logger: logger, clock: { Date().timeIntervalSince1970 }
        )
    }

    static func fixture(_ name: String) throws -> String {
        try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
    }

    func test(_ body: @escaping @Sendable (APIClient) async throws -> Void) async throws {
        let application = Application(router: api.router)
        try await application.test(.router) { client in
            try await body(APIClient(client: client))
        }
    }
}

/// A response as a test sees it.
struct APIResponse: Sendable {
    var status: Int
    var text: String

    var json: [String: any Sendable] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: any Sendable]) ?? [:]
    }

    /// The `__type` of an error body.
    var errorType: String? { json["__type"] as? String }
    var message: String { json["Message"] as? String ?? "" }

    func value(_ path: String) -> Any? {
        var current: Any? = json
        for key in path.split(separator: ".") {
            if let index = Int(key), let array = current as? [Any] {
                current = index < array.count ? array[index] : nil
            } else {
                current = (current as? [String: Any])?[String(key)]
            }
        }
        return current
    }

    func string(_ path: String) -> String? { value(path) as? String }
}

/// Sends authenticated JSON requests through the router.
struct APIClient: Sendable {
    let client: any TestClientProtocol

    func send(_ method: HTTPRequest.Method, _ uri: String, json: String? = nil, token: String? = APIHarness.token, contentType: String = "application/json") async throws -> APIResponse {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = contentType }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
        return APIResponse(status: Int(response.status.code), text: String(buffer: response.body))
    }

    func post(_ uri: String, _ json: String) async throws -> APIResponse { try await send(.post, uri, json: json) }
    func put(_ uri: String, _ json: String) async throws -> APIResponse { try await send(.put, uri, json: json) }
    func get(_ uri: String) async throws -> APIResponse { try await send(.get, uri) }
    func delete(_ uri: String) async throws -> APIResponse { try await send(.delete, uri) }

    /// A JSON string literal of `text`.
    static func quote(_ text: String) -> String {
        String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
    }

    @discardableResult
    func createStatefulGroup(_ name: String, rules: String, capacity: Int = 10, ruleOrder: String? = nil) async throws -> APIResponse {
        let options = ruleOrder.map { #", "StatefulRuleOptions": {"RuleOrder": "\#($0)"}"# } ?? ""
        let response = try await post("/v1/rule-groups", #"{"RuleGroupName": "\#(name)", "Type": "STATEFUL", "Capacity": \#(capacity), "RuleGroup": {"RulesSource": {"RulesString": \#(Self.quote(rules))}\#(options)}}"#)
        #expect(response.status == 201, "\(response.text)")
        return response
    }

    @discardableResult
    func createPolicy(_ name: String, statefulArns: [String], extra: String = "") async throws -> APIResponse {
        let references = statefulArns.map { #"{"ResourceArn": "\#($0)"}"# }.joined(separator: ",")
        let response = try await post("/v1/firewall-policies", #"{"FirewallPolicyName": "\#(name)", "FirewallPolicy": {"StatelessDefaultActions": ["aws:forward_to_sfe"], "StatelessFragmentDefaultActions": ["aws:forward_to_sfe"], "StatefulRuleGroupReferences": [\#(references)]\#(extra)}}"#)
        #expect(response.status == 201, "\(response.text)")
        return response
    }
}


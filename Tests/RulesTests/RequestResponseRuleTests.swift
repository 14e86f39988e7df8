@testable import Rules
import Shared
import Testing

/// Rules that inspect a request's and its response's buffers together, as Suricata inspects them: once, on
/// the response, with the request of the same transaction.
@Suite("StatefulEngine: rules spanning request and response")
struct RequestResponseRuleTests {
    static let reply = packet("192.0.2.10", 80, "10.0.0.5", 40000)

    static func request(_ uri: String) -> AppTransaction {
        var part = AppTransaction(appProtocol: .http, direction: .toServer, id: 0, progress: 2)
        part.set(.httpMethod, Array("GET".utf8))
        part.set(.httpURI, Array(uri.utf8))
        return part
    }

    static func response(_ status: String, to request: AppTransaction) -> AppTransaction {
        var part = AppTransaction(appProtocol: .http, direction: .toClient, id: 0, progress: 2)
        part.set(.httpStatusCode, Array(status.utf8))
        part.set(.httpServer, Array("nginx".utf8))
        part.requestValues = request.values
        return part
    }

    static func alerts(_ engine: StatefulEngine, _ part: AppTransaction) -> [Int] {
        var state = FlowRuleState()
        var scratch = EngineScratch()
        let toServer = part.direction == .toServer
        let data = InspectionData(transactions: [part], appProtocol: .detected(.http))
        return engine.evaluate(
            toServer ? web : reply, flow: toServer ? .laterToServer : .laterToClient, data: data, state: &state, scratch: &scratch
        ).alerts.map(\.sid)
    }

    static let rules = [
        #"alert http any any -> any any (msg:"not found under /admin"; http.uri; content:"/admin"; http.stat_code; content:"404"; sid:1;)"#,
        #"alert http any any -> any any (msg:"method and server"; http.method; content:"GET"; http.server; content:"nginx"; sid:2;)"#,
        #"alert http any any -> any any (msg:"request only"; http.uri; content:"/admin"; sid:3;)"#,
    ]

    @Test func aSpanningRuleMatchesOnTheResponseWithItsRequest() throws {
        let engine = try makeEngine(Self.rules)
        let request = Self.request("/admin/login")
        #expect(Self.alerts(engine, request) == [3], "the spanning rules wait for the response")
        #expect(Self.alerts(engine, Self.response("404", to: request)) == [1, 2], "the request-only rule is not inspected again")
    }

    @Test func everyBufferMustMatchItsOwnSide() throws {
        let engine = try makeEngine(Self.rules)
        #expect(Self.alerts(engine, Self.response("200", to: Self.request("/admin"))) == [2], "the status differs")
        #expect(Self.alerts(engine, Self.response("404", to: Self.request("/public"))) == [2], "the URI differs")
        var orphan = Self.response("404", to: Self.request("/admin"))
        orphan.requestValues = []
        #expect(Self.alerts(engine, orphan).isEmpty, "a response without its request")
    }
}

import Testing
@testable import DataPlane
import Rules
import Shared

@Suite("Intercepted flow: the engine over the ClientHello and the decrypted stream")
struct InterceptedFlowTests {
    static func engine(_ rules: [String], order: RuleOrder = .DEFAULT_ACTION_ORDER, defaults: [String] = []) throws -> StatefulEngine {
        try StatefulEngine(
            rules: rules.enumerated().map { try RulesParser.parseRule($0.element, line: $0.offset + 1, variables: .defaults) },
            ruleOrder: order, defaultActions: defaults
        )
    }

    static func flow() -> InterceptedFlow {
        InterceptedFlow(id: 7, client: (IPAddress("198.18.0.2")!, 40000), server: (IPAddress("198.19.0.2")!, 443))
    }

    static let hello = AppLayerFixture.records(TLSFixtures.clientHello)

    static func request(_ path: String, host: String = "www.rampart.test") -> [UInt8] {
        Array("GET \(path) HTTP/1.1\r\nHost: \(host)\r\nUser-Agent: curl/8\r\n\r\n".utf8)
    }

    static func decrypted(_ flow: inout InterceptedFlow, _ bytes: [UInt8], _ direction: FlowDirection, _ engine: StatefulEngine) -> InterceptedFlow.Outcome {
        var scratch = EngineScratch()
        return bytes.withUnsafeBytes { flow.inspectDecrypted($0, direction: direction, engine: engine, scratch: &scratch, wallClock: 1_700_000_000) }
    }

    @Test func theSNIStageSeesTheClientHello() throws {
        let engine = try Self.engine([#"drop tls any any -> any any (msg:"blocked sni"; tls.sni; content:"rampart.test"; endswith; sid:1;)"#])
        var flow = Self.flow()
        var scratch = EngineScratch()
        let outcome = flow.inspectClientHello(Self.hello, engine: engine, scratch: &scratch, wallClock: 1_700_000_000)
        #expect(outcome.verdict == .drop)
        let alert = try #require(outcome.events.first)
        #expect(alert.alert?.signature_id == 1 && alert.alert?.action == "blocked")
        #expect(alert.tls?.sni == "www.rampart.test" && alert.app_proto == "tls")
        #expect(alert.src_ip == "198.18.0.2" && alert.dest_port == 443 && alert.flow_id == 7)
        #expect(flow.clientHello?.sni == "www.rampart.test")
    }

    @Test func httpRulesMatchInsideTLSAndTLSRulesDoNotFireAgain() throws {
        let engine = try Self.engine([
            #"alert tls any any -> any any (msg:"sni seen"; tls.sni; content:"rampart"; sid:1;)"#,
            #"drop http any any -> any any (msg:"forbidden"; http.uri; content:"/forbidden"; sid:2;)"#,
        ])
        var flow = Self.flow()
        var scratch = EngineScratch()
        let hello = flow.inspectClientHello(Self.hello, engine: engine, scratch: &scratch, wallClock: 1_700_000_000)
        #expect(hello.verdict == .none && hello.events.map { $0.alert?.signature_id } == [1])

        let allowed = Self.decrypted(&flow, Self.request("/"), .toServer, engine)
        #expect(allowed.verdict == .none)
        #expect(allowed.events.allSatisfy { $0.alert == nil }, "sid 1 does not fire on decrypted bytes: \(allowed.events)")
        _ = Self.decrypted(&flow, Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".utf8), .toClient, engine)

        let blocked = Self.decrypted(&flow, Self.request("/forbidden"), .toServer, engine)
        #expect(blocked.verdict == .drop)
        let alert = try #require(blocked.events.first { $0.alert != nil })
        #expect(alert.alert?.signature_id == 2 && alert.alert?.action == "blocked")
        #expect(alert.http?.url == "/forbidden" && alert.http?.hostname == "www.rampart.test")
        #expect(alert.tls?.sni == "www.rampart.test" && alert.pkt_src == "tls/decrypted")
    }

    @Test func aPassOnTheHandshakeDoesNotDecideTheDecryptedRequests() throws {
        // AWS: a rule at an earlier stage never decides a later one.
        let engine = try Self.engine([
            #"pass tls any any -> any any (tls.sni; content:"www.rampart.test"; sid:1;)"#,
            #"drop http any any -> any any (http.host; content:"www.rampart.test"; sid:2;)"#,
        ])
        var flow = Self.flow()
        var scratch = EngineScratch()
        #expect(flow.inspectClientHello(Self.hello, engine: engine, scratch: &scratch, wallClock: 0).verdict == .pass)
        #expect(Self.decrypted(&flow, Self.request("/"), .toServer, engine).verdict == .drop)
    }

    @Test func aPassOnDecryptedDataEndsInspection() throws {
        let engine = try Self.engine([
            #"pass http any any -> any any (http.uri; content:"/public"; sid:1;)"#,
            #"drop tcp any any -> any any (content:"secret"; sid:2;)"#,
        ])
        var flow = Self.flow()
        #expect(Self.decrypted(&flow, Self.request("/public"), .toServer, engine).verdict == .pass)
        let later = Self.decrypted(&flow, Array("secret".utf8), .toServer, engine)
        #expect(later.verdict == .pass && later.events.isEmpty)
    }

    @Test func strictOrderDefaultsApplyToTheStages() throws {
        let engine = try Self.engine(
            [#"pass tls any any -> any any (tls.sni; content:"www.rampart.test"; sid:1;)"#], order: .STRICT_ORDER,
            defaults: ["aws:drop_established"]
        )
        var flow = Self.flow()
        var scratch = EngineScratch()
        #expect(flow.inspectClientHello(Self.hello, engine: engine, scratch: &scratch, wallClock: 0).verdict == .pass)
        let request = Self.decrypted(&flow, Self.request("/"), .toServer, engine)
        #expect(request.verdict == .drop && request.reason == "aws:drop_established", "no HTTP rule allows the request")
    }

    @Test func finishLogsARequestWithoutResponse() throws {
        let engine = try Self.engine([])
        var flow = Self.flow()
        _ = Self.decrypted(&flow, Self.request("/slow"), .toServer, engine)
        let events = flow.finish(wallClock: 0)
        #expect(events.contains { $0.event_type == "http" && $0.http?.url == "/slow" && $0.tls?.sni == nil })
    }
}

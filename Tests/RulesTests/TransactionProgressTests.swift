@testable import Rules
import Shared
import Testing

@Suite("StatefulEngine: transaction progress")
struct TransactionProgressTests {
    /// A request reported as its line, then its head: each part holds every buffer known so far.
    static func requestParts() -> (line: AppTransaction, head: AppTransaction) {
        var line = AppTransaction(appProtocol: .http, direction: .toServer, id: 0, progress: 1, previousProgress: 0)
        line.set(.httpMethod, Array("GET".utf8))
        line.set(.httpURI, Array("/thus_is_a_big".utf8))
        var head = line
        head.progress = 3
        head.previousProgress = 1
        head.set(.httpUserAgent, Array("Mozilla/1.0".utf8))
        return (line, head)
    }

    static func alerts(_ engine: StatefulEngine, _ part: AppTransaction) -> [Int] {
        var state = FlowRuleState()
        var scratch = EngineScratch()
        let data = InspectionData(transactions: [part], appProtocol: .detected(.http))
        return engine.evaluate(web, flow: .laterToServer, data: data, state: &state, scratch: &scratch).alerts.map(\.sid)
    }

    @Test func eachRuleIsInspectedOnThePartThatCompletesItsBuffers() throws {
        let engine = try makeEngine([
            #"alert http any any -> any any (http.uri; content:"big"; sid:1;)"#,
            #"alert http any any -> any any (http.user_agent; content:"Mozilla"; sid:2;)"#,
            #"alert http any any -> any any (http.method; content:"GET"; http.user_agent; content:"Mozilla"; sid:3;)"#,
        ])
        let (line, head) = Self.requestParts()
        #expect(Self.alerts(engine, line) == [1], "the URI is known from the request line on")
        #expect(Self.alerts(engine, head) == [2, 3], "the URI rule was inspected already; the header rules now")
    }

    @Test func aWholeMessageInOnePartInspectsEveryRule() throws {
        let engine = try makeEngine([
            #"alert http any any -> any any (http.uri; content:"big"; sid:1;)"#,
            #"alert http any any -> any any (http.user_agent; content:"Mozilla"; sid:2;)"#,
        ])
        var whole = Self.requestParts().head
        whole.previousProgress = 0
        #expect(Self.alerts(engine, whole) == [1, 2])
    }
}

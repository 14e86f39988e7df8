@testable import Rules
import Shared
import Testing

@Suite("StatefulEngine: stream and packet payloads")
struct StreamPayloadTests {
    static let rules = [
        #"alert tcp any any -> any any (content:"abc"; sid:1;)"#,
        #"alert tcp-pkt any any -> any any (content:"abc"; sid:2;)"#,
        #"alert tcp-stream any any -> any any (content:"abc"; sid:3;)"#,
        #"alert tcp any any -> any any (flow:to_server; sid:4;)"#,
    ]

    static func alerts(payload: String, stream: String?, payloadInStream: Bool, endOfFlow: Bool = false) throws -> [Int] {
        let engine = try makeEngine(Self.rules)
        var state = FlowRuleState()
        var scratch = EngineScratch()
        let payloadBytes = Array(payload.utf8)
        let streamBytes = stream.map { Array($0.utf8) } ?? []
        return payloadBytes.withUnsafeBytes { payloadBuffer in
            streamBytes.withUnsafeBytes { streamBuffer in
                var data = InspectionData(payload: payloadBuffer, stream: stream == nil ? nil : streamBuffer)
                data.payloadInStream = payloadInStream
                data.endOfFlow = endOfFlow
                return engine.evaluate(web, flow: .laterToServer, data: data, state: &state, scratch: &scratch).alerts.map(\.sid)
            }
        }
    }

    @Test func aPayloadTakenIntoTheStreamIsInspectedThroughItsChunks() throws {
        #expect(try Self.alerts(payload: "xxabc", stream: nil, payloadInStream: true) == [2, 4], "only the packet rule sees it now")
        #expect(try Self.alerts(payload: "", stream: "abc", payloadInStream: false) == [1, 3, 4])
        #expect(try Self.alerts(payload: "abc", stream: nil, payloadInStream: false) == [1, 2, 4], "not in a stream: on its own")
    }

    @Test func theEndOfAFlowHasStreamDataButNoPacket() throws {
        #expect(try Self.alerts(payload: "", stream: "abc", payloadInStream: false, endOfFlow: true) == [1, 3])
    }
}

import Foundation
import Shared
import Testing

@Suite("Snapshot wire protocol")
struct WireTests {
    static func sampleBody(port: Int = 8080) -> SnapshotBody {
        SnapshotBody(
            policyArn: "arn:aws:network-firewall:us-east-1:000000000000:firewall-policy/p",
            stateless: StatelessSection(groups: [], defaultActions: ["aws:forward_to_sfe"], fragmentDefaultActions: ["aws:forward_to_sfe"], customActions: []),
            stateful: StatefulSection(ruleOrder: .DEFAULT_ACTION_ORDER, streamExceptionPolicy: .DROP, defaultActions: [], groups: [
                StatefulGroupEntry(arn: "arn:g", priority: nil, rules: ["drop tcp any any -> any \(port) (sid:1;)"]),
            ], tcpIdleTimeoutSeconds: 350),
            tlsInspection: nil
        )
    }

    @Test func digestIsDeterministicAndContentBound() throws {
        let one = try Snapshot.digest(of: Self.sampleBody())
        #expect(one == (try Snapshot.digest(of: Self.sampleBody())))
        #expect(one != (try Snapshot.digest(of: Self.sampleBody(port: 9090))))
        #expect(one.count == 64)
        var snapshot = try Snapshot(version: 1, firewallArn: "arn:fw", firewallName: "fw", createdAt: 0, body: Self.sampleBody())
        #expect(try snapshot.verifyDigest())
        snapshot.body.stateful.groups[0].rules[0] = "pass ip any any -> any any (sid:1;)"
        #expect(try !snapshot.verifyDigest())
    }

    @Test func framesRoundTripAcrossArbitraryChunks() throws {
        let snapshot = try Snapshot(version: 7, firewallArn: "arn:fw", firewallName: "fw", createdAt: 1, body: Self.sampleBody())
        let messages: [WireMessage] = [
            .hello(Hello(workerId: "w", host: "h", pid: 1, firewallName: "fw", queue: 0, appliedVersion: nil, appliedDigest: nil)),
            .snapshot(snapshot), .ack(Ack(version: 7, digest: snapshot.header.digest)),
            .nack(Nack(version: 7, digest: "d", reason: "r")), .stats(Stats(counters: ["packets": 3])),
            .events(Events(lines: ["{}"])), .heartbeat(Heartbeat(sentAt: 2)),
        ]
        var bytes: [UInt8] = []
        for message in messages { bytes += try WireCodec.encode(message) }
        for chunkSize in [1, 3, 64, bytes.count] {
            var decoder = FrameDecoder()
            var decoded: [WireMessage] = []
            var offset = 0
            while offset < bytes.count {
                decoder.append(bytes[offset..<min(offset + chunkSize, bytes.count)])
                offset += chunkSize
                while let message = try decoder.next() { decoded.append(message) }
            }
            #expect(decoded == messages)
        }
    }

    @Test func rejectsOversizedAndUnknownFrames() throws {
        var decoder = FrameDecoder()
        decoder.append([0x7F, 0xFF, 0xFF, 0xFF, 1])
        #expect(throws: WireError.self) { try decoder.next() }
        var unknown = FrameDecoder()
        unknown.append([0, 0, 0, 2, 99, 0x7B, 0x7D])
        #expect(throws: WireError.unknownType(99)) { try unknown.next() }
        var malformed = FrameDecoder()
        malformed.append([0, 0, 0, 2, 3, 0x7B, 0x7D])
        #expect(throws: WireError.self) { try malformed.next() }
    }
}

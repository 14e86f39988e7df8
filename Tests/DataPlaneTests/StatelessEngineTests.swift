import Testing
@testable import DataPlane
import Shared

@Suite("Stateless engine")
struct StatelessEngineTests {
    @Test func firstMatchByPriorityDecides() throws {
        // Listed out of order: priority 5 must be evaluated before priority 10.
        let engine = try StatelessEngine(section: Fixtures.stateless([[
            Fixtures.rule(10, ["aws:pass"], sources: ["10.0.0.0/8"]),
            Fixtures.rule(5, ["aws:drop"], sources: ["10.1.0.0/16"]),
        ]], defaultActions: ["aws:forward_to_sfe"]))
        #expect(engine.evaluate(Packets.udpPacket("10.1.2.3:1", "192.0.2.1:53")).action == .drop)
        #expect(engine.evaluate(Packets.udpPacket("10.2.2.3:1", "192.0.2.1:53")).action == .pass)
        let unmatched = engine.evaluate(Packets.udpPacket("172.16.0.1:1", "192.0.2.1:53"))
        #expect(unmatched.action == .forwardToSFE && unmatched.source == .defaultActions)
    }

    @Test func groupsInSnapshotOrder() throws {
        let engine = try StatelessEngine(section: Fixtures.stateless([
            [Fixtures.rule(100, ["aws:drop"], protocols: [17])],
            [Fixtures.rule(1, ["aws:pass"], protocols: [17])],
        ]))
        let outcome = engine.evaluate(Packets.udpPacket("10.0.0.1:1", "10.0.0.2:2"))
        #expect(outcome.action == .drop && outcome.source == .rule(0))
        #expect(engine.rules[0].groupArn.hasSuffix("/g0"))
    }

    @Test func portsAndProtocols() throws {
        let engine = try StatelessEngine(section: Fixtures.stateless([[
            Fixtures.rule(1, ["aws:pass"], destinationPorts: [(443, 443), (8000, 8080)], protocols: [6]),
            Fixtures.rule(2, ["aws:drop"], sourcePorts: [(0, 1023)], protocols: [17]),
            Fixtures.rule(3, ["aws:drop"], destinationPorts: [(22, 22)]),
        ]], defaultActions: ["aws:forward_to_sfe"]))
        #expect(engine.evaluate(Packets.tcpPacket("10.0.0.1:5000", "10.0.0.2:443", flags: 2)).action == .pass)
        #expect(engine.evaluate(Packets.tcpPacket("10.0.0.1:5000", "10.0.0.2:8080", flags: 2)).action == .pass)
        #expect(engine.evaluate(Packets.tcpPacket("10.0.0.1:5000", "10.0.0.2:8081", flags: 2)).action == .forwardToSFE)
        #expect(engine.evaluate(Packets.udpPacket("10.0.0.1:53", "10.0.0.2:443")).action == .drop)
        #expect(engine.evaluate(Packets.udpPacket("10.0.0.1:1024", "10.0.0.2:443")).action == .forwardToSFE)
        #expect(engine.evaluate(Packets.tcpPacket("10.0.0.1:5000", "10.0.0.2:22", flags: 2)).action == .drop)
        // Port ranges never match protocols without ports.
        #expect(engine.evaluate(Packets.ping("10.0.0.1", "10.0.0.2")).action == .forwardToSFE)
    }

    @Test func addressesV4AndV6() throws {
        let engine = try StatelessEngine(section: Fixtures.stateless([[
            Fixtures.rule(1, ["aws:drop"], destinations: ["2001:db8::/32"]),
            Fixtures.rule(2, ["aws:pass"], sources: ["0.0.0.0/0"], destinations: ["198.51.100.7/32"]),
        ]], defaultActions: ["aws:forward_to_sfe"]))
        #expect(engine.evaluate(Packets.tcpPacket("[2001:db9::1]:1", "[2001:db8::5]:2", flags: 2)).action == .drop)
        #expect(engine.evaluate(Packets.tcpPacket("[2001:db9::1]:1", "[2001:db9::5]:2", flags: 2)).action == .forwardToSFE)
        #expect(engine.evaluate(Packets.udpPacket("10.9.9.9:1", "198.51.100.7:2")).action == .pass)
        // A v4 0.0.0.0/0 does not match v6 packets.
        #expect(engine.evaluate(Packets.udpPacket("[::1]:1", "[::2]:2")).action == .forwardToSFE)
    }

    struct FlagCase: Sendable, CustomTestStringConvertible {
        var flags: [TCPFlag]
        var masks: [TCPFlag]?
        var packetFlags: UInt8
        var matches: Bool
        var testDescription: String { "flags \(flags.map(\.rawValue)) masks \(masks?.map(\.rawValue) ?? ["-"]) packet \(packetFlags) → \(matches)" }
    }

    @Test(arguments: [
        FlagCase(flags: [.SYN], masks: [.SYN, .ACK], packetFlags: 0x02, matches: true), // SYN only
        FlagCase(flags: [.SYN], masks: [.SYN, .ACK], packetFlags: 0x12, matches: false), // SYN-ACK
        FlagCase(flags: [.SYN], masks: [.SYN, .ACK], packetFlags: 0x02 | 0x08, matches: true), // PSH not masked
        FlagCase(flags: [.SYN], masks: nil, packetFlags: 0x02, matches: true), // absent masks: all flags
        FlagCase(flags: [.SYN], masks: nil, packetFlags: 0x12, matches: false),
        FlagCase(flags: [.SYN], masks: [], packetFlags: 0x0A, matches: false), // empty masks: all flags
        FlagCase(flags: [], masks: [.RST], packetFlags: 0x10, matches: true), // RST must be clear
        FlagCase(flags: [], masks: [.RST], packetFlags: 0x14, matches: false),
        FlagCase(flags: [.FIN, .ACK], masks: [.FIN, .ACK], packetFlags: 0x11, matches: true),
        FlagCase(flags: [.ECE, .CWR], masks: [.ECE, .CWR], packetFlags: 0xC2, matches: true),
    ])
    func tcpFlagMasks(_ flagCase: FlagCase) throws {
        let engine = try StatelessEngine(section: Fixtures.stateless([[
            Fixtures.rule(1, ["aws:drop"], tcpFlags: [TCPFlagField(Flags: flagCase.flags, Masks: flagCase.masks)]),
        ]], defaultActions: ["aws:pass"]))
        #expect(engine.dependsOnTCPFlags)
        let packet = Packets.tcpPacket("10.0.0.1:1", "10.0.0.2:2", flags: flagCase.packetFlags)
        #expect((engine.evaluate(packet).action == .drop) == flagCase.matches)
    }

    @Test func tcpFlagRulesDoNotMatchOtherProtocols() throws {
        let engine = try StatelessEngine(section: Fixtures.stateless([[
            Fixtures.rule(1, ["aws:drop"], tcpFlags: [TCPFlagField(Flags: [], Masks: [.SYN])]),
        ]], defaultActions: ["aws:pass"]))
        #expect(engine.evaluate(Packets.udpPacket("10.0.0.1:1", "10.0.0.2:2")).action == .pass)
    }

    @Test func cacheabilityFollowsTCPFlagsUse() throws {
        let plain = try StatelessEngine(section: Fixtures.stateless([[Fixtures.rule(1, ["aws:pass"], protocols: [6])]]))
        #expect(!plain.dependsOnTCPFlags)
        let flagged = try StatelessEngine(section: Fixtures.stateless([[
            Fixtures.rule(1, ["aws:pass"], tcpFlags: [TCPFlagField(Flags: [.SYN], Masks: nil)]),
        ]]))
        #expect(flagged.dependsOnTCPFlags)
    }

    @Test func fragments() throws {
        let engine = try StatelessEngine(section: Fixtures.stateless(
            [[Fixtures.rule(1, ["aws:pass"], destinationPorts: [(53, 53)])]],
            defaultActions: ["aws:forward_to_sfe"], fragmentDefaultActions: ["aws:drop"]
        ))
        let datagram = Packets.udp(sourcePort: 4000, destinationPort: 9999, payload: Array(repeating: 0, count: 40))
        let first = Packets.decode(Packets.ipv4(
            source: "10.0.0.1", destination: "10.0.0.2", protocol: 17, payload: Array(datagram[0..<24]), moreFragments: true
        ))
        let later = Packets.decode(Packets.ipv4(
            source: "10.0.0.1", destination: "10.0.0.2", protocol: 17, payload: Array(datagram[24...]), fragmentOffset: 24
        ))
        #expect(engine.evaluate(first).source == .fragmentDefaultActions)
        #expect(engine.evaluate(first).action == .drop)
        #expect(engine.evaluate(later).source == .fragmentDefaultActions)
        // A first UDP fragment to port 53 still matches the port rule.
        let dnsFirst = Packets.decode(Packets.ipv4(
            source: "10.0.0.1", destination: "10.0.0.2", protocol: 17,
            payload: Array(Packets.udp(sourcePort: 4000, destinationPort: 53, payload: Array(repeating: 0, count: 40))[0..<24]),
            moreFragments: true
        ))
        #expect(engine.evaluate(dnsFirst).action == .pass)
        // Non-first fragments of other protocols are dropped whatever the defaults say.
        let tcpLater = Packets.decode(Packets.ipv4(
            source: "10.0.0.1", destination: "10.0.0.2", protocol: 6, payload: Array(repeating: 0, count: 16), fragmentOffset: 1480
        ))
        let outcome = engine.evaluate(tcpLater)
        #expect(outcome.action == .drop && outcome.source == .unsupportedFragment)
    }

    @Test func customActionsPublishMetrics() throws {
        let engine = try StatelessEngine(section: Fixtures.stateless(
            [[Fixtures.rule(1, ["aws:pass", "CountWeb"], destinationPorts: [(80, 80)])]],
            defaultActions: ["aws:forward_to_sfe", "CountRest"],
            groupCustomActions: [Fixtures.metricAction("CountWeb", "web")],
            customActions: [Fixtures.metricAction("CountRest", "rest")]
        ))
        #expect(engine.metricNames == ["web", "rest"])
        let web = engine.evaluate(Packets.tcpPacket("10.0.0.1:1", "10.0.0.2:80", flags: 2))
        #expect(engine.metrics(of: web).map { engine.metricNames[$0] } == ["web"])
        let other = engine.evaluate(Packets.tcpPacket("10.0.0.1:1", "10.0.0.2:81", flags: 2))
        #expect(engine.metrics(of: other).map { engine.metricNames[$0] } == ["rest"])
    }

    @Test(arguments: [
        (["aws:pass", "aws:drop"], "MultipleStandardActions"),
        (["Nope"], "UnknownAction"),
        ([String](), "MissingStandardAction"),
    ])
    func badActionsAreRefused(actions: [String], code: String) {
        #expect {
            _ = try StatelessEngine(section: Fixtures.stateless([[Fixtures.rule(1, actions)]]))
        } throws: { error in
            (error as? StatelessRuleError)?.code == code
        }
    }

    @Test func badMatchAttributesAreRefused() {
        #expect(throws: StatelessRuleError.self) {
            _ = try StatelessEngine(section: Fixtures.stateless([[Fixtures.rule(1, ["aws:pass"], sources: ["10.0.0.0/33"])]]))
        }
        #expect(throws: StatelessRuleError.self) {
            _ = try StatelessEngine(section: Fixtures.stateless([[Fixtures.rule(1, ["aws:pass"], destinationPorts: [(90, 80)])]]))
        }
        #expect(throws: StatelessRuleError.self) {
            _ = try StatelessEngine(section: Fixtures.stateless([[
                Fixtures.rule(1, ["aws:pass"], tcpFlags: [TCPFlagField(Flags: [.SYN], Masks: [.ACK])]),
            ]]))
        }
        #expect(throws: StatelessRuleError.self) {
            _ = try StatelessEngine(section: Fixtures.stateless(defaultActions: ["aws:pass", "Undefined"]))
        }
    }

    @Test func reverseEvaluationSwapsEnds() throws {
        let engine = try StatelessEngine(section: Fixtures.stateless([[
            Fixtures.rule(1, ["aws:pass"], sources: ["10.0.0.0/24"], destinationPorts: [(80, 80)]),
        ]], defaultActions: ["aws:drop"]))
        let request = Packets.tcpPacket("10.0.0.1:5000", "10.9.0.1:80", flags: 2)
        #expect(engine.evaluate(request).action == .pass)
        #expect(engine.evaluateReverse(of: request).action == .drop)
    }
}

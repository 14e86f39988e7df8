import Testing
@testable import DataPlane
import Shared

/// Drives a processor with decoded packets at a fixed clock.
struct ProcessorHarness {
    var processor: PacketProcessor
    var snapshot: CompiledSnapshot?
    var events: [EveEvent] = []
    var now = 100.0
    let wallClock = 1_700_000_000.25

    init(_ snapshot: CompiledSnapshot?, configuration: PacketProcessorConfiguration = PacketProcessorConfiguration()) {
        processor = PacketProcessor(configuration: configuration, firstFlowID: 42)
        self.snapshot = snapshot
    }

    mutating func send(_ packet: DecodedPacket) -> Verdict {
        now += 0.001
        return processor.process(packet, snapshot: snapshot, now: now, wallClock: wallClock, events: &events)
    }

    mutating func send(bytes: [UInt8]) -> Verdict {
        now += 0.001
        return bytes.withUnsafeBytes { buffer in
            processor.process(bytes: buffer, snapshot: snapshot, now: now, wallClock: wallClock, events: &events)
        }
    }

    mutating func takeEvents() -> [EveEvent] {
        defer { events.removeAll() }
        return events
    }
}

@Suite("Packet processor: stateless path and bookkeeping")
struct PacketProcessorTests {
    @Test func noSnapshotFailsClosedOrOpen() {
        var closed = ProcessorHarness(nil)
        #expect(closed.send(Packets.udpPacket("10.0.0.1:1", "10.0.0.2:2")) == .drop)
        #expect(closed.processor.currentCounters.noSnapshot == 1)
        #expect(closed.processor.currentCounters.dropped == 1)
        #expect(closed.events.isEmpty)

        var open = ProcessorHarness(nil, configuration: PacketProcessorConfiguration(failOpen: true))
        #expect(open.send(Packets.udpPacket("10.0.0.1:1", "10.0.0.2:2")) == .accept)
        #expect(open.processor.currentCounters.accepted == 1)
    }

    @Test func malformedPacketsAreCountedAndDroppedByDefault() {
        let snapshot = Fixtures.compiled(Fixtures.snapshot(stateless: Fixtures.stateless(defaultActions: ["aws:pass"])))
        var harness = ProcessorHarness(snapshot)
        #expect(harness.send(bytes: [0x45, 0, 0]) == .drop)
        #expect(harness.processor.currentCounters.decodeErrors == 1)
        var lenient = ProcessorHarness(snapshot, configuration: PacketProcessorConfiguration(dropMalformed: false))
        #expect(lenient.send(bytes: [0x99]) == .accept)
        #expect(lenient.processor.currentCounters.decodeErrors == 1)
    }

    @Test func statelessPassBothWaysIsOffloadedAtOnce() {
        let snapshot = Fixtures.compiled(Fixtures.snapshot(stateless: Fixtures.stateless(
            [[Fixtures.rule(1, ["aws:pass"], protocols: [17])]], defaultActions: ["aws:drop"]
        )))
        var harness = ProcessorHarness(snapshot)
        #expect(harness.send(Packets.udpPacket("10.0.0.1:1000", "10.0.0.2:53")) == .acceptFlow)
        #expect(harness.processor.currentCounters.offloaded == 1)
        #expect(harness.events.isEmpty)
    }

    @Test func statelessPassOneWayOnlyIsNotOffloaded() {
        let snapshot = Fixtures.compiled(Fixtures.snapshot(stateless: Fixtures.stateless(
            [[Fixtures.rule(1, ["aws:pass"], destinationPorts: [(53, 53)], protocols: [17])]], defaultActions: ["aws:drop"]
        )))
        var harness = ProcessorHarness(snapshot)
        #expect(harness.send(Packets.udpPacket("10.0.0.1:1000", "10.0.0.2:53")) == .accept)
        #expect(harness.send(Packets.udpPacket("10.0.0.2:53", "10.0.0.1:1000")) == .drop)
        let events = harness.takeEvents()
        #expect(events.count == 1)
        #expect(events.first?.drop?.reason == "aws:drop")
        #expect(harness.processor.currentCounters.offloaded == 0)
    }

    @Test func statelessDropRuleBothWaysDropsTheFlow() throws {
        let snapshot = Fixtures.compiled(Fixtures.snapshot(stateless: Fixtures.stateless(
            [[Fixtures.rule(1, ["aws:drop"], protocols: [6])]], defaultActions: ["aws:pass"]
        )))
        var harness = ProcessorHarness(snapshot)
        #expect(harness.send(Packets.tcpPacket("10.0.0.1:40000", "10.0.0.2:22", flags: Packets.syn)) == .dropFlow)
        let event = try #require(harness.takeEvents().first)
        #expect(event.event_type == "drop")
        #expect(event.drop?.reason == "stateless")
        #expect(event.flow_id == 42)
        #expect(harness.processor.currentCounters.dropped == 1)
    }

    @Test func tcpFlagRulesKeepFlowsInTheQueue() {
        let snapshot = Fixtures.compiled(Fixtures.snapshot(stateless: Fixtures.stateless(
            [[Fixtures.rule(1, ["aws:pass"], tcpFlags: [TCPFlagField(Flags: [], Masks: [.RST])])]], defaultActions: ["aws:drop"]
        )))
        var harness = ProcessorHarness(snapshot)
        #expect(harness.send(Packets.tcpPacket("10.0.0.1:40000", "10.0.0.2:80", flags: Packets.syn)) == .accept)
        #expect(harness.send(Packets.tcpPacket("10.0.0.2:80", "10.0.0.1:40000", flags: Packets.synAck)) == .accept)
        #expect(harness.send(Packets.tcpPacket("10.0.0.2:80", "10.0.0.1:40000", flags: Packets.rst)) == .drop)
        #expect(harness.processor.currentCounters.offloaded == 0)
    }

    @Test func dropEventCarriesThePacketFields() throws {
        let snapshot = Fixtures.compiled(Fixtures.snapshot(stateless: Fixtures.stateless(defaultActions: ["aws:drop"])))
        var harness = ProcessorHarness(snapshot)
        let bytes = Packets.ipv4(
            source: "198.18.0.10", destination: "198.19.0.2", protocol: 6, payload: Packets.tcp(
                sourcePort: 40000, destinationPort: 8080, flags: Packets.syn, sequence: 7777, acknowledgement: 0, window: 29200
            ), ttl: 61, id: 4321
        )
        _ = harness.send(bytes: bytes)
        let event = try #require(harness.takeEvents().first)
        #expect(event.timestamp == "2023-11-14T22:13:20.250000+0000")
        #expect(event.src_ip == "198.18.0.10" && event.src_port == 40000)
        #expect(event.dest_ip == "198.19.0.2" && event.dest_port == 8080)
        #expect(event.proto == "TCP")
        let drop = try #require(event.drop)
        #expect(drop.len == bytes.count && drop.ttl == 61 && drop.ipid == 4321)
        #expect(drop.tcpseq == 7777 && drop.tcpwin == 29200)
        #expect(drop.syn == true && drop.ack == false)
        #expect(drop.reason == "aws:drop")
    }

    @Test func icmpDropEventHasNoPorts() throws {
        let snapshot = Fixtures.compiled(Fixtures.snapshot(stateless: Fixtures.stateless(defaultActions: ["aws:drop"])))
        var harness = ProcessorHarness(snapshot)
        _ = harness.send(Packets.ping("10.0.0.1", "10.0.0.2"))
        let event = try #require(harness.takeEvents().first)
        #expect(event.proto == "ICMP" && event.src_port == nil && event.dest_port == nil)
        #expect(event.drop?.tcpseq == nil && event.drop?.syn == nil)
    }

    @Test func customActionMetricsCountEveryPacketAndSurviveReloads() {
        let section = Fixtures.stateless(
            [[Fixtures.rule(1, ["aws:pass", "CountDNS"], destinationPorts: [(53, 53)])]],
            defaultActions: ["aws:drop"], groupCustomActions: [Fixtures.metricAction("CountDNS", "dns")]
        )
        var harness = ProcessorHarness(Fixtures.compiled(Fixtures.snapshot(stateless: section)))
        _ = harness.send(Packets.udpPacket("10.0.0.1:1000", "10.0.0.2:53"))
        _ = harness.send(Packets.udpPacket("10.0.0.1:1000", "10.0.0.2:53"))
        _ = harness.send(Packets.udpPacket("10.0.0.1:1001", "10.0.0.2:53"))
        #expect(harness.processor.currentCounters.customMetrics["dns"] == 3)
        harness.snapshot = Fixtures.compiled(Fixtures.snapshot(version: 2, stateless: section))
        _ = harness.send(Packets.udpPacket("10.0.0.1:1000", "10.0.0.2:53"))
        #expect(harness.processor.currentCounters.customMetrics["dns"] == 4)
        #expect(harness.processor.currentCounters.dictionary["customAction.dns"] == 4)
    }

    @Test func snapshotSwapInvalidatesCachedStatelessOutcomes() {
        let passAll = Fixtures.stateless([[Fixtures.rule(1, ["aws:pass"], destinationPorts: [(53, 53)])]], defaultActions: ["aws:drop"])
        let dropAll = Fixtures.stateless(defaultActions: ["aws:drop"])
        var harness = ProcessorHarness(Fixtures.compiled(Fixtures.snapshot(stateless: passAll)))
        #expect(harness.send(Packets.udpPacket("10.0.0.1:1000", "10.0.0.2:53")) == .accept)
        harness.snapshot = Fixtures.compiled(Fixtures.snapshot(version: 2, stateless: dropAll))
        #expect(harness.send(Packets.udpPacket("10.0.0.1:1000", "10.0.0.2:53")) == .dropFlow)
    }

    @Test func snapshotTCPTimeoutDrivesFlowAgeing() {
        let snapshot = Fixtures.compiled(Fixtures.snapshot(
            stateless: Fixtures.stateless(defaultActions: ["aws:pass"], fragmentDefaultActions: ["aws:pass"]),
            stateful: Fixtures.stateful(tcpIdleTimeout: 20)
        ))
        var harness = ProcessorHarness(snapshot)
        _ = harness.send(Packets.tcpPacket("10.0.0.1:1", "10.0.0.2:2", flags: Packets.syn))
        #expect(harness.processor.flows.count == 1)
        harness.processor.expireFlows(now: harness.now + 19)
        #expect(harness.processor.flows.count == 1)
        harness.processor.expireFlows(now: harness.now + 21)
        #expect(harness.processor.flows.count == 0)
    }

    @Test func countersAddUp() {
        let snapshot = Fixtures.compiled(Fixtures.snapshot(stateless: Fixtures.stateless(
            [[Fixtures.rule(1, ["aws:drop"], destinationPorts: [(23, 23)])]], defaultActions: ["aws:pass"]
        )))
        var harness = ProcessorHarness(snapshot)
        _ = harness.send(Packets.tcpPacket("10.0.0.1:1", "10.0.0.2:23", flags: Packets.syn))
        _ = harness.send(Packets.tcpPacket("10.0.0.1:1", "10.0.0.2:80", flags: Packets.syn))
        _ = harness.send(bytes: [1, 2, 3])
        let counters = harness.processor.currentCounters
        #expect(counters.packets == 3)
        #expect(counters.accepted + counters.dropped + counters.rejected == 3)
        #expect(counters.decodeErrors == 1)
        #expect(counters.flows == 2)
    }
}

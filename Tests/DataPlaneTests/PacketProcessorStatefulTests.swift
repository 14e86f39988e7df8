import Testing
@testable import DataPlane
import Rules
import Shared

@Suite("Packet processor: stateful rules end to end")
struct PacketProcessorStatefulTests {
    static let client = "198.18.0.10:40000"

    static func harness(
        _ rules: [String], order: RuleOrder = .DEFAULT_ACTION_ORDER, defaultActions: [String] = [],
        stateless: StatelessSection = Fixtures.stateless()
    ) -> ProcessorHarness {
        ProcessorHarness(Fixtures.compiled(Fixtures.snapshot(
            stateless: stateless, stateful: Fixtures.stateful(rules, order: order, defaultActions: defaultActions)
        )))
    }

    @Test func dropRuleDropsTheFlowWithAlertAndDropEvents() throws {
        var harness = Self.harness([#"drop tcp any any -> any 23 (msg:"telnet"; classtype:policy-violation; sid:1; rev:2;)"#])
        #expect(harness.send(Packets.tcpPacket(Self.client, "198.19.0.2:23", flags: Packets.syn)) == .dropFlow)
        let events = harness.takeEvents()
        #expect(events.map(\.event_type) == ["alert", "drop"])
        let alert = try #require(events.first?.alert)
        #expect(alert.action == "blocked" && alert.signature_id == 1 && alert.rev == 2 && alert.gid == 1)
        #expect(alert.signature == "telnet")
        #expect(alert.category == "Potential Corporate Privacy Violation" && alert.severity == 1)
        #expect(events[1].drop?.reason == "rules")
        #expect(events[0].flow_id == events[1].flow_id)
        #expect(events[0].src_ip == "198.18.0.10" && events[0].dest_port == 23 && events[0].proto == "TCP")

        // A retransmitted SYN that still reaches the queue: dropped by the flow's verdict, logged once.
        #expect(harness.send(Packets.tcpPacket(Self.client, "198.19.0.2:23", flags: Packets.syn)) == .dropFlow)
        let again = harness.takeEvents()
        #expect(again.count == 1 && again.first?.drop?.reason == "flow drop")
        #expect(harness.send(Packets.tcpPacket(Self.client, "198.19.0.2:23", flags: Packets.syn)) == .dropFlow)
        #expect(harness.takeEvents().isEmpty)
        let counters = harness.processor.currentCounters
        #expect(counters.alerts == 1 && counters.dropped == 3 && counters.offloaded == 1)
    }

    @Test func ipOnlyAlertRuleAlertsThenTheFlowLeavesTheQueue() throws {
        // Without `flow`, an L3/L4 rule is IP-only (AWS): inspected on the first packet of each direction.
        var harness = Self.harness([#"alert tcp any any -> any 80 (msg:"web"; classtype:trojan-activity; sid:2; rev:3;)"#])
        #expect(harness.send(Packets.tcpPacket(Self.client, "198.19.0.2:80", flags: Packets.syn)) == .accept)
        let alert = try #require(harness.takeEvents().first?.alert)
        #expect(alert.action == "allowed" && alert.signature_id == 2 && alert.rev == 3)
        #expect(alert.category == "A Network Trojan was detected" && alert.severity == 1)
        #expect(harness.send(Packets.tcpPacket("198.19.0.2:80", Self.client, flags: Packets.synAck)) == .acceptFlow)
        #expect(harness.takeEvents().isEmpty)
        #expect(harness.processor.currentCounters.alerts == 1)
        #expect(harness.processor.currentCounters.offloaded == 1)
    }

    @Test func flowAlertRuleKeepsTheFlowInspected() throws {
        var harness = Self.harness([#"alert tcp any any -> any 80 (msg:"web"; flow:to_server,established; sid:8;)"#])
        #expect(harness.send(Packets.tcpPacket(Self.client, "198.19.0.2:80", flags: Packets.syn)) == .accept)
        #expect(harness.send(Packets.tcpPacket("198.19.0.2:80", Self.client, flags: Packets.synAck)) == .accept)
        #expect(harness.takeEvents().isEmpty)
        #expect(harness.send(Packets.tcpPacket(Self.client, "198.19.0.2:80", flags: Packets.ack)) == .accept)
        #expect(harness.takeEvents().isEmpty, "the ACK completing the handshake is not established yet")
        #expect(harness.send(Packets.tcpPacket(Self.client, "198.19.0.2:80", flags: Packets.pshAck, payload: [1])) == .accept)
        #expect(harness.takeEvents().first?.alert?.signature_id == 8)
        #expect(harness.send(Packets.tcpPacket(Self.client, "198.19.0.2:80", flags: Packets.pshAck, payload: [2])) == .accept)
        #expect(harness.takeEvents().count == 1)
        #expect(harness.processor.currentCounters.offloaded == 0)
    }

    @Test func passRuleOffloadsTheFlowAtOnce() {
        var harness = Self.harness([
            "pass tcp any any -> any 443 (sid:3;)",
            #"drop tcp any any -> any any (msg:"everything else"; sid:4;)"#,
        ])
        #expect(harness.send(Packets.tcpPacket(Self.client, "198.19.0.2:443", flags: Packets.syn)) == .acceptFlow)
        #expect(harness.events.isEmpty)
        #expect(harness.send(Packets.tcpPacket("198.18.0.10:40001", "198.19.0.2:8443", flags: Packets.syn)) == .dropFlow)
    }

    @Test func rejectRuleRejectsThenDropsTheRest() {
        var harness = Self.harness([#"reject tcp any any -> any 25 (msg:"smtp"; sid:5;)"#])
        #expect(harness.send(Packets.tcpPacket(Self.client, "198.19.0.2:25", flags: Packets.syn)) == .reject)
        let events = harness.takeEvents()
        #expect(events.map(\.event_type) == ["alert", "drop"])
        #expect(events.first?.alert?.action == "blocked")
        #expect(harness.send(Packets.tcpPacket(Self.client, "198.19.0.2:25", flags: Packets.syn)) == .drop)
        #expect(harness.takeEvents().first?.drop?.reason == "flow drop")
        #expect(harness.processor.currentCounters.rejected == 1)
    }

    @Test func flowWithNoRelevantRuleLeavesTheQueueOnceBothWaysSeen() {
        var harness = Self.harness([#"drop tcp any any -> any 23 (sid:1;)"#])
        #expect(harness.send(Packets.udpPacket("198.18.0.10:5353", "198.19.0.53:53")) == .accept)
        #expect(harness.send(Packets.udpPacket("198.19.0.53:53", "198.18.0.10:5353")) == .acceptFlow)
        #expect(harness.processor.currentCounters.offloaded == 1)
    }

    @Test func statelessPassBypassesTheStatefulRules() {
        var harness = Self.harness(
            [#"drop tcp any any -> any 23 (msg:"telnet"; sid:1;)"#],
            stateless: Fixtures.stateless([[Fixtures.rule(1, ["aws:pass"], destinationPorts: [(23, 23)])]])
        )
        #expect(harness.send(Packets.tcpPacket(Self.client, "198.19.0.2:23", flags: Packets.syn)) == .accept)
        #expect(harness.events.isEmpty)
    }

    @Test func strictOrderDropEstablishedDropsPerPacket() {
        var harness = Self.harness(
            ["pass tcp any any -> any 8080 (sid:6;)"], order: .STRICT_ORDER, defaultActions: ["aws:drop_established"]
        )
        #expect(harness.send(Packets.tcpPacket(Self.client, "198.19.0.2:9000", flags: Packets.syn)) == .accept)
        #expect(harness.send(Packets.tcpPacket("198.19.0.2:9000", Self.client, flags: Packets.synAck)) == .accept)
        #expect(harness.send(Packets.tcpPacket(Self.client, "198.19.0.2:9000", flags: Packets.ack)) == .accept)
        #expect(harness.send(Packets.tcpPacket("198.19.0.2:9000", Self.client, flags: Packets.ack)) == .drop)
        let event = harness.takeEvents().last
        #expect(event?.drop?.reason == "aws:drop_established")
        // Per packet: the flow is not decided, so it stays in the queue.
        #expect(harness.send(Packets.tcpPacket(Self.client, "198.19.0.2:9000", flags: Packets.pshAck, payload: [1])) == .drop)
        #expect(harness.processor.currentCounters.offloaded == 0)

        #expect(harness.send(Packets.tcpPacket("198.18.0.10:40001", "198.19.0.2:8080", flags: Packets.syn)) == .acceptFlow)
    }

    @Test func handshakeCompletingAckIsNotEstablished() {
        // Suricata's firewall idiom: let the handshake through, then only what a later rule allows.
        var harness = Self.harness([
            "pass tcp any any <> any 443 (flow:not_established; sid:1;)",
            #"drop ip any any -> any any (msg:"everything else"; flow:stateless; sid:3;)"#,
        ])
        let server = "198.19.0.2:443"
        #expect(harness.send(Packets.tcpPacket(Self.client, server, flags: Packets.syn)) == .accept)
        #expect(harness.send(Packets.tcpPacket(server, Self.client, flags: Packets.synAck)) == .accept)
        #expect(harness.send(Packets.tcpPacket(Self.client, server, flags: Packets.ack)) == .accept)
        #expect(harness.takeEvents().isEmpty)
        #expect(harness.send(Packets.tcpPacket(Self.client, server, flags: Packets.pshAck, payload: [1])) == .drop)
        #expect(harness.takeEvents().compactMap(\.alert?.signature_id) == [3])
    }

    @Test func midstreamPickupWithDropFlowPolicyDropsTheFlowBeforeInspection() {
        let rules = [#"alert tcp any any -> any any (msg:"any packet"; flow:stateless; sid:9;)"#]
        let snapshot = Fixtures.compiled(Fixtures.snapshot(stateful: Fixtures.stateful(rules)))
        var configuration = PacketProcessorConfiguration(midstream: false)
        configuration.midstreamPolicy = .dropFlow
        var harness = ProcessorHarness(snapshot, configuration: configuration)
        let server = "198.19.0.2:443"
        #expect(harness.send(Packets.tcpPacket(server, Self.client, flags: Packets.finAck, payload: [1])) == .dropFlow)
        var events = harness.takeEvents()
        #expect(events.map(\.event_type) == ["drop"] && events.first?.drop?.reason == "stream midstream")
        #expect(harness.send(Packets.tcpPacket(server, Self.client, flags: Packets.finAck, payload: [1])) == .dropFlow)
        events = harness.takeEvents()
        #expect(events.map(\.event_type) == ["drop"] && events.first?.drop?.reason == "exception policy flow drop")

        // With the `ignore` policy the same packets are inspected one by one.
        var ignoring = ProcessorHarness(snapshot, configuration: PacketProcessorConfiguration(midstream: false))
        #expect(ignoring.send(Packets.tcpPacket(server, Self.client, flags: Packets.finAck, payload: [1])) == .accept)
        #expect(ignoring.takeEvents().compactMap(\.alert?.signature_id) == [9])
    }

    @Test func aMidstreamFlowFirstSeenFromTheServerIsTurnedAround() throws {
        var harness = Self.harness([#"alert http any any -> any any (flow:to_client; http.stat_code; content:"200"; sid:4;)"#])
        let response = Array("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".utf8)
        _ = harness.send(bytes: Packets.ipv4(source: "198.19.0.2", destination: "198.18.0.10", protocol: 6, payload: Packets.tcp(
            sourcePort: 80, destinationPort: 40000, flags: Packets.pshAck, sequence: 5000, acknowledgement: 9000, payload: response
        )))
        let alert = try #require(harness.takeEvents().first { $0.alert != nil })
        #expect(alert.alert?.signature_id == 4 && alert.src_ip == "198.19.0.2")
        let flow = try #require(harness.processor.flowEvents(now: harness.now, reason: "shutdown").first)
        #expect(flow.src_ip == "198.18.0.10" && flow.dest_port == 80, "the receiver of the first packet is the client")
        #expect(flow.flow?.pkts_toclient == 1 && flow.flow?.pkts_toserver == 0)
    }

    @Test func ipv6AlertEvent() throws {
        var harness = Self.harness([#"alert ip any any -> 2001:db8::/32 any (msg:"v6"; sid:7;)"#])
        _ = harness.send(Packets.tcpPacket("[2001:db9::1]:1000", "[2001:db8::2]:443", flags: Packets.syn))
        let event = try #require(harness.takeEvents().first)
        #expect(event.src_ip == "2001:db9::1" && event.dest_ip == "2001:db8::2" && event.alert?.signature == "v6")
        #expect(event.alert?.category == "" && event.alert?.severity == 3)
    }
}

import Testing
@testable import DataPlane
import Rules
import Shared

@Suite("Packet processor: diversion to the TLS engine")
struct PacketProcessorDiversionTests {
    static let client = "198.18.0.2:40000"
    static let server = "198.19.0.2:443"

    static func snapshot(_ rules: [String] = [], version: UInt64 = 1, tls: Bool = true) throws -> CompiledSnapshot {
        let ca = try TestCertificates.authority("Inspection CA")
        let section = TLSInspectionSection(
            configurationArn: "arn:tls", sessionHolding: true,
            configurations: [
                TLSInspectionEntry(
                    scopes: [ServerCertificateScope(DestinationPorts: [PortRange(FromPort: 443, ToPort: 443)], Protocols: [6])],
                    authority: TestCertificates.material(ca), serverCertificates: [], revokedStatusAction: nil, unknownStatusAction: nil
                ),
            ]
        )
        return try CompiledSnapshot(Fixtures.snapshot(version: version, stateful: Fixtures.stateful(rules), tlsInspection: tls ? section : nil))
    }

    static func harness(_ snapshot: CompiledSnapshot, engine: TLSEngineAvailability = .listening) -> ProcessorHarness {
        var configuration = PacketProcessorConfiguration()
        configuration.tlsEngine = engine
        return ProcessorHarness(snapshot, configuration: configuration)
    }

    @Test func anOpeningSYNInScopeIsDivertedAndOthersAreNot() throws {
        var harness = Self.harness(try Self.snapshot())
        #expect(harness.send(Packets.tcpPacket(Self.client, Self.server, flags: Packets.syn)) == .divert)
        #expect(harness.send(Packets.tcpPacket(Self.client, Self.server, flags: Packets.syn)) == .divert, "a retransmitted SYN too")
        #expect(harness.send(Packets.tcpPacket("198.18.0.2:40001", "198.19.0.2:80", flags: Packets.syn)) != .divert)
        #expect(harness.processor.currentCounters.diverted == 2)
        #expect(KernelVerdict.carrying(.divert, existingMark: 0x10) == KernelVerdict(code: .repeat, mark: 0x10 | PacketMarks.divertTLS))
    }

    @Test func theConnectionStageStillDecidesOnTheSYN() throws {
        var harness = Self.harness(try Self.snapshot([#"drop tcp any any -> 198.19.0.2 443 (msg:"no"; sid:9;)"#]))
        #expect(harness.send(Packets.tcpPacket(Self.client, Self.server, flags: Packets.syn)) == .dropFlow)
        #expect(harness.takeEvents().contains { $0.alert?.signature_id == 9 })
    }

    @Test func aFlowEstablishedBeforeTheScopeIsDroppedMidStream() throws {
        var harness = Self.harness(try Self.snapshot(tls: false))
        #expect(harness.send(Packets.tcpPacket(Self.client, Self.server, flags: Packets.syn)) == .accept)
        #expect(harness.send(Packets.tcpPacket(Self.server, Self.client, flags: Packets.synAck)) != .drop)
        #expect(harness.send(Packets.tcpPacket(Self.client, Self.server, flags: Packets.ack)) != .drop)
        _ = harness.takeEvents()

        harness.snapshot = try Self.snapshot(version: 2)
        let verdict = harness.send(Packets.tcpPacket(Self.client, Self.server, flags: Packets.pshAck, payload: [0x17, 3, 3, 0, 1, 0]))
        #expect(verdict == .drop || verdict == .dropFlow)
        let drop = try #require(harness.takeEvents().first { $0.event_type == "drop" })
        #expect(drop.drop?.reason == "tls inspection: flow not diverted at its start")
        let reply = harness.send(Packets.tcpPacket(Self.server, Self.client, flags: Packets.ack))
        #expect(reply == .drop || reply == .dropFlow, "the server's side of the flow is dropped too")
    }

    @Test func withoutAnEngineInScopeTrafficIsDroppedOrInspectedAsSeen() throws {
        var down = Self.harness(try Self.snapshot(), engine: .unavailable)
        let verdict = down.send(Packets.tcpPacket(Self.client, Self.server, flags: Packets.syn))
        #expect(verdict == .drop || verdict == .dropFlow)
        #expect(down.takeEvents().first?.drop?.reason == "tls inspection: engine unavailable")

        var replay = Self.harness(try Self.snapshot(), engine: .absent)
        #expect(replay.send(Packets.tcpPacket(Self.client, Self.server, flags: Packets.syn)) == .accept)
    }

    @Test func aNewSYNOnReusedPortsIsDivertedAndTheDivertedConnectionIsForgotten() throws {
        var harness = Self.harness(try Self.snapshot(tls: false))
        #expect(harness.send(Packets.tcpPacket(Self.client, Self.server, flags: Packets.syn)) == .accept)
        _ = harness.send(Packets.tcpPacket(Self.server, Self.client, flags: Packets.synAck))
        _ = harness.send(Packets.tcpPacket(Self.client, Self.server, flags: Packets.ack))
        #expect(harness.processor.currentCounters.flows == 1)
        harness.snapshot = try Self.snapshot(version: 2)
        // The earlier connection ended unseen (offloaded); the client opens a new one from the same port.
        #expect(harness.send(Packets.tcpPacket(Self.client, Self.server, flags: Packets.syn)) == .divert)
        // The engine has it from here, and the kernel drops what comes after the engine's socket by the
        // connection's mark: the packet path keeps nothing of it.
        #expect(harness.processor.currentCounters.flows == 0)
        #expect(harness.send(Packets.tcpPacket("198.18.0.2:40002", Self.server, flags: Packets.syn)) == .divert)
        #expect(harness.processor.currentCounters.flows == 0, "each diverted connection is forgotten")
    }
}

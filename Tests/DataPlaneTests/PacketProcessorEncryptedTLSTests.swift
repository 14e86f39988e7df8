import Testing
@testable import DataPlane
import Rules
import Shared

/// Suricata's default TLS `encryption-handling`: once a connection carries encrypted application data,
/// content rules no longer inspect its raw bytes; the TLS keywords and rules without payload keywords still
/// apply.
@Suite("Packet processor: encrypted TLS")
struct PacketProcessorEncryptedTLSTests {
    static let rules = [
        #"alert tcp any any -> any any (msg:"raw bytes"; content:"SECRET"; sid:10;)"#,
        #"alert tcp any any -> any any (msg:"raw pcre"; pcre:"/SEC+RET/"; sid:11;)"#,
        #"alert tls any any -> any any (msg:"sni"; tls.sni; content:"www.rampart.test"; sid:12;)"#,
        #"alert tcp any any -> any any (msg:"client data packets"; flow:established,to_server; dsize:>60; sid:13;)"#,
    ]

    /// Runs a TLS 1.2 handshake and then the same bytes in application data both ways; returns the alerts
    /// of the ClientHello, of the client's cleartext key exchange, of its application data and of the server's.
    static func alerts(_ handling: TLSEncryptionHandling) -> (hello: [Int], cleartext: [Int], clientData: [Int], serverData: [Int]) {
        var flow = Conversation(Self.rules, inline: true, tlsEncryptionHandling: handling)
        var client: UInt32 = 1000
        var server: UInt32 = 5000
        _ = flow.send(fromClient: true, Packets.syn, seq: client - 1)
        _ = flow.send(fromClient: false, Packets.synAck, seq: server - 1, ack: client)
        _ = flow.send(fromClient: true, Packets.ack, seq: client, ack: server)
        let hello = AppLayerFixture.records(TLSFixtures.clientHello)
        let helloAlerts = flow.send(fromClient: true, Packets.pshAck, seq: client, ack: server, bytes: hello).sorted()
        client += UInt32(hello.count)
        let flight = AppLayerFixture.records(TLSFixtures.serverHello12 + TLSFixtures.serverHelloDone)
        _ = flow.send(fromClient: false, Packets.pshAck, seq: server, ack: client, bytes: flight)
        server += UInt32(flight.count)
        let keyExchange = AppLayerFixture.records([16, 0, 0, 6] + Array("SECRET".utf8)) + AppLayerFixture.records([1], type: 20)
        let cleartext = flow.send(fromClient: true, Packets.pshAck, seq: client, ack: server, bytes: keyExchange).sorted()
        client += UInt32(keyExchange.count)
        let secret = AppLayerFixture.records(Array(repeating: 0x41, count: 60) + Array("SECRET".utf8), type: 23)
        let clientData = flow.send(fromClient: true, Packets.pshAck, seq: client, ack: server, bytes: secret).sorted()
        client += UInt32(secret.count)
        let serverData = flow.send(fromClient: false, Packets.pshAck, seq: server, ack: client, bytes: secret).sorted()
        return (helloAlerts, cleartext, clientData, serverData)
    }

    @Test func withFullEncryptionHandlingContentRulesKeepInspecting() {
        let seen = Self.alerts(.full)
        #expect(seen.cleartext == [10, 11])
        #expect(seen.clientData == [10, 11, 13])
        #expect(seen.serverData == [10, 11])
    }

    @Test func contentRulesStopAtTheFirstApplicationDataRecord() {
        let seen = Self.alerts(.default)
        #expect(seen.hello == [12, 13], "the TLS keywords and the packet rule")
        #expect(seen.cleartext == [10, 11], "still cleartext records: the raw bytes are inspected")
        #expect(seen.clientData == [13], "application data: only the packet rule")
        #expect(seen.serverData.isEmpty, "nor the other direction")
    }
}

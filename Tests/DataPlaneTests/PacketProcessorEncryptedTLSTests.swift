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

    @Test func contentRulesStopAtTheFirstApplicationDataRecord() {
        var flow = Conversation(Self.rules, inline: true)
        var client: UInt32 = 1000
        var server: UInt32 = 5000
        _ = flow.send(fromClient: true, Packets.syn, seq: client - 1)
        _ = flow.send(fromClient: false, Packets.synAck, seq: server - 1, ack: client)
        _ = flow.send(fromClient: true, Packets.ack, seq: client, ack: server)

        let hello = AppLayerFixture.records(TLSFixtures.clientHello)
        #expect(flow.send(fromClient: true, Packets.pshAck, seq: client, ack: server, bytes: hello).sorted() == [12, 13])
        client += UInt32(hello.count)
        let flight = AppLayerFixture.records(TLSFixtures.serverHello12 + TLSFixtures.serverHelloDone)
        _ = flow.send(fromClient: false, Packets.pshAck, seq: server, ack: client, bytes: flight)
        server += UInt32(flight.count)

        // Still cleartext records: the raw bytes are inspected.
        let keyExchange = AppLayerFixture.records([16, 0, 0, 6] + Array("SECRET".utf8)) + AppLayerFixture.records([1], type: 20)
        #expect(flow.send(fromClient: true, Packets.pshAck, seq: client, ack: server, bytes: keyExchange).sorted() == [10, 11])
        client += UInt32(keyExchange.count)

        // Application data: the same bytes are not inspected any more, in either direction; the packet rule is.
        let secret = AppLayerFixture.records(Array(repeating: 0x41, count: 60) + Array("SECRET".utf8), type: 23)
        #expect(flow.send(fromClient: true, Packets.pshAck, seq: client, ack: server, bytes: secret) == [13])
        client += UInt32(secret.count)
        #expect(flow.send(fromClient: false, Packets.pshAck, seq: server, ack: client, bytes: secret).isEmpty)
        #expect(flow.finish().isEmpty)
    }
}

import Testing
@testable import DataPlane
import Rules
import Shared

/// The server's TLS handshake reaches the rules in two parts, the ServerHello then the certificate; a rule
/// on both sees them together, and a rule on one is inspected once.
@Suite("Packet processor: TLS handshake parts")
struct PacketProcessorTLSPartsTests {
    @Test func rulesOnTheServerHelloAndTheCertificateMatchTogetherAndOnce() {
        var flow = Conversation([
            #"alert tls any any -> any any (msg:"ja3s"; ja3s.hash; content:"\#(TLSFixtures.ja3s12Hash)"; sid:21;)"#,
            #"alert tls any any -> any any (msg:"subject"; tls.cert_subject; content:"CN=www.rampart.test"; sid:22;)"#,
            #"alert tls any any -> any any (msg:"both"; ja3s.hash; content:"\#(TLSFixtures.ja3s12Hash)"; tls.cert_subject; content:"Rampart Test"; sid:23;)"#,
            #"alert tls any any -> any any (msg:"sni and subject"; tls.sni; content:"www.rampart.test"; tls.cert_subject; content:"Edge"; sid:24;)"#,
        ], inline: true)
        _ = flow.send(fromClient: true, Packets.syn, seq: 999)
        _ = flow.send(fromClient: false, Packets.synAck, seq: 4999, ack: 1000)
        _ = flow.send(fromClient: true, Packets.ack, seq: 1000, ack: 5000)
        let hello = AppLayerFixture.records(TLSFixtures.clientHello)
        _ = flow.send(fromClient: true, Packets.pshAck, seq: 1000, ack: 5000, bytes: hello)
        let serverHello = AppLayerFixture.records(TLSFixtures.serverHello12)
        #expect(flow.send(fromClient: false, Packets.pshAck, seq: 5000, ack: 1000 + UInt32(hello.count), bytes: serverHello) == [21])
        let certificate = AppLayerFixture.records(TLSFixtures.certificateMessage([TLSFixtures.leafDER]))
        let alerts = flow.send(
            fromClient: false, Packets.pshAck, seq: 5000 + UInt32(serverHello.count), ack: 1000 + UInt32(hello.count), bytes: certificate
        )
        #expect(alerts.sorted() == [22, 23, 24], "the ja3s rule is not inspected again")
    }
}

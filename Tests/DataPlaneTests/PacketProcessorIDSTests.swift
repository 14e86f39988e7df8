import Testing
@testable import DataPlane
import Rules
import Shared

/// A TCP conversation between a client and a server, sent through a processor as raw packets.
struct Conversation {
    var harness: ProcessorHarness
    let client = (address: "198.18.0.10", port: UInt16(40000))
    let server = (address: "198.19.0.2", port: UInt16(80))

    init(_ rules: [String], inline: Bool, tlsEncryptionHandling: TLSEncryptionHandling = .default) {
        var configuration = PacketProcessorConfiguration(enforce: false)
        configuration.inlineStream = inline
        configuration.tlsEncryptionHandling = tlsEncryptionHandling
        harness = ProcessorHarness(Fixtures.compiled(Fixtures.snapshot(stateful: Fixtures.stateful(rules))), configuration: configuration)
    }

    /// Sends one segment; returns the signature ids it alerted, in order.
    @discardableResult
    mutating func send(fromClient: Bool, _ flags: UInt8, seq: UInt32, ack: UInt32 = 0, _ text: String = "") -> [Int] {
        send(fromClient: fromClient, flags, seq: seq, ack: ack, bytes: Array(text.utf8))
    }

    /// Sends one segment carrying `payload`; returns the signature ids it alerted, in order.
    @discardableResult
    mutating func send(fromClient: Bool, _ flags: UInt8, seq: UInt32, ack: UInt32 = 0, bytes payload: [UInt8]) -> [Int] {
        let (from, to) = fromClient ? (client, server) : (server, client)
        _ = harness.send(bytes: Packets.ipv4(source: from.address, destination: to.address, protocol: 6, payload: Packets.tcp(
            sourcePort: from.port, destinationPort: to.port, flags: flags, sequence: seq, acknowledgement: ack, payload: payload
        )))
        return harness.takeEvents().compactMap(\.alert?.signature_id)
    }

    /// The end of the capture; returns the signature ids alerted.
    mutating func finish() -> [Int] {
        harness.processor.finishFlows(snapshot: harness.snapshot!, wallClock: harness.wallClock).compactMap(\.alert?.signature_id)
    }
}

@Suite("Packet processor: IDS stream inspection")
struct PacketProcessorIDSTests {
    static let rules = [
        #"alert tcp any any -> any any (msg:"across segments"; content:"d2d3"; sid:1;)"#,
        #"alert tcp any any -> any any (msg:"uri"; http.uri; content:"d2d3"; sid:2;)"#,
        #"alert http any any -> any any (msg:"http to server"; flow:to_server; sid:3;)"#,
        #"alert tcp-pkt any any -> any any (msg:"packet"; content:"d2"; sid:4;)"#,
    ]

    @Test func fastOpenDataIsInspectedOnceTheServerAcknowledgedIt() {
        var flow = Conversation(Self.rules, inline: false)
        // TCP Fast Open: the request starts in the SYN and ends in the next segment.
        #expect(flow.send(fromClient: true, Packets.syn, seq: 999, "GET /d1d2") == [4])
        #expect(flow.send(fromClient: false, Packets.synAck, seq: 5000, ack: 1009).isEmpty, "not during the handshake")
        #expect(flow.send(fromClient: true, Packets.pshAck, seq: 1009, ack: 5001, "d3 HTTP/1.1\r\n\r\n").isEmpty)
        // The server's acknowledgement hands the request to the application layer: HTTP from here on.
        #expect(flow.send(fromClient: false, Packets.ack, seq: 5001, ack: 1025).isEmpty, "a client transaction waits for a client packet")
        let alerts = flow.send(fromClient: true, Packets.ack, seq: 1025, ack: 5001)
        #expect(alerts.sorted() == [1, 2, 3], "one stream chunk across both segments, the request, an HTTP packet")
        #expect(flow.send(fromClient: true, Packets.ack, seq: 1025, ack: 5001) == [3], "nothing more but the packet rule")
        #expect(flow.finish().isEmpty)
    }

    @Test func inlineInspectsEachSegmentAsItArrives() {
        var flow = Conversation(Self.rules, inline: true)
        #expect(flow.send(fromClient: true, Packets.syn, seq: 999, "GET /d1d2") == [4])
        _ = flow.send(fromClient: false, Packets.synAck, seq: 5000, ack: 1009)
        #expect(flow.send(fromClient: true, Packets.pshAck, seq: 1009, ack: 5001, "d3 HTTP/1.1\r\n\r\n").sorted() == [2, 3])
    }

    @Test func whatNobodyAcknowledgedIsInspectedAtTheEndOfTheCapture() {
        var flow = Conversation(Self.rules, inline: false)
        #expect(flow.send(fromClient: true, Packets.pshAck, seq: 1, ack: 1, "GET /d2d3 HTTP/1.0\r\n\r\n") == [4])
        #expect(flow.finish().sorted() == [1, 2], "the stream chunk and the request; no packet, so no packet rule")
    }

    @Test func aRuleOnARequestAndItsResponseAlertsOnTheResponse() {
        var flow = Conversation(
            [#"alert http any any -> any any (http.uri; content:"/admin"; http.stat_code; content:"404"; sid:6;)"#], inline: true
        )
        _ = flow.send(fromClient: true, Packets.syn, seq: 99)
        _ = flow.send(fromClient: false, Packets.synAck, seq: 5000, ack: 100)
        _ = flow.send(fromClient: true, Packets.ack, seq: 100, ack: 5001)
        let request = "GET /admin HTTP/1.1\r\nHost: a\r\n\r\n"
        #expect(flow.send(fromClient: true, Packets.pshAck, seq: 100, ack: 5001, request).isEmpty)
        let response = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
        #expect(flow.send(fromClient: false, Packets.pshAck, seq: 5001, ack: 100 + UInt32(request.utf8.count), response) == [6])
    }

    @Test func aDNSFlowSeenFromItsResponseRunsFromTheClient() {
        var configuration = PacketProcessorConfiguration(enforce: false)
        configuration.inlineStream = true
        var harness = ProcessorHarness(Fixtures.compiled(Fixtures.snapshot(stateful: Fixtures.stateful([
            #"alert udp any any -> any any (msg:"to the client"; flow:to_client; sid:8;)"#,
            #"alert dns any any -> any any (msg:"query"; dns.query; content:"example"; sid:9;)"#,
        ]))), configuration: configuration)
        let response = Packets.ipv4(source: "198.19.0.2", destination: "198.18.0.10", protocol: 17, payload: Packets.udp(
            sourcePort: 53, destinationPort: 40000, payload: AppLayerDNSTests.response
        ))
        _ = harness.send(bytes: response)
        #expect(harness.takeEvents().compactMap(\.alert?.signature_id) == [8], "the answer goes to the client; it asks nothing")
        let query = Packets.ipv4(source: "198.18.0.10", destination: "198.19.0.2", protocol: 17, payload: Packets.udp(
            sourcePort: 40000, destinationPort: 53, payload: AppLayerDNSTests.query
        ))
        _ = harness.send(bytes: query)
        #expect(harness.takeEvents().compactMap(\.alert?.signature_id) == [9], "the next query is the client's")
    }

    @Test func aRetransmissionIsInspectedOnItsOwn() {
        var flow = Conversation([#"alert tcp any any -> any any (content:"hello"; sid:5;)"#], inline: true)
        _ = flow.send(fromClient: true, Packets.syn, seq: 99)
        _ = flow.send(fromClient: false, Packets.synAck, seq: 5000, ack: 100)
        #expect(flow.send(fromClient: true, Packets.pshAck, seq: 100, ack: 5001, "hello") == [5])
        #expect(flow.send(fromClient: true, Packets.pshAck, seq: 100, ack: 5001, "hello") == [5], "not taken into the stream again")
    }
}

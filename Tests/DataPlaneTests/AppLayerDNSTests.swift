import Testing
@testable import DataPlane
import Rules
import Shared

@Suite("App layer: DNS")
struct AppLayerDNSTests {
    /// `www.example.com` A, id 0x1a2b, RD, with an EDNS OPT record (built with python3 `struct`).
    static let query = AppLayerFixture.hex(
        "1a2b0100000100000000000103777777076578616d706c6503636f6d000001000100002904d0000000000000")
    /// The answer: CNAME `www.example.com` → `example.com` (both names compressed), then A and AAAA for
    /// `example.com` (owner names compressed).
    static let response = AppLayerFixture.hex("""
        1a2b8180000100030000000003777777076578616d706c6503636f6d0000010001c00c0005000100000e100002c010c010
        000100010000012c00045db8d822c010001c00010000012c001026062800022000010248189325c81946
        """)

    @Test func aResponseAsTheFirstDatagramTurnsTheFlowAround() throws {
        var state = AppLayerState(transport: 17, serverPort: 40000)
        let records = state.feed(Self.response, .toServer)
        let reversed = state.takeReversal()
        #expect(reversed, "the flow's first packet came from the server")
        try #require(records.count == 1)
        #expect(records[0].transaction.direction == .toClient && records[0].dns.first?.type == "answer")
        let later = state.feed(Self.query, .toClient)
        #expect(later.first?.transaction.direction == .toClient, "later datagrams keep their own")
        let again = state.takeReversal()
        #expect(!again, "only the first datagram decides")
    }

    @Test func aQueryAsTheFirstDatagramLeavesTheFlowAsItIs() {
        var state = AppLayerState(transport: 17, serverPort: 53)
        _ = state.feed(Self.query, .toServer)
        let reversed = state.takeReversal()
        #expect(!reversed)
    }

    @Test func udpQueryAndCompressedResponse() throws {
        var state = AppLayerState(transport: 17, serverPort: 53)
        let sent = state.feed(Self.query, .toServer)
        #expect(state.detected == .dns)
        try #require(sent.count == 1)
        #expect(sent[0].kind == .newTransaction && sent[0].transaction.direction == .toServer && sent[0].transaction.id == 0)
        #expect(sent[0].transaction.texts(.dnsQuery) == ["www.example.com"])
        #expect(sent[0].dns == [EveDNS(type: "query", id: 0x1A2B, rrname: "www.example.com", rrtype: "A", tx_id: 0)])

        let answered = state.feed(Self.response, .toClient)
        try #require(answered.count == 1)
        #expect(answered[0].transaction.id == 1 && answered[0].transaction.direction == .toClient)
        #expect(answered[0].transaction[.dnsQuery].isEmpty, "dns.query is the request's")
        #expect(answered[0].dns == [EveDNS(
            version: 2, type: "answer", id: 0x1A2B, flags: "8180", qr: true, rd: true, ra: true,
            rrname: "www.example.com", rrtype: "A", rcode: "NOERROR", answers: [
                EveDNSAnswer(rrname: "www.example.com", rrtype: "CNAME", ttl: 3600, rdata: "example.com"),
                EveDNSAnswer(rrname: "example.com", rrtype: "A", ttl: 300, rdata: "93.184.216.34"),
                EveDNSAnswer(rrname: "example.com", rrtype: "AAAA", ttl: 300, rdata: "2606:2800:0220:0001:0248:1893:25c8:1946"),
            ]
        )])
    }

    @Test func dnsIsRecognisedOffPort53ByAStrictParse() {
        var state = AppLayerState(transport: 17, serverPort: 5353)
        #expect(state.feed(Self.query, .toServer).count == 1)
        #expect(state.detected == .dns)
    }

    @Test func namesInThePacketKeepTheirCase() {
        var query = Self.query
        query[13] = UInt8(ascii: "W")
        var state = AppLayerState(transport: 17, serverPort: 53)
        #expect(state.feed(query, .toServer).first?.transaction.texts(.dnsQuery) == ["Www.example.com"])
    }

    @Test func compressionLoopsAreRejected() {
        // The question's name is a pointer to itself; then one pointing forward.
        let selfLoop = AppLayerFixture.hex("000101000001000000000000c00c00010001")
        #expect(DNSMessage(selfLoop, strict: false) == nil)
        let forward = AppLayerFixture.hex("000101000001000000000000c01000010001000000")
        #expect(DNSMessage(forward, strict: false) == nil)
        // Two pointers chasing each other through a label: bounded by the pointer limit.
        let pingPong = AppLayerFixture.hex("0001010000010000000000000161c00c00010001")
        #expect(DNSMessage(pingPong, strict: false) == nil)
        var state = AppLayerState(transport: 17, serverPort: 53)
        #expect(state.feed(selfLoop, .toServer).isEmpty)
    }

    @Test func tcpMessagesAreLengthPrefixedAndReassembled() throws {
        var state = AppLayerState(transport: 6, serverPort: 53)
        func framed(_ message: [UInt8]) -> [UInt8] { [UInt8(message.count >> 8), UInt8(message.count & 0xFF)] + message }
        let stream = framed(Self.query) + framed(Self.query)
        let records = AppLayerFixture.feed(&state, stream, .toServer, pieces: [1, 10, 40])
        #expect(state.detected == .dns)
        #expect(records.map(\.transaction.id) == [0, 1])
        let answer = AppLayerFixture.feed(&state, framed(Self.response), .toClient, pieces: [1])
        #expect(answer.count == 1 && answer[0].dns.first?.answers?.count == 3)
    }

    @Test func tcpDNSOffPort53NeedsAWholeMessage() {
        var state = AppLayerState(transport: 6, serverPort: 8053)
        let framed = [UInt8(Self.query.count >> 8), UInt8(Self.query.count & 0xFF)] + Self.query
        #expect(state.feed(Array(framed.prefix(20)), .toServer).isEmpty)
        #expect(state.detected == nil)
        #expect(state.feed(Array(framed.dropFirst(20)), .toServer).count == 1)
        #expect(state.detected == .dns)
    }

    @Test func nxdomainAndUnknownTypes() throws {
        // id 7, flags 8183 (NXDOMAIN), one question of type 65 (HTTPS).
        let message = AppLayerFixture.hex("00078183000100000000000003666f6f0000410001")
        var state = AppLayerState(transport: 17, serverPort: 53)
        let records = state.feed(message, .toClient)
        let eve = try #require(records.first?.dns.first)
        #expect(eve.rcode == "NXDOMAIN" && eve.rrtype == "HTTPS" && eve.rrname == "foo" && eve.answers == nil)
        #expect(DNSNames.recordType(4242) == "4242")
    }
}

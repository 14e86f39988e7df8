import Testing
@testable import DataPlane
import Rules
import Shared

@Suite("App layer: protocol detection")
struct AppLayerDetectionTests {
    @Test func protocolsAreRecognisedByContentNotPort() {
        var http = AppLayerState(transport: 6, serverPort: 443)
        _ = http.feed("OPTIONS * HTTP/1.1\r\n\r\n", .toServer)
        #expect(http.detected == .http)

        var tls = AppLayerState(transport: 6, serverPort: 80)
        _ = tls.feed(AppLayerFixture.records(TLSFixtures.clientHello), .toServer)
        #expect(tls.detected == .tls)

        var dns = AppLayerState(transport: 17, serverPort: 80)
        _ = dns.feed(AppLayerDNSTests.query, .toServer)
        #expect(dns.detected == .dns)
    }

    @Test(arguments: ["GET ", "POST ", "HEAD ", "PUT ", "DELETE ", "OPTIONS ", "CONNECT ", "TRACE ", "PATCH "])
    func everyRequestMethod(method: String) {
        var state = AppLayerState(transport: 6, serverPort: 1234)
        _ = state.feed(method, .toServer)
        #expect(state.detected == .http)
    }

    @Test func partialMethodWaitsAndLowercaseIsNotHTTP() {
        var waiting = AppLayerState(transport: 6, serverPort: 80)
        _ = waiting.feed("OPTIO", .toServer)
        #expect(waiting.detected == nil && !waiting.detectionFailed)

        var lower = AppLayerState(transport: 6, serverPort: 80)
        _ = lower.feed("get / HTTP/1.1\r\n\r\n", .toServer)
        #expect(lower.detected == nil)
    }

    @Test func serverResponseRecognisesHTTPWhenTheClientSentSomethingElse() {
        var state = AppLayerState(transport: 6, serverPort: 80)
        _ = state.feed("\u{1}\u{2}binary", .toServer)
        let records = state.feed("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", .toClient)
        #expect(state.detected == .http)
        #expect(records.count == 1 && records[0].kind == .newTransaction && records[0].transaction.direction == .toClient)
    }

    @Test func aMidstreamFlowWhoseFirstBytesAreAResponseRunsTheOtherWay() throws {
        let response = "HTTP/1.1 200 OK\r\nServer: Apache\r\n\r\n"
        var state = AppLayerState(transport: 6, serverPort: 65, pickedUpMidstream: true)
        let records = state.feed(response, .toServer)
        #expect(state.detected == .http)
        let reversed = state.takeReversal()
        let again = state.takeReversal()
        #expect(reversed && !again, "told once")
        let record = try #require(records.first)
        #expect(record.transaction.direction == .toClient && record.transaction.text(.httpServer) == "Apache")
        // The other end is the client from now on.
        #expect(state.feed("GET / HTTP/1.1\r\n\r\n", .toServer).first?.transaction.text(.httpMethod) == "GET")

        var handshaken = AppLayerState(transport: 6, serverPort: 65)
        #expect(handshaken.feed(response, .toServer).isEmpty && handshaken.detected == nil)
        let notReversed = handshaken.takeReversal()
        #expect(!notReversed)
    }

    @Test func bytesOfBothDirectionsBeforeDetectionAreReplayed() {
        var state = AppLayerState(transport: 6, serverPort: 80)
        #expect(state.feed("PO", .toServer).isEmpty)
        #expect(state.feed("HTTP/1.1 204 No Content\r\n\r\n", .toClient).count == 1)
        #expect(state.detected == .http)
    }

    @Test func unknownProtocolsGiveUp() {
        var ssh = AppLayerState(transport: 6, serverPort: 22)
        _ = ssh.feed("SSH-2.0-OpenSSH_9.6\r\n", .toClient)
        #expect(!ssh.detectionFailed, "the client has not spoken yet")
        _ = ssh.feed("SSH-2.0-OpenSSH_9.6\r\n", .toServer)
        #expect(ssh.detectionFailed && ssh.isFinished && ssh.detected == nil)
        #expect(ssh.feed("GET / HTTP/1.1\r\n\r\n", .toServer).isEmpty)

        var udp = AppLayerState(transport: 17, serverPort: 4000)
        for _ in 0..<AppLayerLimits.detectionDatagrams { _ = udp.feed("not dns at all", .toServer) }
        #expect(udp.detectionFailed)
    }

    @Test func port53PrefersDNSButNotOverAPlainTLSRecord() {
        var tls = AppLayerState(transport: 6, serverPort: 53)
        _ = tls.feed(AppLayerFixture.records(TLSFixtures.clientHello), .toServer)
        #expect(tls.detected == .tls)

        var dns = AppLayerState(transport: 6, serverPort: 53)
        let query = AppLayerDNSTests.query
        _ = dns.feed([0, UInt8(query.count)] + query.prefix(12), .toServer)
        #expect(dns.detected == .dns, "on port 53 the header is enough")
    }

    @Test func aPrefixThatNeverCompletesIsBounded() {
        // Looks like the length prefix and header of a large DNS-over-TCP message off port 53.
        var state = AppLayerState(transport: 6, serverPort: 9000)
        _ = state.feed([0xFF, 0xF0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0], .toServer)
        #expect(state.detected == nil && !state.detectionFailed)
        for _ in 0..<10 { _ = state.feed(Array(repeating: 0, count: 1000), .toServer) }
        _ = state.feed(Array(repeating: 0, count: 1000), .toClient)
        #expect(state.detectionFailed)
    }
}

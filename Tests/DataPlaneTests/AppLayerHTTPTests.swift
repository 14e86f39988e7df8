import Testing
@testable import DataPlane
import Rules
import Shared

@Suite("App layer: HTTP/1.x")
struct AppLayerHTTPTests {
    static let request = "GET /a/./b//c/../d%41?x=%41 HTTP/1.1\r\n"
        + "Host: WWW.Example.COM:8080\r\n"
        + "User-Agent: curl/8.5\r\n"
        + "Accept: */*\r\n"
        + "Cookie: a=b\r\n"
        + "Accept-Language: en\r\n"
        + "\r\n"

    @Test func requestSplitOverThreeFeedsFillsEveryBuffer() throws {
        var state = AppLayerState(transport: 6, serverPort: 8080)
        let bytes = Array(Self.request.utf8)
        #expect(state.feed(Array(bytes[0..<2]), .toServer).isEmpty)
        #expect(state.detected == nil, "\"GE\" could still be anything")
        let line = state.feed(Array(bytes[2..<40]), .toServer)
        #expect(state.detected == .http)
        try #require(line.count == 1, "the request line can be inspected before the headers arrive")
        #expect(line[0].kind == .newTransaction && line[0].transaction.progress == 1 && line[0].transaction.previousProgress == 0)
        #expect(line[0].transaction.text(.httpURI) == "/a/b/dA?x=%41" && line[0].transaction.text(.httpMethod) == "GET")
        #expect(line[0].transaction[.httpHost].isEmpty && line[0].transaction[.httpHeader].isEmpty)
        let records = state.feed(Array(bytes[40...]), .toServer)
        try #require(records.count == 1)
        let record = records[0]
        #expect(record.kind == .update && record.transaction.progress == 3 && record.transaction.previousProgress == 1)
        #expect(record.eve.isEmpty, "logged when the response completes")
        guard case .http(let metadata) = record.metadata else {
            Issue.record("a request carries its fields for alerts")
            return
        }
        #expect(metadata == EveHTTP(
            hostname: "www.example.com", http_port: 8080, url: "/a/./b//c/../d%41?x=%41", http_user_agent: "curl/8.5",
            http_method: "GET", protocol: "HTTP/1.1", length: 0
        ))
        let tx = record.transaction
        #expect(tx.appProtocol == .http && tx.direction == .toServer && tx.id == 0)
        #expect(tx.text(.httpMethod) == "GET")
        #expect(tx.text(.httpRawURI) == "/a/./b//c/../d%41?x=%41")
        #expect(tx.text(.httpURI) == "/a/b/dA?x=%41")
        #expect(tx.text(.httpProtocol) == "HTTP/1.1")
        #expect(tx.text(.httpRequestLine) == "GET /a/./b//c/../d%41?x=%41 HTTP/1.1")
        #expect(tx.text(.httpHost) == "www.example.com")
        #expect(tx.text(.httpRawHost) == "WWW.Example.COM:8080")
        #expect(tx.text(.httpUserAgent) == "curl/8.5")
        #expect(tx.text(.httpAccept) == "*/*")
        #expect(tx.text(.httpAcceptLanguage) == "en")
        #expect(tx.text(.httpCookie) == "a=b")
        #expect(tx.text(.httpAcceptEncoding) == nil)
        #expect(tx.text(.httpHeader)
            == "Host: WWW.Example.COM:8080\r\nUser-Agent: curl/8.5\r\nAccept: */*\r\nAccept-Language: en\r\n")
        #expect(tx.text(.httpHeaderNames) == "\r\nHost\r\nUser-Agent\r\nAccept\r\nCookie\r\nAccept-Language\r\n\r\n")
        #expect(tx.text(.httpRawHeader) == String(Self.request.split(separator: "\r\n", maxSplits: 1)[1]))
        #expect(tx.text(.httpStart) == "GET /a/./b//c/../d%41?x=%41 HTTP/1.1\r\nHost: WWW.Example.COM:8080\r\n"
            + "User-Agent: curl/8.5\r\nAccept: */*\r\nCookie: a=b\r\nAccept-Language: en\r\n\r\n")
        #expect(tx[.httpRequestBody].isEmpty)
        #expect(tx[.httpStatusCode].isEmpty)
    }

    @Test func pipelinedRequestsAndResponsesPairInOrder() throws {
        var state = AppLayerState(transport: 6, serverPort: 80)
        let requests = "GET /1 HTTP/1.1\r\nHost: a\r\n\r\n"
            + "POST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello"
            + "GET /3 HTTP/1.1\r\nHost: a\r\n\r\n"
        let sent = state.feed(requests, .toServer)
        #expect(sent.map(\.transaction.id) == [0, 1, 2])
        #expect(sent.allSatisfy { $0.kind == .newTransaction && $0.transaction.direction == .toServer })
        #expect(sent.map { $0.transaction.text(.httpRawURI) } == ["/1", "/2", "/3"])
        #expect(sent[1].transaction.text(.httpRequestBody) == "hello")
        #expect(sent[1].transaction.text(.httpContentLength) == "5")
        #expect(sent[1].transaction.text(.httpContentType) == "text/plain")

        let firstTwo = state.feed("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nServer: nginx\r\n\r\nok"
            + "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", .toClient)
        #expect(firstTwo.map(\.transaction.id) == [0, 1])
        #expect(firstTwo.allSatisfy { $0.kind == .update && $0.transaction.direction == .toClient })
        #expect(firstTwo[0].transaction.text(.httpStatusCode) == "200")
        #expect(firstTwo[0].transaction.text(.httpStatusMessage) == "OK")
        #expect(firstTwo[0].transaction.text(.httpResponseLine) == "HTTP/1.1 200 OK")
        #expect(firstTwo[0].transaction.text(.httpServer) == "nginx")
        #expect(firstTwo[0].transaction.text(.httpResponseBody) == "ok")
        #expect(firstTwo[1].transaction.text(.httpStatusMessage) == "Not Found")
        #expect(firstTwo[0].http?.status == 200 && firstTwo[0].http?.url == "/1" && firstTwo[0].http?.length == 2)
        #expect(firstTwo[1].http?.status == 404 && firstTwo[1].http?.http_method == "POST")

        let body = "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n"
        let third = Array(("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
            + "Content-Type: text/html; charset=utf-8\r\n\r\n" + body).utf8)
        var records: [AppLayerRecord] = []
        for byte in third { records += state.feed([byte], .toClient) }
        // Fed byte by byte, the response is reported at its status line, its head and its body.
        #expect(records.map(\.transaction.progress) == [1, 2, 3])
        #expect(records.map(\.transaction.previousProgress) == [0, 1, 2])
        #expect(records.allSatisfy { $0.transaction.id == 2 })
        #expect(records[0].transaction.text(.httpStatusCode) == "200" && records[0].transaction[.httpContentType].isEmpty)
        let last = try #require(records.last)
        #expect(last.transaction.text(.httpResponseBody) == "hello world")
        #expect(last.transaction.text(.httpContentType) == "text/html; charset=utf-8")
        let eve = try #require(last.http)
        #expect(eve.http_content_type == "text/html")
        #expect(eve.length == body.utf8.count)
        #expect(state.finish().isEmpty, "every transaction was logged")
    }

    @Test func headResponseHasNoBodyAndInterimResponsesAreSkipped() {
        var state = AppLayerState(transport: 6, serverPort: 80)
        _ = state.feed("HEAD /big HTTP/1.1\r\nHost: a\r\n\r\nPOST /up HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n"
            + "Content-Length: 3\r\n\r\nabc", .toServer)
        let records = state.feed("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"
            + "HTTP/1.1 100 Continue\r\n\r\n"
            + "HTTP/1.1 201 Created\r\nLocation: /up/1\r\nContent-Length: 0\r\n\r\n", .toClient)
        #expect(records.map(\.transaction.id) == [0, 1])
        #expect(records[0].http?.length == 0)
        #expect(records[1].transaction.text(.httpStatusCode) == "201")
        #expect(records[1].transaction.text(.httpLocation) == "/up/1")
        #expect(records[1].http?.redirect == "/up/1")
    }

    @Test func closeDelimitedBodyAndUnansweredRequestsEndWithTheFlow() throws {
        var state = AppLayerState(transport: 6, serverPort: 80)
        _ = state.feed("GET /old HTTP/1.0\r\n\r\nGET /never HTTP/1.0\r\n\r\n", .toServer)
        let head = state.feed("HTTP/1.0 200 OK\r\n\r\nstreamed ", .toClient)
        #expect(head.count == 1 && head[0].transaction.progress == 2 && head[0].eve.isEmpty)
        #expect(state.feed("until close", .toClient).isEmpty)
        let records = state.finish()
        try #require(records.count == 2)
        #expect(records[0].kind == .update && records[0].transaction.id == 0 && records[0].transaction.previousProgress == 2)
        #expect(records[0].transaction.text(.httpResponseBody) == "streamed until close")
        #expect(records[0].http?.length == 20)
        #expect(records[1].kind == .logOnly && records[1].transaction.id == 1)
        #expect(records[1].http?.url == "/never" && records[1].http?.status == nil && records[1].http?.length == 0)
        #expect(state.isFinished)
        #expect(state.feed("more", .toClient).isEmpty)
    }

    @Test func largeBodyIsReportedAtTheInspectionLimitAndLoggedAtTheEnd() throws {
        var state = AppLayerState(transport: 6, serverPort: 80)
        let length = 100_000
        let early = state.feed("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: \(length)\r\n\r\n"
            + String(repeating: "x", count: 70_000), .toServer)
        try #require(early.count == 1)
        #expect(early[0].transaction[.httpRequestBody].first?.count == AppLayerLimits.bodyInspectionBytes)
        #expect(state.feed(String(repeating: "y", count: 30_000), .toServer).isEmpty)
        let response = state.feed("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", .toClient)
        #expect(response.count == 1 && response[0].kind == .update && response[0].http?.status == 200)
    }

    @Test func largeResponseIsInspectedEarlyAndLoggedWhenComplete() throws {
        var state = AppLayerState(transport: 6, serverPort: 80)
        _ = state.feed("GET /file HTTP/1.1\r\nHost: a\r\n\r\n", .toServer)
        let head = "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n"
        let inspected = state.feed(head + String(repeating: "z", count: 65_536), .toClient)
        try #require(inspected.count == 1)
        #expect(inspected[0].kind == .update && inspected[0].eve.isEmpty)
        #expect(inspected[0].transaction[.httpResponseBody].first?.count == 65_536)
        let logged = state.feed(String(repeating: "z", count: 34_464) + "HTTP/1.1 200 OK\r\n", .toClient)
        try #require(logged.count == 2)
        #expect(logged[0].kind == .logOnly && logged[0].transaction.id == 0)
        #expect(logged[0].http?.length == 100_000 && logged[0].http?.url == "/file")
        #expect(logged[1].transaction.id == 1 && logged[1].transaction.progress == 1, "the next status line")
    }

    @Test func bodyBytesPastTheKeptPartAreCountedWithoutBeingRead() throws {
        var session = HTTPSession()
        _ = session.feed(ArraySlice("GET /file HTTP/1.1\r\nHost: a\r\n\r\n".utf8), direction: .toServer)
        _ = session.feed(ArraySlice("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n".utf8), direction: .toClient)
        #expect(session.skipBody(.toClient, upTo: 1_000) == 0, "the kept part is not full yet")
        _ = session.feed(ArraySlice(repeating: 0x7A, count: 65_536), direction: .toClient)
        #expect(session.skipBody(.toServer, upTo: 1_000) == 0, "the request has no body")
        #expect(session.skipBody(.toClient, upTo: 10_000) == 10_000)
        #expect(session.skipBody(.toClient, upTo: 1_000_000) == 100_000 - 65_536 - 10_000 - 1, "all but the last byte")
        let logged = session.feed(ArraySlice("zHTTP/1.1 200 OK\r\n".utf8), direction: .toClient)
        try #require(logged.count == 2)
        #expect(logged[0].kind == .logOnly && logged[0].http?.length == 100_000)
        #expect(logged[1].transaction.id == 1, "the next status line")
    }

    @Test func garbageResponsesStopOnlyTheResponseDirection() {
        var state = AppLayerState(transport: 6, serverPort: 80)
        _ = state.feed("GET /1 HTTP/1.1\r\n\r\n", .toServer)
        #expect(state.feed("\u{0}\u{1}\u{2} not http\r\n", .toClient).isEmpty)
        #expect(state.feed("GET /2 HTTP/1.1\r\n\r\n", .toServer).map(\.transaction.id) == [1])
        #expect(!state.isFinished)
    }

    @Test func repeatedHeadersMergeAndFoldedLinesJoin() {
        var state = AppLayerState(transport: 6, serverPort: 80)
        let records = state.feed("GET / HTTP/1.1\r\nUser-Agent: SuriTester/0.8\r\nHost: ABC.com\r\nAccept: */*\r\n"
            + "User-Agent: GGGG\r\nHost: efg.net\r\nX-Long: one\r\n  two\r\n\r\n", .toServer)
        let tx = records[0].transaction
        #expect(tx.text(.httpUserAgent) == "SuriTester/0.8, GGGG")
        #expect(tx.text(.httpRawHost) == "ABC.com, efg.net")
        #expect(tx.text(.httpHeader) == "User-Agent: SuriTester/0.8, GGGG\r\nHost: ABC.com, efg.net\r\nAccept: */*\r\nX-Long: one two\r\n")
        #expect(tx.text(.httpHeaderNames) == "\r\nUser-Agent\r\nHost\r\nAccept\r\nX-Long\r\n\r\n")
    }

    @Test func absoluteURIGivesTheHostAndPathOnlyURI() {
        var state = AppLayerState(transport: 6, serverPort: 3128)
        let records = state.feed("GET http://user@Proxy.Example.:3128/x/../y?q HTTP/1.1\r\nHost: other\r\n\r\n", .toServer)
        let tx = records[0].transaction
        #expect(tx.text(.httpURI) == "/y?q")
        #expect(tx.text(.httpHost) == "proxy.example")
        #expect(tx.text(.httpRawHost) == "Proxy.Example.")
        #expect(records.isEmpty == false)
        let logged = state.finish()
        #expect(logged.first?.http?.hostname == "proxy.example" && logged.first?.http?.http_port == 3128)
    }

    @Test(arguments: [
        ("/", "/"),
        ("/index.html", "/index.html"),
        ("/a/b/../c", "/a/c"),
        ("/a/./b/.", "/a/b/"),
        ("/a/b/..", "/a/"),
        ("/../../etc/passwd", "/etc/passwd"),
        ("//double///slash", "/double/slash"),
        ("/back\\slash", "/back/slash"),
        ("/%7Euser/%2e%2e/admin", "/admin"),
        ("/space%20here", "/space here"),
        ("/bad%zzescape%4", "/bad%zzescape%4"),
        ("/q?a=%41&b=/../c#frag", "/q?a=%41&b=/../c#frag"),
        ("*", "*"),
    ])
    func uriNormalization(raw: String, normalized: String) {
        #expect(String(decoding: HTTPURI(Array(raw.utf8)).normalized, as: UTF8.self) == normalized)
    }

    @Test func http09RequestHasNoHeaders() {
        var state = AppLayerState(transport: 6, serverPort: 80)
        let records = state.feed("GET /old\r\n", .toServer)
        #expect(records.count == 1)
        #expect(records.first?.transaction.text(.httpRequestLine) == "GET /old")
        #expect(records.first?.transaction[.httpProtocol].isEmpty == true)
    }

    @Test func oversizedHeadGivesUpOnThatDirection() {
        var state = AppLayerState(transport: 6, serverPort: 80)
        _ = state.feed("GET / HTTP/1.1\r\n", .toServer)
        let filler = "X-Filler: " + String(repeating: "a", count: 1000) + "\r\n"
        var records: [AppLayerRecord] = []
        for _ in 0..<70 { records += state.feed(filler, .toServer) }
        records += state.feed("\r\n", .toServer)
        #expect(records.isEmpty)
        #expect(state.feed("GET /next HTTP/1.1\r\n\r\n", .toServer).isEmpty, "the direction stays closed")
        #expect(state.feed("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", .toClient).count == 1, "the other direction goes on")
    }

    @Test func connectTunnelStopsParsing() {
        var state = AppLayerState(transport: 6, serverPort: 3128)
        _ = state.feed("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", .toServer)
        let records = state.feed("HTTP/1.1 200 Connection established\r\n\r\n", .toClient)
        #expect(records.count == 1 && records[0].http?.status == 200)
        #expect(state.isFinished)
        #expect(state.feed(AppLayerFixture.records([1, 0, 0, 0]), .toServer).isEmpty)
    }

    @Test func responseSetCookieIsTheResponseCookieAndLeavesTheHeaderBuffer() {
        var state = AppLayerState(transport: 6, serverPort: 80)
        _ = state.feed("GET / HTTP/1.1\r\n\r\n", .toServer)
        let records = state.feed("HTTP/1.1 302 Found\r\nSet-Cookie: id=1\r\nLocation: /login\r\nContent-Length: 0\r\n\r\n", .toClient)
        let tx = records[0].transaction
        #expect(tx.text(.httpCookie) == "id=1")
        #expect(tx.text(.httpHeader) == "Location: /login\r\nContent-Length: 0\r\n")
        #expect(tx.text(.httpProtocol) == "HTTP/1.1")
    }

    @Test func badContentLengthStopsTheDirection() {
        var state = AppLayerState(transport: 6, serverPort: 80)
        #expect(state.feed("POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\nbody", .toServer).isEmpty)
        #expect(state.feed("GET / HTTP/1.1\r\n\r\n", .toServer).isEmpty)
    }
}

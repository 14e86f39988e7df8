import Testing
@testable import DataPlane
import Rules
import Shared

@Suite("App layer: HTTP bodies counted, not kept, when no rule reads them")
struct AppLayerHTTPBodyKeepingTests {
    static let pipelined = "GET /1 HTTP/1.1\r\nHost: a\r\n\r\n"
        + "POST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
        + "GET /3 HTTP/1.1\r\nHost: a\r\n\r\n"

    @Test("bodies of every framing are skipped whole and counted; the messages after them parse as before")
    func framingAndPipeliningHold() throws {
        var state = AppLayerState(transport: 6, serverPort: 80, keepsBodies: false)
        let sent = state.feed(Self.pipelined, .toServer)
        #expect(sent.map(\.transaction.id) == [0, 1, 2])
        #expect(sent.map { $0.transaction.text(.httpRawURI) } == ["/1", "/2", "/3"])
        #expect(sent[1].transaction[.httpRequestBody].isEmpty, "the request body is not kept")
        #expect(sent[1].transaction.text(.httpContentLength) == "5")

        let lengthDelimited = state.feed("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", .toClient)
        try #require(lengthDelimited.count == 1)
        #expect(lengthDelimited[0].transaction[.httpResponseBody].isEmpty)
        #expect(lengthDelimited[0].http?.length == 2, "the body is still counted for EVE")

        let body = "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n"
        let chunked = Array(("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + body).utf8)
        var records: [AppLayerRecord] = []
        for byte in chunked { records += state.feed([byte], .toClient) }
        #expect(records.map(\.transaction.progress) == [1, 2, 3], "status line, head, then the end of the chunked body")
        #expect(records.last?.transaction[.httpResponseBody].isEmpty == true)
        #expect(records.last?.http?.length == body.utf8.count)

        let last = state.feed("HTTP/1.1 204 No Content\r\n\r\n", .toClient)
        #expect(last.map(\.transaction.id) == [2], "the response after the chunked body pairs with the third request")
        #expect(state.finish().isEmpty)
    }

    @Test("a large body is kept up to the limit and inspected once that fills, or only counted and inspected at its end",
          arguments: [true, false])
    func largeBody(keepsBodies: Bool) throws {
        var state = AppLayerState(transport: 6, serverPort: 80, keepsBodies: keepsBodies)
        _ = state.feed("GET /big HTTP/1.1\r\nHost: a\r\n\r\n", .toServer)
        let size = 200_000
        let response = Array("HTTP/1.1 200 OK\r\nContent-Length: \(size)\r\n\r\n".utf8) + Array(repeating: UInt8(ascii: "x"), count: size)
        let records = AppLayerFixture.feed(&state, response, .toClient, pieces: Array(repeating: 16384, count: 20))
        let inspected = records.filter { $0.kind != .logOnly }
        #expect(inspected.map(\.transaction.progress) == [2, 3], "the head, then the body")
        try #require(inspected.count == 2)
        let body = inspected[1]
        if keepsBodies {
            #expect(body.transaction[.httpResponseBody].first?.count == AppLayerLimits.bodyInspectionBytes)
            #expect(body.http == nil, "inspected before the body ends, logged when it does")
        } else {
            #expect(body.transaction[.httpResponseBody].isEmpty)
            #expect(body.http != nil, "inspected when the body ends")
        }
        #expect(records.compactMap(\.http).map(\.length) == [size])
    }
}

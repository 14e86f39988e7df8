import NIOCore
import NIOPosix
import Testing
@testable import DataPlane

/// The HTTP client against canned servers on 127.0.0.1: what it sends, and each way a fetch fails.
@Suite("Revocation: HTTP fetcher")
struct HTTPRevocationFetcherTests {
    /// Runs `body` with a server answering `response` and a fetcher with the given bounds.
    func withServer(
        _ response: String?, timeout: Duration = .seconds(3), maximumResponseBytes: Int = 1 << 20,
        _ body: (HTTPRevocationFetcher, CannedHTTPServer) async throws -> Void
    ) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let server = try await CannedHTTPServer(group: group, response: response.map { Array($0.utf8) })
        let fetcher = HTTPRevocationFetcher(group: group, timeout: timeout, maximumResponseBytes: maximumResponseBytes)
        do {
            try await body(fetcher, server)
        } catch {
            Issue.record(error)
        }
        try await server.close()
        try await group.shutdownGracefully()
    }

    @Test("POST: the request line, Host, Content-Type and body; the 200 body comes back")
    func post() async throws {
        try await withServer("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc") { fetcher, server in
            let url = "http://127.0.0.1:\(server.port)/ocsp"
            let body = try await fetcher.fetch(url: url, body: Array("REQ".utf8), contentType: "application/ocsp-request")
            #expect(body == Array("abc".utf8))
            let request = try #require(server.requests.first)
            #expect(request.hasPrefix("POST /ocsp HTTP/1.1\r\n"))
            #expect(request.contains("Host: 127.0.0.1:\(server.port)\r\n"))
            #expect(request.contains("Content-Type: application/ocsp-request\r\n"))
            #expect(request.contains("Content-Length: 3\r\n"))
            #expect(request.hasSuffix("\r\n\r\nREQ"))
        }
    }

    @Test("GET; an HTTP/1.0 body without Content-Length ends with the connection")
    func getUntilClose() async throws {
        try await withServer("HTTP/1.0 200 OK\r\n\r\nCRL bytes") { fetcher, server in
            let body = try await fetcher.fetch(url: "http://127.0.0.1:\(server.port)/ca.crl", body: nil, contentType: nil)
            #expect(body == Array("CRL bytes".utf8))
            #expect(server.requests.first?.hasPrefix("GET /ca.crl HTTP/1.1\r\n") == true)
        }
    }

    @Test("a status other than 200 is an error")
    func notFound() async throws {
        try await withServer("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n") { fetcher, server in
            await #expect(throws: RevocationFetchError.httpStatus(404)) {
                try await fetcher.fetch(url: "http://127.0.0.1:\(server.port)/", body: nil, contentType: nil)
            }
        }
    }

    @Test("bodies over the limit are refused, declared or not", arguments: [
        "HTTP/1.1 200 OK\r\nContent-Length: 2000\r\n\r\n" + String(repeating: "x", count: 2000),
        "HTTP/1.0 200 OK\r\n\r\n" + String(repeating: "x", count: 2000),
    ])
    func tooLarge(_ response: String) async throws {
        try await withServer(response, maximumResponseBytes: 1000) { fetcher, server in
            await #expect(throws: RevocationFetchError.responseTooLarge(limit: 1000)) {
                try await fetcher.fetch(url: "http://127.0.0.1:\(server.port)/", body: nil, contentType: nil)
            }
        }
    }

    @Test("a silent server times out")
    func silent() async throws {
        try await withServer(nil, timeout: .milliseconds(300)) { fetcher, server in
            let start = ContinuousClock.now
            await #expect(throws: RevocationFetchError.timedOut(.milliseconds(300))) {
                try await fetcher.fetch(url: "http://127.0.0.1:\(server.port)/", body: nil, contentType: nil)
            }
            // The error names the fetcher's own timeout; the bound only shows it does not wait on the silent
            // server (generous: a loaded machine delays the timer, and speed is measured in benchmarks).
            #expect(ContinuousClock.now - start < .seconds(30))
        }
    }

    @Test("a closed port is refused, and only http:// URLs are fetched")
    func refusedAndUnsupported() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let closed = try ReservedPort()
        let port = closed.port
        let fetcher = HTTPRevocationFetcher(group: group)
        await #expect(throws: RevocationFetchError.unreachable("connection refused")) {
            try await fetcher.fetch(url: "http://127.0.0.1:\(port)/", body: nil, contentType: nil)
        }
        await #expect(throws: RevocationFetchError.unsupportedURL) {
            try await fetcher.fetch(url: "https://127.0.0.1:\(port)/", body: nil, contentType: nil)
        }
        withExtendedLifetime(closed) {}
        try await group.shutdownGracefully()
    }
}

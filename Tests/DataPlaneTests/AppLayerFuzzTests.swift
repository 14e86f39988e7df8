import Testing
@testable import DataPlane
import Rules
import Shared

/// Feeds damaged and random input to every parser: nothing may trap, and state stays bounded. Seeded, and
/// bounded in count, so a failure reproduces and the suite stays fast.
@Suite("App layer: hostile input")
struct AppLayerFuzzTests {
    static let seeds: [(transport: UInt8, port: UInt16, toServer: [UInt8], toClient: [UInt8])] = [
        (6, 80, Array(AppLayerHTTPTests.request.utf8) + Array("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n".utf8),
         Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nHTTP/1.1 204 No\r\n\r\n".utf8)),
        (6, 443, AppLayerFixture.records(TLSFixtures.clientHello, fragment: 90),
         AppLayerFixture.records(TLSFixtures.serverHello12 + TLSFixtures.certificateMessage([TLSFixtures.leafDER, TLSFixtures.caDER]), fragment: 200)),
        (17, 53, AppLayerDNSTests.query, AppLayerDNSTests.response),
        (6, 53, [0, UInt8(AppLayerDNSTests.query.count)] + AppLayerDNSTests.query,
         [0, UInt8(AppLayerDNSTests.response.count)] + AppLayerDNSTests.response),
    ]

    static func mutate(_ bytes: [UInt8], _ rng: inout SeededGenerator) -> [UInt8] {
        var bytes = bytes
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: // truncate
            bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &rng)))
        case 1: // flip some bytes
            for _ in 0..<Int.random(in: 1...8, using: &rng) where !bytes.isEmpty {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
        case 2: // splice random bytes in
            let at = Int.random(in: 0...bytes.count, using: &rng)
            bytes.insert(contentsOf: (0..<Int.random(in: 1...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }, at: at)
        default: // all random
            bytes = (0..<Int.random(in: 0...600, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        }
        return bytes
    }

    @Test func damagedStreamsNeverTrap() {
        var rng = SeededGenerator(seed: 0x5EED_1234)
        for iteration in 0..<1200 {
            let seed = Self.seeds[iteration % Self.seeds.count]
            var state = AppLayerState(transport: seed.transport, serverPort: seed.port)
            for (direction, bytes) in [(FlowDirection.toServer, seed.toServer), (.toClient, seed.toClient)] {
                let damaged = Self.mutate(bytes, &rng)
                if seed.transport == 17 {
                    _ = state.feed(damaged, direction)
                } else {
                    var start = 0
                    while start < damaged.count {
                        let end = min(damaged.count, start + Int.random(in: 1...200, using: &rng))
                        _ = state.feed(Array(damaged[start..<end]), direction)
                        start = end
                    }
                }
            }
            _ = state.finish()
        }
    }

    @Test func damagedMessagesNeverTrapTheDecoders() {
        var rng = SeededGenerator(seed: 42)
        for _ in 0..<1500 {
            _ = X509Summary(der: Self.mutate(TLSFixtures.leafDER, &rng))
            _ = TLSClientHello(Array(Self.mutate(TLSFixtures.clientHello, &rng).dropFirst(4)))
            _ = TLSServerHello(Array(Self.mutate(TLSFixtures.serverHello12, &rng).dropFirst(4)))
            _ = DNSMessage(Self.mutate(AppLayerDNSTests.response, &rng), strict: Bool.random(using: &rng))
            _ = HTTPURI(Self.mutate(Array("/a/../b/%41/./c?d".utf8), &rng))
            var decoder = HTTPBodyDecoder(.chunked)
            var input = Self.mutate(Array("5\r\nhello\r\n0\r\n\r\n".utf8), &rng)[...]
            _ = decoder.consume(&input)
        }
    }

    @Test func endlessInputStaysBounded() {
        var http = AppLayerState(transport: 6, serverPort: 80)
        _ = http.feed("GET / HTTP/1.1\r\nX: ", .toServer)
        let chunk = Array(repeating: UInt8(ascii: "a"), count: 4096)
        for _ in 0..<64 { _ = http.feed(chunk, .toServer) } // 256 KiB of one header line
        #expect(http.feed("\r\n\r\n", .toServer).isEmpty)

        var tls = AppLayerState(transport: 6, serverPort: 443)
        // A handshake message announcing 16 MiB, then records of filler.
        _ = tls.feed(AppLayerFixture.records([1, 0xFF, 0xFF, 0xFF]), .toServer)
        for _ in 0..<40 { _ = tls.feed(AppLayerFixture.records(Array(repeating: 0, count: 4000)), .toServer) }
        #expect(tls.detected == .tls)

        var dns = AppLayerState(transport: 6, serverPort: 53)
        _ = dns.feed([0xFF, 0xFF, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0], .toServer)
        for _ in 0..<20 { _ = dns.feed(chunk, .toServer) }
        #expect(dns.detected == .dns)
    }
}

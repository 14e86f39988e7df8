import Testing
@testable import DataPlane

@Suite("ClientHello reader")
struct ClientHelloReaderTests {
    @Test func aHelloSplitAcrossReadsAndRecordsIsReportedWithEveryByte() throws {
        let hello = TLSFixtures.clientHello
        let bytes = AppLayerFixture.records(hello, fragment: 40)
        var reader = ClientHelloReader()
        var progress = ClientHelloReader.Progress.needMore
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + 7)
            progress = reader.append(bytes[offset..<end])
            offset = end
            if case .complete = progress { break }
        }
        guard case .complete(let all, let parsed) = progress else {
            Issue.record("no hello after \(offset) of \(bytes.count) bytes")
            return
        }
        #expect(all == bytes)
        #expect(parsed.serverName.map { String(decoding: $0, as: UTF8.self) } == "www.rampart.test")
    }

    @Test func notTLSAndOversizedInputAreRefused() {
        var plain = ClientHelloReader()
        guard case .notTLS = plain.append(Array("GET / HTTP/1.1\r\n\r\n".utf8)) else {
            Issue.record("HTTP was taken for TLS")
            return
        }
        var huge = ClientHelloReader()
        // A ClientHello announcing 70,000 bytes, sent in full-size records: more than the reader holds.
        let announced: [UInt8] = [1, 0x01, 0x11, 0x70] + Array(repeating: 0, count: 70_000)
        guard case .notTLS = huge.append(AppLayerFixture.records(announced)) else {
            Issue.record("an oversized hello was accepted")
            return
        }
    }

    @Test func theOfferedApplicationProtocolsAreParsed() throws {
        let hello = try #require(TLSClientHello(Array(TLSFixtures.clientHello.dropFirst(4))))
        #expect(hello.applicationProtocols == ["h2", "http/1.1"])
    }
}

import Testing
@testable import DataPlane

@Suite("Inspected stream (IDS mode)")
struct InspectedStreamTests {
    /// A stream whose SYN had sequence number 999 (its first byte is 1000), holding `text` delivered.
    static func holding(_ text: String) -> InspectedStream {
        var stream = InspectedStream(configuration: StreamConfiguration())
        _ = stream.reassembler.feed(999, "", syn: true)
        stream.hold(stream.reassembler.feed(1000, text))
        return stream
    }

    @Test func bytesGoToTheApplicationLayerOnceAcknowledged() {
        var stream = Self.holding("GET / HTTP/1.1\r\n")
        #expect(stream.takeParsable(endOfStream: false).isEmpty, "nothing acknowledged yet")
        stream.acknowledge(1004)
        #expect(stream.takeParsable(endOfStream: false) == bytes("GET "))
        stream.acknowledge(1002)
        #expect(stream.takeParsable(endOfStream: false).isEmpty, "an older acknowledgement moves nothing")
        stream.acknowledge(1016)
        #expect(stream.takeParsable(endOfStream: false) == bytes("/ HTTP/1.1\r\n"))
        stream.hold(stream.reassembler.feed(1016, "Host: a\r\n"))
        #expect(stream.takeParsable(endOfStream: true) == bytes("Host: a\r\n"), "the end of the stream takes all")
        #expect(!stream.hasUnparsed)
    }

    @Test func rawChunksWaitForAMessageEndOrAChunksWorth() {
        var stream = Self.holding("GET /malic")
        stream.acknowledge(1010)
        #expect(stream.takeChunk(endOfStream: false) == nil, "acknowledged, but no message ended")
        stream.hold(stream.reassembler.feed(1010, "ious HTTP/1.1\r\n\r\n"))
        stream.acknowledge(1027)
        stream.rawTriggered = true
        #expect(stream.takeChunk(endOfStream: false) == bytes("GET /malicious HTTP/1.1\r\n\r\n"), "one chunk across segments")
        #expect(!stream.rawTriggered && stream.takeChunk(endOfStream: false) == nil)

        var large = Self.holding(String(repeating: "x", count: InspectedStream.chunkSize))
        large.acknowledge(1000 + UInt32(InspectedStream.chunkSize))
        #expect(large.takeChunk(endOfStream: false)?.count == InspectedStream.chunkSize)

        var unacknowledged = Self.holding("abc")
        #expect(unacknowledged.takeChunk(endOfStream: false) == nil)
        #expect(unacknowledged.takeChunk(endOfStream: true) == bytes("abc"))
    }

    @Test func theOutOfBandByteLeavesTheStream() {
        var stream = InspectedStream(configuration: StreamConfiguration())
        func add(_ sequence: UInt32, _ text: String, urgent: UInt16? = nil, _ policy: UrgentPolicy = .outOfBand) -> [UInt8] {
            Array(text.utf8).withUnsafeBytes {
                stream.add(sequence: sequence, payload: $0, syn: false, fin: false, urgentPointer: urgent, policy: policy)
            }
        }
        _ = stream.reassembler.feed(999, "", syn: true)
        #expect(add(1000, "GET /malic") == bytes("GET /malic"))
        #expect(add(1010, "X", urgent: 1).isEmpty, "the urgent byte is out of band")
        #expect(add(1011, "ious", urgent: 9) == bytes("ious"), "a pointer beyond the segment marks nothing in it")
        stream.hold(bytes("GET /malicious"))
        stream.acknowledge(1015)
        #expect(stream.takeParsable(endOfStream: false) == bytes("GET /malicious"), "acknowledgements count the urgent byte")

        var inline = InspectedStream(configuration: StreamConfiguration())
        _ = inline.reassembler.feed(999, "", syn: true)
        let kept = Array("X".utf8).withUnsafeBytes {
            inline.add(sequence: 1000, payload: $0, syn: false, fin: false, urgentPointer: 1, policy: .inline)
        }
        #expect(kept == bytes("X"))
    }

    @Test func whatIsHeldIsBounded() {
        var stream = Self.holding(String(repeating: "y", count: InspectedStream.heldLimit + 10))
        #expect(stream.takeParsable(endOfStream: false).count == 10, "the oldest go on unacknowledged")
        #expect(stream.takeChunk(endOfStream: false)?.count == 10)
    }
}
private func bytes(_ string: String) -> [UInt8] { Array(string.utf8) }

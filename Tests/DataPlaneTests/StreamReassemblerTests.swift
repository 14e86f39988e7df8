import Testing
@testable import DataPlane

@Suite("Stream reassembler")
struct StreamReassemblerTests {
    @Test func inOrderSegmentsAreDeliveredAtOnce() {
        var stream = StreamReassembler()
        #expect(stream.feed(1000, "", syn: true).isEmpty)
        #expect(stream.feed(1001, "GET / ") == bytes("GET / "))
        #expect(stream.feed(1007, "HTTP/1.1\r\n") == bytes("HTTP/1.1\r\n"))
        #expect(stream.deliveredBytes == 16)
        #expect(stream.pendingBytes == 0)
        #expect(stream.nextSequence == 1017)
        #expect(stream.anomalies == StreamAnomalies())
        #expect(!stream.finished)
    }

    @Test func outOfOrderSegmentsWaitForTheHoleAndArriveTogether() {
        var stream = StreamReassembler()
        _ = stream.feed(99, "", syn: true)
        #expect(stream.feed(107, "hij").isEmpty)
        #expect(stream.pendingBytes == 3)
        #expect(stream.feed(104, "efg").isEmpty)
        #expect(stream.pendingBytes == 6 && stream.pendingSegments == 2)
        #expect(stream.deliveredBytes == 0)
        #expect(stream.feed(100, "abcd") == bytes("abcdefghij"))
        #expect(stream.pendingBytes == 0 && stream.pendingSegments == 0)
        #expect(stream.deliveredBytes == 10)
        #expect(stream.feed(110, "kl") == bytes("kl"))
    }

    @Test func queuedBytesWinOverLaterCopiesAndDifferencesAreCounted() {
        var stream = StreamReassembler()
        _ = stream.feed(0, "", syn: true)
        // Queued first: bytes 4..<8 as "XXXX".
        #expect(stream.feed(5, "XXXX").isEmpty)
        // A later out-of-order copy of 2..<10 with different bytes for 4..<8: only 2..<4 and 8..<10 are new.
        #expect(stream.feed(3, "cdefghij").isEmpty)
        #expect(stream.anomalies.overlapsWithDifferentData == 1)
        #expect(stream.pendingBytes == 8)
        // The in-order segment covers everything: the queued (first) copies are delivered.
        #expect(stream.feed(1, "abcdefghijkl") == bytes("abcdXXXXijkl"))
        #expect(stream.anomalies.overlapsWithDifferentData == 2)
        #expect(stream.pendingBytes == 0)

        // Consistent overlaps are not anomalies.
        var clean = StreamReassembler()
        _ = clean.feed(0, "", syn: true)
        #expect(clean.feed(5, "efgh").isEmpty)
        #expect(clean.feed(3, "cdefghij").isEmpty)
        #expect(clean.feed(1, "abcdefghijkl") == bytes("abcdefghijkl"))
        #expect(clean.anomalies.overlapsWithDifferentData == 0)
    }

    @Test func retransmissionsAreIgnoredAndPartialOnesDeliverOnlyTheNewPart() {
        var stream = StreamReassembler()
        _ = stream.feed(0, "", syn: true)
        #expect(stream.feed(1, "hello") == bytes("hello"))
        #expect(stream.feed(1, "hello").isEmpty)
        #expect(stream.feed(3, "llo").isEmpty)
        // Old and new bytes together: only " world" is new. Old bytes are not compared.
        #expect(stream.feed(1, "HELLO world") == bytes(" world"))
        #expect(stream.deliveredBytes == 11)
        // Queued data partially retransmitted together with new bytes behind the hole.
        #expect(stream.feed(15, "4567").isEmpty)
        #expect(stream.feed(14, "34567").isEmpty)
        #expect(stream.pendingBytes == 5)
        #expect(stream.feed(12, "12") == bytes("1234567"))
        #expect(stream.anomalies == StreamAnomalies())
    }

    @Test func sequenceNumbersWrapAround() {
        var stream = StreamReassembler()
        let isn: UInt32 = 0xFFFF_FFF9
        _ = stream.feed(isn, "", syn: true)
        // Data from 0xFFFFFFFA: "abcd" up to 0xFFFFFFFD, "efgh" across the wrap to 0x1, "ijkl" after it.
        #expect(stream.feed(0x0000_0002, "ijkl").isEmpty)
        #expect(stream.feed(0xFFFF_FFFE, "efgh").isEmpty)
        #expect(stream.pendingSegments == 2)
        #expect(stream.feed(0xFFFF_FFFA, "abcd") == bytes("abcdefghijkl"))
        #expect(stream.nextSequence == 6)
        // A retransmission from before the wrap is old, not 4 GiB ahead.
        #expect(stream.feed(0xFFFF_FFFC, "cdefgh").isEmpty)
        #expect(stream.feed(0x0000_0004, "klmn") == bytes("mn"))
        #expect(stream.anomalies == StreamAnomalies())
    }

    @Test func synDataOfTCPFastOpenStartsAfterTheISN() {
        var stream = StreamReassembler()
        #expect(stream.feed(5000, "GET /", syn: true) == bytes("GET /"))
        #expect(stream.feed(5006, " HTTP") == bytes(" HTTP"))
        // A retransmitted SYN with its data brings nothing new.
        #expect(stream.feed(5000, "GET /", syn: true).isEmpty)
        #expect(stream.deliveredBytes == 10)
    }

    @Test func midstreamPickupStartsAtTheFirstSegment() {
        var stream = StreamReassembler()
        #expect(stream.nextSequence == nil)
        #expect(stream.feed(7_000_000, "middle") == bytes("middle"))
        #expect(stream.feed(6_999_990, "earlier data").isEmpty)
        #expect(stream.feed(7_000_010, "later").isEmpty)
        #expect(stream.feed(7_000_006, "-ish") == bytes("-ishlater"))
        #expect(stream.deliveredBytes == 15)
    }

    @Test func segmentsFarOutsideAnyWindowAreIgnored() {
        var stream = StreamReassembler(configuration: StreamConfiguration(depth: 0))
        _ = stream.feed(0, "", syn: true)
        #expect(stream.feed(1, "ab") == bytes("ab"))
        #expect(stream.feed(3 &+ 0x4000_0001, "far ahead").isEmpty)
        #expect(stream.feed(3 &- 0x4000_0001, "far behind").isEmpty)
        #expect(stream.anomalies.droppedOutOfWindow == 2)
        #expect(stream.pendingBytes == 0)
        // Exactly 1 GiB ahead is still queued.
        #expect(stream.feed(3 &+ 0x4000_0000, "edge").isEmpty)
        #expect(stream.pendingBytes == 4)
        #expect(stream.feed(3, "cd") == bytes("cd"))
    }

    @Test func pendingLimitSkipsTheOldestHole() {
        var stream = StreamReassembler(configuration: StreamConfiguration(maximumPendingBytes: 8))
        _ = stream.feed(0, "", syn: true)
        #expect(stream.feed(1, "ab") == bytes("ab"))
        // Hole at 3..<5; 5..<9 and 10..<13 queued (7 bytes).
        #expect(stream.feed(5, "efgh").isEmpty)
        #expect(stream.feed(10, "jkl").isEmpty)
        #expect(stream.pendingBytes == 7)
        // Two more bytes would hold 9: the hole at 3 is given up, 5..<9 delivered; 10..<13 and 14..<16 stay.
        #expect(stream.feed(14, "no") == bytes("efgh"))
        #expect(stream.anomalies.gapSkipped == 1)
        #expect(stream.anomalies.bytesSkipped == 2)
        #expect(stream.pendingBytes == 5)
        // The skipped bytes arrive late: they are a retransmission now.
        #expect(stream.feed(3, "cd").isEmpty)
        #expect(stream.feed(9, "i") == bytes("ijkl"))
        #expect(stream.deliveredBytes == 10)
        // A single segment larger than the limit behind a hole is delivered after skipping the hole.
        #expect(stream.feed(20, "0123456789") == bytes("no0123456789"))
        #expect(stream.anomalies.gapSkipped == 3)
        #expect(stream.pendingBytes == 0)
    }

    @Test func segmentCountLimitSkipsTheOldestHole() {
        var stream = StreamReassembler(configuration: StreamConfiguration(maximumSegments: 2))
        _ = stream.feed(0, "", syn: true)
        #expect(stream.feed(3, "c").isEmpty)
        #expect(stream.feed(5, "e").isEmpty)
        #expect(stream.pendingSegments == 2)
        #expect(stream.feed(7, "g") == bytes("c"))
        #expect(stream.pendingSegments == 2)
        #expect(stream.anomalies.gapSkipped == 1 && stream.anomalies.bytesSkipped == 2)
        // Filling the remaining hole before "e" delivers it; "g" still waits behind its own hole.
        #expect(stream.feed(4, "d") == bytes("de"))
        #expect(stream.pendingSegments == 1)
    }

    @Test func depthStopsReassembly() {
        var stream = StreamReassembler(configuration: StreamConfiguration(depth: 10))
        _ = stream.feed(0, "", syn: true)
        #expect(stream.feed(1, "01234567") == bytes("01234567"))
        #expect(stream.feed(14, "queued?").isEmpty)
        #expect(stream.pendingBytes == 0)   // beyond the depth: not held
        #expect(stream.feed(9, "89abc") == bytes("89"))
        #expect(stream.isStopped)
        #expect(stream.feed(14, "more").isEmpty)
        #expect(stream.skipGap().isEmpty)
        #expect(stream.deliveredBytes == 10)
        #expect(stream.anomalies.depthReached == 3)

        // Queued data is freed when the depth is reached.
        var other = StreamReassembler(configuration: StreamConfiguration(depth: 4))
        _ = other.feed(0, "", syn: true)
        #expect(other.feed(4, "Y").isEmpty)
        #expect(other.pendingBytes == 1)
        #expect(other.feed(1, "abXYZ") == bytes("abXY"))
        #expect(other.pendingBytes == 0 && other.isStopped)

        // Depth 0 is unlimited.
        var unlimited = StreamReassembler(configuration: StreamConfiguration(depth: 0))
        let big = [UInt8](repeating: 7, count: 3 << 20)
        #expect(big.withUnsafeBytes { unlimited.insert(sequence: 1, payload: $0, syn: false, fin: false) }.count == 3 << 20)
        #expect(!unlimited.isStopped && unlimited.anomalies.depthReached == 0)
    }

    @Test func finIsFinishedOnceEverythingBeforeItArrived() {
        var stream = StreamReassembler()
        _ = stream.feed(0, "", syn: true)
        #expect(stream.feed(6, "world", fin: true).isEmpty)
        #expect(!stream.finished)
        #expect(stream.feed(1, "hello") == bytes("helloworld"))
        #expect(stream.finished)
        // The sender's ACKs after its FIN carry the FIN's sequence number + 1: no anomaly.
        #expect(stream.feed(12, "").isEmpty)
        #expect(stream.anomalies == StreamAnomalies())
        // Data beyond the FIN is ignored.
        #expect(stream.feed(11, "late").isEmpty)
        #expect(stream.anomalies.dataAfterFin == 1)

        var inOrder = StreamReassembler()
        #expect(inOrder.feed(42, "bye", fin: true) == bytes("bye"))
        #expect(inOrder.finished)

        // A FIN trims queued data beyond it.
        var trimmed = StreamReassembler()
        _ = trimmed.feed(0, "", syn: true)
        #expect(trimmed.feed(5, "efghij").isEmpty)
        #expect(trimmed.feed(3, "cd", fin: true).isEmpty)   // FIN after "d": the queued "efghij" is dropped
        #expect(trimmed.pendingBytes == 2)
        #expect(trimmed.anomalies.dataAfterFin == 1)
        #expect(trimmed.feed(1, "ab") == bytes("abcd"))
        #expect(trimmed.finished)
    }

    @Test func skipGapAtFlowEnd() {
        var stream = StreamReassembler()
        #expect(stream.skipGap().isEmpty)   // nothing seen
        _ = stream.feed(0, "", syn: true)
        #expect(stream.feed(11, "tail").isEmpty)
        #expect(stream.feed(16, "end", fin: true).isEmpty)
        // The hole at 1..<11 never comes.
        #expect(stream.skipGap() == bytes("tail"))
        #expect(stream.anomalies.bytesSkipped == 10)
        #expect(!stream.finished)
        #expect(stream.skipGap() == bytes("end"))
        #expect(stream.finished)
        #expect(stream.skipGap().isEmpty)
        #expect(stream.anomalies.gapSkipped == 2 && stream.anomalies.bytesSkipped == 11)

        // With only a FIN beyond the hole, skipping reaches the FIN.
        var finOnly = StreamReassembler()
        _ = finOnly.feed(0, "", syn: true)
        _ = finOnly.feed(20, "", fin: true)
        #expect(!finOnly.finished)
        #expect(finOnly.skipGap().isEmpty)
        #expect(finOnly.finished)
    }

    @Test func manySmallSegmentsInReverse() {
        let count = 1000
        var stream = StreamReassembler()
        _ = stream.feed(0, "", syn: true)
        let data = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        for offset in stride(from: count - 1, to: 0, by: -1) {
            #expect(stream.feed(UInt32(offset + 1), [data[offset]]).isEmpty)
        }
        #expect(stream.pendingSegments == count - 1)
        // One segment spanning many queued ones, then the first byte.
        #expect(stream.feed(2, Array(data[1..<count])).isEmpty)
        #expect(stream.pendingSegments == count - 1)
        #expect(stream.feed(1, [data[0]]) == data)
        #expect(stream.anomalies == StreamAnomalies())
    }

    /// Splits a random 64 KiB string into random segments, adds duplicates and overlapping slices of
    /// the same data, shuffles, feeds: the output must be the string.
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func randomSegmentationsReassembleTheOriginal(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let original = (0..<65_536).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        // Near the wrap for half of the seeds.
        let isn = seed % 2 == 0 ? UInt32.max &- UInt32(random.next(below: 40_000)) : UInt32(truncatingIfNeeded: random.next())
        let maximumLength = seed % 3 == 0 ? 64 : 1500

        var pieces: [(offset: Int, length: Int)] = []
        var offset = 0
        while offset < original.count {
            let length = min(1 + random.next(below: maximumLength), original.count - offset)
            pieces.append((offset, length))
            offset += length
        }
        let baseCount = pieces.count
        for _ in 0..<(baseCount / 2) {
            if random.next(below: 2) == 0 {
                pieces.append(pieces[random.next(below: baseCount)])   // duplicate
            } else {
                let start = random.next(below: original.count)
                let length = min(1 + random.next(below: 3 * maximumLength), original.count - start)
                pieces.append((start, length))   // overlapping slice
            }
        }
        for index in stride(from: pieces.count - 1, to: 0, by: -1) {
            pieces.swapAt(index, random.next(below: index + 1))
        }

        var stream = StreamReassembler(configuration: StreamConfiguration(
            maximumPendingBytes: 1 << 20, depth: 0, maximumSegments: 1 << 16
        ))
        _ = stream.feed(isn, "", syn: true)
        var output: [UInt8] = []
        for piece in pieces {
            let fin = piece.offset + piece.length == original.count
            output += stream.feed(isn &+ 1 &+ UInt32(piece.offset), Array(original[piece.offset..<piece.offset + piece.length]), fin: fin)
        }
        // Compared by first difference: printing two 64 KiB arrays helps nobody.
        let firstDifference = (0..<min(output.count, original.count)).first { output[$0] != original[$0] }
            ?? (output.count == original.count ? nil : min(output.count, original.count))
        #expect(firstDifference == nil)
        #expect(stream.deliveredBytes == UInt64(original.count))
        #expect(stream.pendingBytes == 0 && stream.pendingSegments == 0)
        #expect(stream.finished)
        #expect(stream.anomalies == StreamAnomalies())
    }
}

private func bytes(_ string: String) -> [UInt8] { Array(string.utf8) }

extension StreamReassembler {
    /// Feeds `payload` at `sequence`.
    mutating func feed(_ sequence: UInt32, _ payload: [UInt8], syn: Bool = false, fin: Bool = false) -> [UInt8] {
        payload.withUnsafeBytes { insert(sequence: sequence, payload: $0, syn: syn, fin: fin) }
    }

    /// Feeds the UTF-8 of `payload` at `sequence`.
    mutating func feed(_ sequence: UInt32, _ payload: String, syn: Bool = false, fin: Bool = false) -> [UInt8] {
        feed(sequence, Array(payload.utf8), syn: syn, fin: fin)
    }
}

/// A small seeded generator (SplitMix64), so that a failing case can be replayed.
private struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next(below bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

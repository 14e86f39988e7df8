/// Bounded reassembly of one direction of a TCP flow into the byte stream the receiver sees.
///
/// A value type that the flow table entry owns, one per direction, driven from the packet path:
/// no locks, and no allocation beyond the returned array in the common case (a segment in order
/// with nothing queued returns `Array` of its new bytes and touches nothing else).
///
/// Sequence numbers are mapped once, on entry, to 64-bit *stream offsets* (bytes since the start of
/// the stream) by serial-number arithmetic (RFC 1982) against the next expected sequence number, so
/// the rest of the type never sees 32-bit wraparound. A segment more than 1 GiB ahead of or behind
/// that point is nonsense for any real window and is ignored (`droppedOutOfWindow`).
///
/// The start of the stream is the ISN + 1 of a SYN (so SYN data, as with TCP Fast Open, is the
/// first data), or, picked up midstream, the sequence number of the first segment fed.
///
/// **Overlap policy: first wins** (Suricata's `first`). Out-of-order bytes are queued in a sorted
/// array of non-overlapping segments; a later copy of queued bytes is compared with the queued copy
/// (counting `overlapsWithDifferentData` if they differ) and discarded, so only the never-seen
/// parts of a segment are queued. The same holds when an in-order segment covers queued bytes: the
/// queued (earlier) copy is delivered. Bytes before the delivered point are retransmissions and are
/// ignored unchecked: delivered bytes are not kept, so they cannot be compared.
///
/// **Bounds.** The queue holds at most `maximumPendingBytes` bytes in `maximumSegments` segments;
/// an insertion that goes beyond either skips the oldest hole (`skipGap()`), since a peer that
/// only ever sends the far side of a hole must not make the worker hold its whole stream. Queue
/// insertion is a binary search plus one array splice, so many small segments cost O(n) each, n
/// bounded by `maximumSegments`. Once `depth` stream bytes are behind, reassembly stops and the
/// queue is freed, as with Suricata's `stream.reassembly.depth`.
///
/// **Gaps.** The bytes returned by one call are contiguous with those of the previous calls unless
/// the call skipped a hole (`anomalies.gapSkipped` grew); an inspection engine should then not
/// match across the boundary.
public struct StreamReassembler: Sendable {
    /// The limits this reassembler enforces.
    public let configuration: StreamConfiguration

    /// Counters of irregular traffic seen so far.
    public private(set) var anomalies = StreamAnomalies()

    /// Bytes returned so far by `insert` and `skipGap`.
    public private(set) var deliveredBytes: UInt64 = 0

    /// Out-of-order bytes held, waiting for a hole to fill.
    public private(set) var pendingBytes = 0

    /// Serial-number distance beyond which a segment is ignored rather than queued: 1 GiB, a quarter
    /// of the sequence space, far beyond the largest scaled TCP window in practice.
    static let window: Int64 = 1 << 30

    /// Whether the start of the stream is fixed (by a SYN or the first segment).
    private var started = false
    /// The sequence number of stream offset 0.
    private var base: UInt32 = 0
    /// The stream offset of the next byte to deliver.
    private var position: Int64 = 0
    /// The stream offset of the FIN (just past the last data byte), once a FIN was seen.
    private var finOffset: Int64?
    /// Out-of-order bytes, sorted by offset, non-overlapping, all after `position` and before
    /// `limit`; the first starts strictly after `position` (contiguous bytes are always delivered).
    private var segments: [StreamSegment] = []

    /// A reassembler for a direction whose first segment has not been seen.
    public init(configuration: StreamConfiguration = StreamConfiguration()) {
        self.configuration = configuration
    }

    /// Whether the FIN was delivered in order: every byte before it was delivered (or skipped).
    public var finished: Bool { finOffset == position }

    /// Whether reassembly stopped because `configuration.depth` stream bytes are behind.
    public var isStopped: Bool { configuration.depth != 0 && position >= depthOffset }

    /// The sequence number of the next byte expected in order, `nil` before the first segment.
    public var nextSequence: UInt32? {
        started ? base &+ UInt32(truncatingIfNeeded: position) : nil
    }

    /// Out-of-order segments held.
    public var pendingSegments: Int { segments.count }

    /// Feeds one segment of this direction and returns the bytes that became contiguous, in order and
    /// never delivered twice, possibly none.
    ///
    /// - Parameters:
    ///   - sequence: The segment's sequence number.
    ///   - payload: The segment's data.
    ///   - syn: Whether the segment is a SYN: its sequence number is the ISN, and its data (TCP Fast
    ///     Open) starts at ISN + 1. Before any segment, a SYN fixes the start of the stream; without
    ///     one, the first segment does (midstream pickup).
    ///   - fin: Whether the segment is a FIN, which ends the stream after its data; data beyond it
    ///     is ignored (`dataAfterFin`).
    /// - Returns: The new contiguous bytes. If a limit made the call skip a hole, they follow that
    ///   hole (see `skipGap()`).
    public mutating func insert(sequence: UInt32, payload: UnsafeRawBufferPointer, syn: Bool, fin: Bool) -> [UInt8] {
        let dataSequence = syn ? sequence &+ 1 : sequence
        if !started {
            started = true
            base = dataSequence
        }
        let expected = base &+ UInt32(truncatingIfNeeded: position)
        let distance = Int64(Int32(bitPattern: dataSequence &- expected))
        guard distance <= Self.window, distance >= -Self.window else {
            anomalies.droppedOutOfWindow += 1
            return []
        }
        let start = position + distance
        let end = start + Int64(payload.count)
        if fin { recordFin(at: end) }
        if !payload.isEmpty {
            if let finOffset, end > finOffset { anomalies.dataAfterFin += 1 }
            if configuration.depth != 0, end > depthOffset { anomalies.depthReached += 1 }
        }

        let lower = max(start, position)
        let upper = min(end, limit)
        guard lower < upper else { return [] }

        var output: [UInt8]
        if lower == position {
            if segments.isEmpty {
                // The common case: in order, nothing queued.
                output = Array(payload.bytes(from: Int(lower - start), to: Int(upper - start)))
                position = upper
            } else {
                output = deliverInOrder(payload, at: start, upTo: upper)
            }
            deliveredBytes += UInt64(output.count)
        } else {
            enqueue(payload, at: start, from: lower, to: upper)
            output = []
            while !segments.isEmpty,
                  pendingBytes > configuration.maximumPendingBytes || segments.count > configuration.maximumSegments {
                let skipped = skipGap()
                if output.isEmpty { output = skipped } else { output.append(contentsOf: skipped) }
            }
        }
        if isStopped { discardQueue() }
        return output
    }

    /// Gives up on the oldest hole: jumps to the first queued segment (or, with nothing queued, to a
    /// FIN seen beyond the hole) and returns the bytes now contiguous from there.
    ///
    /// For when the data before the hole will never arrive: at the end of the flow, or when the
    /// caller decides it waited long enough. `insert` does it by itself when a queue limit is reached.
    /// Counts `gapSkipped` and `bytesSkipped`; does nothing when there is no hole to skip.
    public mutating func skipGap() -> [UInt8] {
        guard started, !isStopped else { return [] }
        let target: Int64
        if let first = segments.first {
            target = first.start
        } else if let finOffset, finOffset > position {
            target = finOffset
        } else {
            return []
        }
        anomalies.gapSkipped += 1
        anomalies.bytesSkipped += UInt64(target - position)
        position = target
        let output = drainQueue()
        deliveredBytes += UInt64(output.count)
        if isStopped { discardQueue() }
        return output
    }

    // MARK: - Internals

    /// `configuration.depth` as a stream offset.
    private var depthOffset: Int64 { Int64(clamping: configuration.depth) }

    /// The stream offset past which no byte is reassembled: the depth or the FIN, whichever is first.
    private var limit: Int64 {
        var limit = configuration.depth == 0 ? Int64.max : depthOffset
        if let finOffset, finOffset < limit { limit = finOffset }
        return limit
    }

    /// Notes the first FIN at stream offset `end` and drops queued data beyond it.
    private mutating func recordFin(at end: Int64) {
        guard finOffset == nil, end >= position else { return }
        finOffset = end
        var trimmed = false
        while let last = segments.last, last.end > end {
            trimmed = true
            if last.start >= end {
                segments.removeLast()
                pendingBytes -= last.bytes.count
            } else {
                let excess = Int(last.end - end)
                segments[segments.count - 1].bytes.removeLast(excess)
                pendingBytes -= excess
            }
        }
        if trimmed { anomalies.dataAfterFin += 1 }
    }

    /// Delivers `payload` (at stream offset `start`) from `position` up to `upper`, interleaved with
    /// the queued segments it covers (the queued copies win) and followed by those now contiguous.
    private mutating func deliverInOrder(_ payload: UnsafeRawBufferPointer, at start: Int64, upTo upper: Int64) -> [UInt8] {
        // The end of the contiguous run, to allocate once.
        var runEnd = upper
        for segment in segments {
            if segment.start > runEnd { break }
            runEnd = max(runEnd, segment.end)
        }
        var output: [UInt8] = []
        output.reserveCapacity(Int(runEnd - position))

        var cursor = position
        var index = 0
        var differs = false
        while true {
            if index < segments.count, segments[index].start == cursor {
                let segment = segments[index]
                if cursor < upper {
                    let count = Int(min(segment.end, upper) - cursor)
                    let same = segment.bytes.withUnsafeBytes {
                        $0.bytesEqual(at: 0, payload, at: Int(cursor - start), count: count)
                    }
                    if !same { differs = true }
                }
                output.append(contentsOf: segment.bytes)
                pendingBytes -= segment.bytes.count
                cursor = segment.end
                index += 1
            } else if cursor < upper {
                let next = index < segments.count ? min(segments[index].start, upper) : upper
                output.append(contentsOf: payload.bytes(from: Int(cursor - start), to: Int(next - start)))
                cursor = next
            } else {
                break
            }
        }
        segments.removeFirst(index)
        position = cursor
        if differs { anomalies.overlapsWithDifferentData += 1 }
        return output
    }

    /// Queues the bytes of `payload` (at stream offset `start`) from `lower` to `upper` that no queued
    /// segment holds yet, comparing those it does.
    private mutating func enqueue(_ payload: UnsafeRawBufferPointer, at start: Int64, from lower: Int64, to upper: Int64) {
        // The first segment ending after `lower` (ends are sorted as the segments do not overlap).
        var low = 0
        var high = segments.count
        while low < high {
            let middle = (low + high) / 2
            if segments[middle].end > lower { high = middle } else { low = middle + 1 }
        }
        let first = low

        if first == segments.count || segments[first].start >= upper {
            // No overlap: one insertion.
            let bytes = Array(payload.bytes(from: Int(lower - start), to: Int(upper - start)))
            segments.insert(StreamSegment(start: lower, bytes: bytes), at: first)
            pendingBytes += bytes.count
            return
        }

        // Overlaps: rebuild the affected range (queued segments and the new pieces between them) and
        // splice it in once.
        var replacement: [StreamSegment] = []
        var index = first
        var cursor = lower
        var differs = false
        while cursor < upper {
            if index < segments.count, segments[index].start <= cursor {
                let segment = segments[index]
                let overlapEnd = min(segment.end, upper)
                let same = segment.bytes.withUnsafeBytes {
                    $0.bytesEqual(at: Int(cursor - segment.start), payload, at: Int(cursor - start), count: Int(overlapEnd - cursor))
                }
                if !same { differs = true }
                replacement.append(segment)
                cursor = overlapEnd
                index += 1
            } else {
                let next = index < segments.count ? min(segments[index].start, upper) : upper
                let bytes = Array(payload.bytes(from: Int(cursor - start), to: Int(next - start)))
                replacement.append(StreamSegment(start: cursor, bytes: bytes))
                pendingBytes += bytes.count
                cursor = next
            }
        }
        segments.replaceSubrange(first..<index, with: replacement)
        if differs { anomalies.overlapsWithDifferentData += 1 }
    }

    /// Delivers the queued segments contiguous from `position`.
    private mutating func drainQueue() -> [UInt8] {
        var count = 0
        var runEnd = position
        while count < segments.count, segments[count].start == runEnd {
            runEnd = segments[count].end
            count += 1
        }
        guard count > 0 else { return [] }
        if count == 1 {
            let segment = segments.removeFirst()
            pendingBytes -= segment.bytes.count
            position = runEnd
            return segment.bytes
        }
        var output: [UInt8] = []
        output.reserveCapacity(Int(runEnd - position))
        for segment in segments[0..<count] {
            output.append(contentsOf: segment.bytes)
        }
        segments.removeFirst(count)
        pendingBytes -= output.count
        position = runEnd
        return output
    }

    /// Frees the queue once reassembly stopped.
    private mutating func discardQueue() {
        segments = []
        pendingBytes = 0
    }
}

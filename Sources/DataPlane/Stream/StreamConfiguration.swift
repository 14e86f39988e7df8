/// The limits of TCP stream reassembly for one direction of a flow.
///
/// The defaults follow Suricata's `stream.reassembly` section: a reassembly depth of 1 MiB per
/// direction and a bounded out-of-order queue, so a hostile peer that sends only the far side of a
/// hole cannot make a worker hold more than `maximumPendingBytes` per direction.
public struct StreamConfiguration: Sendable, Hashable {
    /// Out-of-order bytes held per direction. When a new out-of-order segment would make the queue
    /// hold more, the reassembler stops waiting for the oldest hole: it skips it (as `skipGap()` does)
    /// and delivers what follows, counted in `StreamAnomalies.gapSkipped`. Holding is bounded; the
    /// data of the hole, should it arrive later, is then a retransmission and ignored.
    public var maximumPendingBytes: Int

    /// Stream bytes per direction (counted from the start of the stream, skipped holes included, as
    /// Suricata's `stream.reassembly.depth` does) after which reassembly stops; 0 means unlimited.
    public var depth: UInt64

    /// Out-of-order segments held per direction; beyond it the oldest hole is skipped as for
    /// `maximumPendingBytes`. This bounds the cost of an insertion into the sorted queue.
    public var maximumSegments: Int

    /// Limits with Suricata-like defaults: 256 KiB and 1024 segments held out of order, 1 MiB depth.
    public init(maximumPendingBytes: Int = 256 * 1024, depth: UInt64 = 1 << 20, maximumSegments: Int = 1024) {
        self.maximumPendingBytes = maximumPendingBytes
        self.depth = depth
        self.maximumSegments = maximumSegments
    }
}

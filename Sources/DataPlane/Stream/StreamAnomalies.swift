/// Counters of the irregularities a `StreamReassembler` met in one direction of a flow.
///
/// Each counter counts segments (or, for the gap counters, skips), not bytes, except
/// `bytesSkipped`.
public struct StreamAnomalies: Sendable, Hashable {
    /// Segments that overlapped queued, not yet delivered data with different bytes. The first copy
    /// received was kept (Suricata's "first" overlap policy).
    public var overlapsWithDifferentData: UInt64 = 0

    /// Segments more than 1 GiB of sequence space ahead of or behind the delivered point, ignored.
    public var droppedOutOfWindow: UInt64 = 0

    /// Segments carrying data at or beyond the reassembly depth; that data was not reassembled.
    public var depthReached: UInt64 = 0

    /// Holes jumped over, by `skipGap()` or by `insert` when a queue limit was reached.
    public var gapSkipped: UInt64 = 0

    /// Sequence space jumped over by gap skips: stream bytes that were never delivered.
    public var bytesSkipped: UInt64 = 0

    /// Segments carrying data beyond the sequence number of the FIN; that data was ignored.
    public var dataAfterFin: UInt64 = 0

    /// No anomalies.
    public init() {}
}

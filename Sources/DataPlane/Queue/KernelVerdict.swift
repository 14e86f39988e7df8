import Shared

/// The netfilter verdict and mark that carry out a ``Verdict`` (independent of the C binding so
/// that the mapping is testable).
public struct KernelVerdict: Sendable, Hashable {
    /// `NF_ACCEPT`, `NF_DROP` or `NF_REPEAT`.
    public enum Code: Sendable, Hashable {
        case accept
        case drop
        case `repeat`
    }

    public var code: Code
    /// The packet mark to set; nil leaves it unchanged.
    public var mark: UInt32?

    public init(code: Code, mark: UInt32?) {
        self.code = code
        self.mark = mark
    }

    /// How `verdict` is issued for a packet whose mark is `existingMark`: Rampart's bits
    /// (``PacketMarks/mask``) are replaced, every other bit is kept.
    public static func carrying(_ verdict: Verdict, existingMark: UInt32) -> KernelVerdict {
        let kept = existingMark & ~PacketMarks.mask
        switch verdict {
        case .accept: return KernelVerdict(code: .accept, mark: nil)
        case .drop: return KernelVerdict(code: .drop, mark: nil)
        case .reject: return KernelVerdict(code: .accept, mark: kept | PacketMarks.reject)
        case .acceptFlow: return KernelVerdict(code: .repeat, mark: kept | PacketMarks.acceptFlow)
        case .dropFlow: return KernelVerdict(code: .repeat, mark: kept | PacketMarks.dropFlow)
        case .divert: return KernelVerdict(code: .repeat, mark: kept | PacketMarks.divertTLS)
        }
    }
}

/// Batches runs of plain accepts, as Suricata's NFQ source does: a batch verdict accepts every
/// queued packet up to an id in one message. The batch is flushed before any other verdict (so
/// that verdicts keep packet order), when the socket has nothing more to read, and when it holds
/// ``limit`` packets.
public struct VerdictBatcher: Sendable, Hashable {
    public let limit: Int
    /// The highest id of the pending accepts.
    public private(set) var pendingID: UInt32?
    public private(set) var pendingCount = 0

    public init(limit: Int = 64) {
        self.limit = max(1, limit)
    }

    /// Records a plain accept for `id`; returns the id to flush now when the batch is full.
    public mutating func accept(_ id: UInt32) -> UInt32? {
        pendingID = id
        pendingCount += 1
        return pendingCount >= limit ? flush() : nil
    }

    /// Takes the pending batch: the id to issue a batch accept for, or nil when nothing is pending.
    public mutating func flush() -> UInt32? {
        defer {
            pendingID = nil
            pendingCount = 0
        }
        return pendingID
    }
}

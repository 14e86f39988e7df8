import Synchronization

/// The compiled snapshot the packet path enforces. The control thread swaps it atomically; the
/// packet thread reads it once per batch (one uncontended lock per batch, never per packet).
public final class ActiveSnapshot: Sendable {
    private let storage = Mutex<CompiledSnapshot?>(nil)

    public init(_ initial: CompiledSnapshot? = nil) {
        storage.withLock { $0 = initial }
    }

    /// The snapshot in force, if any.
    public var current: CompiledSnapshot? {
        storage.withLock { $0 }
    }

    /// Makes `snapshot` the one in force.
    public func replace(with snapshot: CompiledSnapshot) {
        storage.withLock { $0 = snapshot }
    }
}

import Synchronization

/// Where the packet thread publishes its counters (a few times a second, never per packet) for the
/// control thread's `stats` messages.
public final class CounterBoard: Sendable {
    private let storage = Mutex(WorkerCounters())

    public init() {}

    /// Replaces the published counters.
    public func publish(_ counters: WorkerCounters) {
        storage.withLock { $0 = counters }
    }

    /// The last published counters.
    public var current: WorkerCounters {
        storage.withLock { $0 }
    }
}

/// Coalesces concurrent requests for the same key inside an actor: the first caller claims the key
/// and does the work; later callers suspend until it finishes and share its value. A leader that was
/// cancelled finishes with nil, and its followers then try again themselves, so one client going away
/// does not hand its "cancelled" outcome to the others.
///
/// Used from actor-isolated code only: `wait` is called inside `withCheckedContinuation`, whose body
/// runs synchronously on the actor.
struct PendingRequests<Key: Hashable, Value: Sendable> {
    private var followers: [Key: [CheckedContinuation<Value?, Never>]] = [:]

    /// Whether the caller leads the request for `key` (nothing in flight); a leader must `finish`.
    mutating func claim(_ key: Key) -> Bool {
        guard followers[key] == nil else { return false }
        followers[key] = []
        return true
    }

    /// Suspends `continuation` until the leader of `key` finishes.
    mutating func wait(for key: Key, _ continuation: CheckedContinuation<Value?, Never>) {
        guard followers[key] != nil else {
            continuation.resume(returning: nil)
            return
        }
        followers[key]?.append(continuation)
    }

    /// Ends the request for `key`, resuming its followers with `value` (nil: try again).
    mutating func finish(_ key: Key, with value: Value?) {
        for follower in followers.removeValue(forKey: key) ?? [] {
            follower.resume(returning: value)
        }
    }
}

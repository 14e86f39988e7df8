import NIOCore

/// Whether a relayed connection has been idle too long: no decrypted byte in either direction for
/// `timeout` (the policy's TCP idle timeout, as for the flows the packet path tracks). The engine's
/// ``DeadlineSweep`` checks it, so the connection ends within one sweep interval after `timeout`.
struct RelayIdleness: Equatable {
    let timeout: TimeAmount
    private(set) var lastActivity: NIODeadline

    init(timeout: TimeAmount, now: NIODeadline) {
        self.timeout = timeout
        lastActivity = now
    }

    /// Bytes went through at `now`.
    mutating func touch(at now: NIODeadline) {
        lastActivity = now
    }

    func isExpired(at now: NIODeadline) -> Bool {
        now - lastActivity >= timeout
    }

    /// The timeout for a snapshot's TCP idle timeout in seconds.
    static func timeout(seconds: Double) -> TimeAmount {
        .nanoseconds(Int64(max(1, seconds) * 1e9))
    }
}

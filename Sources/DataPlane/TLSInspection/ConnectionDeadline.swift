import NIOCore

/// The one time limit an intercepted connection is under at any moment. A value the connection keeps
/// and ``DeadlineSweep`` checks, in place of a timer per connection and phase.
enum ConnectionDeadline: Equatable {
    /// Until the relay runs: ClientHello, upstream connection and both handshakes.
    case handshake(until: NIODeadline)
    /// The wait for the client's first request before a revocation action ends the connection.
    case request(until: NIODeadline)
    /// The relay runs: it ends once no bytes went through for the idle timeout.
    case idle(RelayIdleness)
    /// A graceful close waits this long for what was relayed to be written out, and for the peers to
    /// close their sides after ours.
    case closing(until: NIODeadline)
    /// Nothing left to time.
    case none

    /// Whether the limit passed at `now`.
    func isDue(at now: NIODeadline) -> Bool {
        switch self {
        case .handshake(let until), .request(let until), .closing(let until): now >= until
        case .idle(let idleness): idleness.isExpired(at: now)
        case .none: false
        }
    }

    /// Bytes went through at `now`: an idle limit starts again; any other is kept.
    mutating func touch(at now: NIODeadline) {
        guard case .idle(var idleness) = self else { return }
        idleness.touch(at: now)
        self = .idle(idleness)
    }
}

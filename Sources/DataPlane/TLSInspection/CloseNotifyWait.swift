import NIOCore
import NIOSSL

/// How long a side of an intercepted connection that the engine closes waits for the peer's
/// close_notify after sending its own, before its TCP connection is closed regardless.
///
/// Both contexts the engine makes (toward clients and toward servers) use it as NIOSSL's
/// `shutdownTimeout`. NIOSSL's default is 5 s, and NIOSSL leaves that timer scheduled when the peer
/// closes the TCP connection first (the usual end: clients answer close_notify with a FIN or a reset,
/// not a close_notify). The pending timer keeps the closed connection's TLS handler, its TLS state and
/// its pipeline alive until it fires, and every timer the event loop cancels meanwhile searches the
/// growing set of pending ones: at 400 connections/s, 2,000 closed connections held for nothing.
///
/// A relay that ends gracefully does not start the timer: it half-closes
/// (``RelayHandler/closeAfterPendingWrites(then:)``), and the connection gives the peers this long to
/// close their sides before it closes the sockets itself. NIOSSL's timer remains for the closes that go
/// through the TLS handlers whole: drops. There it only bounds a politeness, because what was written
/// went to the socket before the close began, and the kernel delivers it after the close too.
enum CloseNotifyWait {
    static let timeout = TimeAmount.seconds(1)

    /// `configuration` with the wait set.
    static func applied(to configuration: TLSConfiguration) -> TLSConfiguration {
        var configuration = configuration
        configuration.shutdownTimeout = timeout
        return configuration
    }
}

/// The life of one intercepted connection, as a pure state machine (NIO's habit): the I/O layer
/// (``InterceptedConnection``) reports what happened with ``event(_:)`` and carries out the returned
/// ``Action``; this type decides the order of things and nothing else.
///
/// The order is AWS Network Firewall's egress TLS inspection:
/// 1. Accepted. Without session holding the upstream TCP connection opens at once; with it, nothing
///    reaches the server before the ClientHello's SNI was evaluated.
/// 2. ClientHello inspected (the `tls.sni` stage): a drop or reject ends the connection here.
/// 3. Upstream TLS with the client's SNI; the server's chain is verified and the SNI must be in its SANs,
///    else the connection is dropped.
/// 4. Revocation, when the configuration checks it: the status's action is applied after the client
///    handshake, once the client sent its request (or a moment passed), so that the client reads a clean
///    close (`DROP`: curl's "Empty reply from server") or a reset (`REJECT`: "Connection reset by peer")
///    where it waits for the response, rather than failing to send.
/// 5. The client handshake with a leaf minted by the inspection CA (or, inbound, the configured server
///    certificate), then decrypted bytes relayed through the engine in both directions.
public struct InterceptionStateMachine: Sendable {
    /// How a connection ends.
    public enum Close: Sendable, Hashable {
        /// FIN toward the client, no reset.
        case drop
        /// RST toward the client.
        case reject
        /// Both sides finished normally.
        case graceful
    }

    /// What happened.
    public enum Event: Sendable, Hashable {
        case accepted(sessionHolding: Bool)
        /// The ClientHello stage's verdict: allowed, or how to end the connection.
        case clientHelloInspected(Close?)
        case upstreamConnected
        case upstreamConnectFailed
        case upstreamHandshakeFailed
        /// The server's certificate was verified; `revocationCheck` when its status must be looked up.
        case upstreamVerified(revocationCheck: Bool)
        /// The server's certificate does not cover the SNI.
        case serverNameMismatch
        /// The revocation status's action: nil to go on (`PASS`, or good).
        case revocationChecked(Close?)
        case clientHandshakeCompleted
        case clientHandshakeFailed
        /// The client sent its first decrypted bytes (or the wait for them ended).
        case requestReceived
        /// The engine's verdict on decrypted data: nil to go on.
        case decryptedInspected(Close?)
        /// One side closed or failed.
        case peerClosed
    }

    /// What the I/O layer must do.
    public enum Action: Sendable, Hashable {
        case none
        case connectUpstream
        case startUpstreamTLS
        case checkRevocation
        /// Mint (or pick) the client's certificate and run the client handshake.
        case startClientTLS
        case startRelay
        /// Wait for the client's first request, then end the connection so.
        case closeAfterRequest(Close)
        case close(Close)
    }

    enum State: Sendable, Hashable {
        case idle
        /// Waiting for the ClientHello; `upstream` says where the upstream connection stands.
        case awaitingClientHello(upstream: UpstreamProgress)
        /// The ClientHello passed; waiting for the upstream TCP connection.
        case connectingUpstream
        case upstreamHandshaking
        case checkingRevocation
        /// The client handshake runs; `then` is the revocation action to apply once it completes.
        case clientHandshaking(then: Close?)
        /// The revocation action waits for the client's request.
        case awaitingRequest(then: Close)
        case relaying
        case closed(Close)
    }

    enum UpstreamProgress: Sendable, Hashable {
        case notStarted, connecting, connected
    }

    private(set) var state = State.idle

    public init() {}

    /// Whether the connection has ended.
    public var isClosed: Bool {
        if case .closed = state { return true }
        return false
    }

    /// Advances with `event`; returns what to do.
    public mutating func event(_ event: Event) -> Action {
        switch (state, event) {
        case (.closed, _):
            return .none

        case (.idle, .accepted(let holding)):
            state = .awaitingClientHello(upstream: holding ? .notStarted : .connecting)
            return holding ? .none : .connectUpstream

        case (.awaitingClientHello(let upstream), .clientHelloInspected(let close)):
            if let close { return finish(close) }
            switch upstream {
            case .notStarted:
                state = .connectingUpstream
                return .connectUpstream
            case .connecting:
                state = .connectingUpstream
                return .none
            case .connected:
                state = .upstreamHandshaking
                return .startUpstreamTLS
            }
        case (.awaitingClientHello(.connecting), .upstreamConnected):
            state = .awaitingClientHello(upstream: .connected)
            return .none
        case (.connectingUpstream, .upstreamConnected):
            state = .upstreamHandshaking
            return .startUpstreamTLS

        case (.awaitingClientHello, .upstreamConnectFailed), (.connectingUpstream, .upstreamConnectFailed):
            // The server refused or is unreachable: the client learns it the way it would without us.
            return finish(.reject)

        case (.upstreamHandshaking, .upstreamVerified(let check)):
            if check {
                state = .checkingRevocation
                return .checkRevocation
            }
            state = .clientHandshaking(then: nil)
            return .startClientTLS
        case (.upstreamHandshaking, .upstreamHandshakeFailed), (.upstreamHandshaking, .serverNameMismatch):
            return finish(.drop)

        case (.checkingRevocation, .revocationChecked(let close)):
            state = .clientHandshaking(then: close)
            return .startClientTLS

        case (.clientHandshaking(let then), .clientHandshakeCompleted):
            if let then {
                state = .awaitingRequest(then: then)
                return .closeAfterRequest(then)
            }
            state = .relaying
            return .startRelay
        case (.awaitingRequest(let then), .requestReceived):
            return finish(then)
        case (.clientHandshaking, .clientHandshakeFailed):
            return finish(.drop)

        case (.relaying, .decryptedInspected(let close)):
            if let close { return finish(close) }
            return .none

        case (_, .peerClosed):
            if case .relaying = state { return finish(.graceful) }
            return finish(.drop)

        default:
            // An event that does not fit the state is a fault of the I/O layer: end the connection safely.
            return finish(.drop)
        }
    }

    private mutating func finish(_ close: Close) -> Action {
        state = .closed(close)
        return .close(close)
    }
}

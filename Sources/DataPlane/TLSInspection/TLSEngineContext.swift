import Foundation
import NIOCore
import NIOSSL
import Shared
import Synchronization
import X509

/// What every intercepted connection of a worker shares: the snapshot in force, the EVE writer, the
/// minted-certificate cache, the upstream TLS contexts and verifier, the revocation checker and the
/// flow ids. Thread-safe; each connection runs on one event loop.
final class TLSEngineContext: Sendable {
    let active: ActiveSnapshot
    let eve: EveWriter
    let serverContexts: ServerContextCache
    let verifiedChains = VerifiedChainCache()
    let revocation: any RevocationChecking
    /// How long a peer may take to send its ClientHello, connect or finish a handshake.
    let handshakeTimeout: TimeAmount

    private let nextFlowID: Atomic<UInt64>
    private let liveConnections = Atomic<Int>(0)
    private let acceptedConnections = Atomic<UInt64>(0)
    private let clientContexts = Mutex<[ClientContextKey: NIOSSLContext]>([:])
    private let verifier = Mutex<(generation: UInt64, verifier: UpstreamVerifier)?>(nil)
    private let sweeps = Mutex<[ObjectIdentifier: DeadlineSweep]>([:])

    struct ClientContextKey: Hashable {
        var applicationProtocols: [String]
        /// The key-exchange groups offered (``UpstreamGroups``); nil for the default set.
        var groups: [NIOTLSCurve]?
        /// Inbound re-encryption does not verify the protected server (the operator chose it).
        var verifies: Bool
    }

    init(
        active: ActiveSnapshot, eve: EveWriter, revocation: any RevocationChecking,
        handshakeTimeout: TimeAmount = .seconds(10), firstFlowID: UInt64 = UInt64.random(in: 1..<(1 << 52))
    ) throws {
        self.active = active
        self.eve = eve
        self.revocation = revocation
        self.handshakeTimeout = handshakeTimeout
        serverContexts = try ServerContextCache(minter: LeafMinter())
        nextFlowID = Atomic(firstFlowID)
    }

    /// The sweep that times the connections of `eventLoop` (one per loop, made on first use).
    func deadlineSweep(on eventLoop: any EventLoop) -> DeadlineSweep {
        sweeps.withLock { sweeps in
            let key = ObjectIdentifier(eventLoop)
            if let sweep = sweeps[key] { return sweep }
            let sweep = DeadlineSweep(eventLoop: eventLoop)
            sweeps[key] = sweep
            return sweep
        }
    }

    /// A connection was set up (its object exists until it is freed).
    func connectionStarted() {
        liveConnections.add(1, ordering: .relaxed)
        acceptedConnections.add(1, ordering: .relaxed)
    }

    /// A connection object was freed.
    func connectionFreed() {
        liveConnections.subtract(1, ordering: .relaxed)
    }

    /// The engine's counters as the worker's `stats` carry them: `tlsConnections`, the intercepted
    /// connections the engine holds now (a gauge: it returns to zero once the connections ended), and
    /// `tlsAccepted`, every connection it took.
    var counters: [String: UInt64] {
        [
            "tlsConnections": UInt64(max(0, liveConnections.load(ordering: .relaxed))),
            "tlsAccepted": acceptedConnections.load(ordering: .relaxed),
        ]
    }

    /// A new EVE `flow_id`.
    func flowID() -> UInt64 {
        nextFlowID.add(1, ordering: .relaxed).newValue
    }

    /// The verifier of `snapshot`'s trust roots (built once per snapshot).
    func upstreamVerifier(for snapshot: CompiledSnapshot) -> UpstreamVerifier {
        verifier.withLock { cached in
            if let cached, cached.generation == snapshot.generation { return cached.verifier }
            let built = UpstreamVerifier(additionalRoots: snapshot.tlsInspection.additionalTrustRoots)
            cached = (snapshot.generation, built)
            return built
        }
    }

    /// The client context toward upstream servers offering `applicationProtocols` and the key-exchange
    /// `groups` (nil: the default set). Verification is done by the connection's callback
    /// (``UpstreamVerifier``), so the context's own is only its fallback. Contexts are kept per
    /// combination: ALPN lists are narrowed to ``InterceptedConnection/inspectableProtocols`` and groups to
    /// ``UpstreamGroups/supported``, so there are few.
    func upstreamContext(applicationProtocols: [String], groups: [NIOTLSCurve]?, verifies: Bool) throws -> NIOSSLContext {
        let key = ClientContextKey(applicationProtocols: applicationProtocols, groups: groups, verifies: verifies)
        if let cached = clientContexts.withLock({ $0[key] }) { return cached }
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = verifies ? .noHostnameVerification : .none
        configuration.applicationProtocols = applicationProtocols
        configuration.curves = groups
        let context = try NIOSSLContext(configuration: CloseNotifyWait.applied(to: configuration))
        clientContexts.withLock { $0[key] = context }
        return context
    }

    /// Writes `events` to the EVE log.
    func emit(_ events: [EveEvent]) {
        guard !events.isEmpty else { return }
        eve.append(events)
    }
}

import Foundation
import Glibc
import NIOCore
import NIOPosix
import NIOSSL
import Rules
import Shared
import SwiftASN1
import Synchronization
import X509

/// One connection the TLS engine intercepted: carries out what ``InterceptionStateMachine`` decides,
/// on the client channel's event loop, with the upstream channel on the same loop so that the two sides
/// of the relay talk without hops.
///
/// Every method runs on `eventLoop`; callbacks from futures and tasks hop back there before touching
/// state, which is what makes the unchecked `Sendable` sound.
final class InterceptedConnection: DeadlineSwept, @unchecked Sendable {
    private let engine: TLSEngineContext
    private let client: any Channel
    private let eventLoop: any EventLoop
    private let snapshot: CompiledSnapshot
    private let configuration: TLSInspectionPlan.Configuration
    /// The address the client connected to: the server's.
    private let original: SocketAddress
    private var machine = InterceptionStateMachine()
    private var flow: InterceptedFlow
    private var scratch = EngineScratch()
    private var serverName: String?
    private var offeredProtocols: [String] = []
    private var offeredGroups: [UInt16] = []
    private var upstream: (any Channel)?
    /// The server's chain as verified (egress only), with what was worked out about its leaf.
    private var upstreamChain: VerifiedChain?
    private var negotiatedProtocol: String?
    private var upstreamVersion: String?
    private var report: EveTLSInspection
    private var reported = false
    /// The time limit the connection is under, checked by `sweep`.
    private var deadline = ConnectionDeadline.none
    private let sweep: DeadlineSweep
    /// The handlers of the handshake stages, kept so that each is found without searching the pipeline.
    private var helloHandler: ClientHelloHandler?
    private var clientObserver: TLSHandshakeObserver?
    private var upstreamObserver: TLSHandshakeObserver?
    /// The relay's two sides, once it runs: the handler on the client's channel and on the server's.
    private var relays: (client: RelayHandler, upstream: RelayHandler)?
    /// The sides of a graceful close still writing out what was relayed to them.
    private var sidesEnding = 0

    /// The protocols the engine can inspect once decrypted: the client's ALPN offer is narrowed to these,
    /// so that an `h2`-capable pair still speaks HTTP/1.1 through the firewall.
    static let inspectableProtocols: Set<String> = ["http/1.1", "http/1.0"]

    init(
        engine: TLSEngineContext, client: any Channel, snapshot: CompiledSnapshot, configuration: TLSInspectionPlan.Configuration,
        flow: InterceptedFlow, original: SocketAddress
    ) {
        self.engine = engine
        self.client = client
        eventLoop = client.eventLoop
        sweep = engine.deadlineSweep(on: client.eventLoop)
        engine.connectionStarted()
        self.snapshot = snapshot
        self.configuration = configuration
        self.flow = flow
        self.original = original
        report = EveTLSInspection(mode: configuration.authority != nil ? "egress" : "inbound", action: "drop", reason: "handshake_failed")
    }

    deinit {
        engine.connectionFreed()
    }

    /// Installs the ClientHello handler and starts the clock.
    func start() throws {
        eventLoop.preconditionInEventLoop()
        let hello = ClientHelloHandler { [self] progress in clientHelloProgress(progress) }
        let pipeline = client.pipeline.syncOperations
        try pipeline.addHandler(ReadFlushDeferral(), name: HandlerName.flushDeferral)
        try pipeline.addHandler(hello, name: HandlerName.clientHello)
        helloHandler = hello
        client.closeFuture.whenComplete { [self] _ in channelClosed() }
        deadline = .handshake(until: .now() + engine.handshakeTimeout)
        sweep.add(self)
        handle(.accepted(sessionHolding: snapshot.tlsInspection.sessionHolding))
    }

    /// Acts on the time limit once it passed (the engine's sweep calls this); false once nothing is left
    /// to time.
    func checkDeadline(at now: NIODeadline) -> Bool {
        guard deadline.isDue(at: now) else { return deadline != .none }
        switch deadline {
        case .handshake:
            note(action: "drop", reason: "handshake_timeout", detail: "no complete handshake within the time allowed")
            handle(.peerClosed)
        case .request:
            handle(.requestReceived)
        case .idle:
            handle(.peerClosed)
        case .closing:
            // What was relayed did not go out in time, or a peer did not close its side after ours: the
            // channels close at their sockets. Through the TLS handlers, NIOSSL would send close_notify
            // again and wait for the peer once more.
            deadline = .none
            Self.closeBelowTLS(client, handler: NIOSSLServerHandler.self)
            if let upstream { Self.closeBelowTLS(upstream, handler: NIOSSLClientHandler.self) }
        case .none:
            break
        }
        return deadline != .none
    }

    /// One of the two channels closed: the other side ends too, and once both are closed nothing is left
    /// to time.
    private func channelClosed() {
        handle(.peerClosed)
        guard machine.isClosed, !client.isActive, !(upstream?.isActive ?? false) else { return }
        deadline = .none
        sweep.remove(self)
    }

    /// The names the engine gives its handlers (unnamed, NIO would build a name for each).
    private enum HandlerName {
        static let flushDeferral = "rampart.flush-deferral"
        static let clientHello = "rampart.client-hello"
        static let tlsServer = "rampart.tls-server"
        static let tlsClient = "rampart.tls-client"
        static let handshake = "rampart.handshake"
        static let firstRead = "rampart.first-read"
        static let relay = "rampart.relay"
    }

    // MARK: Events

    private func handle(_ event: InterceptionStateMachine.Event) {
        eventLoop.preconditionInEventLoop()
        perform(machine.event(event))
    }

    private func perform(_ action: InterceptionStateMachine.Action) {
        switch action {
        case .none: break
        case .connectUpstream: connectUpstream()
        case .startUpstreamTLS: startUpstreamTLS()
        case .checkRevocation: checkRevocation()
        case .startClientTLS: startClientTLS()
        case .startRelay: startRelay()
        case .closeAfterRequest: awaitRequest()
        case .close(let how): close(how)
        }
    }

    private func clientHelloProgress(_ progress: ClientHelloReader.Progress) {
        switch progress {
        case .needMore:
            return
        case .notTLS:
            note(action: "drop", reason: "not_tls", detail: "the connection did not start with a TLS ClientHello")
            handle(.clientHelloInspected(.drop))
        case .complete(let bytes, let hello):
            serverName = hello.serverName.map { String(decoding: $0, as: UTF8.self) }
            offeredProtocols = hello.applicationProtocols
            offeredGroups = hello.supportedGroups
            let current = engine.active.current ?? snapshot
            let outcome = flow.inspectClientHello(bytes, engine: current.stateful, scratch: &scratch, wallClock: Clocks.wall())
            engine.emit(outcome.events)
            let close = Self.close(for: outcome.verdict)
            if let close {
                note(action: close == .reject ? "reject" : "drop", reason: "rules", detail: "TLS handshake stage: \(outcome.reason)")
            }
            handle(.clientHelloInspected(close))
        }
    }

    // MARK: Upstream

    private func connectUpstream() {
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(engine.handshakeTimeout)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(SegmentMerging.delayedAcknowledgements, value: 0)
        let connecting: EventLoopFuture<any Channel>
        if let source = transparentSource() {
            // Toward the server the connection comes from the client's own address (IP_TRANSPARENT),
            // as a firewall in the path must; the reply is delivered to this socket by the chain's
            // socket match.
            connecting = bootstrap
                .channelOption(TransparentSocket.option(for: source), value: 1)
                .bind(to: source)
                .connect(to: original)
        } else {
            connecting = bootstrap.connect(to: original)
        }
        connecting.hop(to: eventLoop).whenComplete { [self] result in
            switch result {
            case .success(let channel):
                if machine.isClosed {
                    channel.close(promise: nil)
                    return
                }
                upstream = channel
                channel.closeFuture.whenComplete { [self] _ in channelClosed() }
                handle(.upstreamConnected)
            case .failure(let error):
                note(action: "reject", reason: "upstream_unreachable", detail: "\(original): \(error)")
                handle(.upstreamConnectFailed)
            }
        }
    }

    /// The client's address with port 0.
    private func transparentSource() -> SocketAddress? {
        client.remoteAddress?.withAnyPort
    }

    private func startUpstreamTLS() {
        guard upstream != nil else { return handle(.upstreamHandshakeFailed) }
        let egress = configuration.authority != nil
        let protocols = offeredProtocols.filter { Self.inspectableProtocols.contains($0) }
        let hostname = serverName.flatMap { name in IPAddress(name) == nil && !name.isEmpty ? name : nil }
        do {
            let context = try engine.upstreamContext(
                applicationProtocols: protocols, groups: UpstreamGroups.offer(forClientGroups: offeredGroups), verifies: egress
            )
            let handler: NIOSSLClientHandler
            if egress {
                let verifier = engine.upstreamVerifier(for: snapshot)
                let cache = engine.verifiedChains
                let generation = snapshot.generation
                let outcome = VerificationOutcome()
                handler = try NIOSSLClientHandler(context: context, serverHostname: hostname) { presented, promise in
                    let now = Date()
                    let der = presented.compactMap { try? $0.toDERBytes() }
                    let key = VerifiedChainCache.key(generation: generation, presented: der)
                    // The connection reads the chain from `outcome`; NIOSSL is only told the verdict (no
                    // validated chain handed back, which would mean parsing every certificate again).
                    @Sendable func answer(_ result: UpstreamVerifier.Result, verified: VerifiedChain?) -> NIOSSLVerificationResultWithMetadata {
                        outcome.set(result, verified: verified)
                        guard case .trusted = result else { return .failed }
                        return .certificateVerified(VerificationMetadata(nil))
                    }
                    // A chain verified moments ago is answered at once, without leaving the event loop.
                    if let verified = cache.chain(for: key, now: now) {
                        promise.succeed(answer(.trusted(verified.certificates), verified: verified))
                        return
                    }
                    promise.completeWithTask {
                        let certificates = der.compactMap { try? Certificate(derEncoded: $0) }
                        let result = await verifier.verify(presented: certificates, now: now)
                        guard case .trusted(let chain) = result else { return answer(result, verified: nil) }
                        let verified = VerifiedChain(certificates: chain, presentedLeaf: der.first ?? [])
                        cache.store(verified, for: key, now: now)
                        return answer(result, verified: verified)
                    }
                }
                try addUpstreamObserver(handler: handler, verification: outcome)
            } else {
                handler = try NIOSSLClientHandler(context: context, serverHostname: hostname)
                try addUpstreamObserver(handler: handler, verification: nil)
            }
        } catch {
            note(action: "drop", reason: "handshake_failed", detail: "cannot start TLS toward the server: \(error)")
            handle(.upstreamHandshakeFailed)
        }
    }

    private func addUpstreamObserver(handler: NIOSSLClientHandler, verification: VerificationOutcome?) throws {
        guard let upstream else { return }
        let pipeline = upstream.pipeline.syncOperations
        try pipeline.addHandler(ReadFlushDeferral(), name: HandlerName.flushDeferral)
        try pipeline.addHandler(handler, name: HandlerName.tlsClient)
        let observer = TLSHandshakeObserver { [self] outcome in
            upstreamHandshake(outcome, handler: handler, verification: verification)
        }
        try pipeline.addHandler(observer, name: HandlerName.handshake)
        upstreamObserver = observer
    }

    private func upstreamHandshake(
        _ outcome: TLSHandshakeObserver.Outcome, handler: NIOSSLClientHandler, verification: VerificationOutcome?
    ) {
        switch outcome {
        case .failed(let error):
            if case .untrusted(let why)? = verification?.result {
                note(action: "drop", reason: "untrusted_certificate", detail: why)
            } else {
                note(action: "drop", reason: "handshake_failed", detail: "TLS toward the server failed: \(error)")
            }
            handle(.upstreamHandshakeFailed)
        case .completed(let negotiated):
            negotiatedProtocol = negotiated
            upstreamVersion = handler.tlsVersion.map(Self.versionName)
            guard let verification else {
                // Inbound: the protected server is the operator's own; its certificate is not judged.
                return handle(.upstreamVerified(revocationCheck: false))
            }
            guard let verified = verification.verified, !verified.certificates.isEmpty else {
                note(action: "drop", reason: "untrusted_certificate", detail: "no verified chain")
                return handle(.upstreamHandshakeFailed)
            }
            upstreamChain = verified
            let names = verified.leafNames
            if let serverName, !ServerIdentity.covers(names, serverName: serverName) {
                let listed = (names.dns + names.ip.map(\.description)).joined(separator: ", ")
                note(
                    action: "drop", reason: "sni_mismatch",
                    detail: "the server's certificate names [\(listed)], not the SNI \(serverName)"
                )
                return handle(.serverNameMismatch)
            }
            handle(.upstreamVerified(revocationCheck: configuration.checksRevocation))
        }
    }

    // MARK: Revocation

    private func checkRevocation() {
        guard let chain = upstreamChain?.certificates, let leaf = chain.first else { return handle(.revocationChecked(.drop)) }
        let issuer = chain.count > 1 ? chain[1] : leaf
        let checker = engine.revocation
        let loop = eventLoop
        Task {
            let result = await checker.check(leaf, issuer: issuer)
            loop.execute { [self] in revocationChecked(result) }
        }
    }

    private func revocationChecked(_ result: RevocationResult) {
        report.revocation_source = result.source
        let action: RevocationCheckAction?
        switch result.status {
        case .good:
            report.revocation_status = "good"
            action = nil
        case .revoked:
            report.revocation_status = "revoked"
            action = configuration.revokedStatusAction
        case .unknown:
            report.revocation_status = "unknown"
            action = configuration.unknownStatusAction
        }
        let close: InterceptionStateMachine.Close?
        switch action {
        case .DROP?: close = .drop
        case .REJECT?: close = .reject
        case .PASS?, nil: close = nil
        }
        if let close {
            note(
                action: close == .reject ? "reject" : "drop", reason: result.status == .revoked ? "revoked" : "revocation_unknown",
                detail: result.reason
            )
        } else {
            report.detail = result.reason
        }
        handle(.revocationChecked(close))
    }

    // MARK: Client side

    private func startClientTLS() {
        do {
            let context: NIOSSLContext
            if let authority = configuration.authority {
                guard let upstreamChain, let leaf = upstreamChain.certificates.first else { return handle(.clientHandshakeFailed) }
                context = try engine.serverContexts.egress(
                    authority: authority, serverName: serverName ?? flow.server.address.description, upstream: leaf,
                    upstreamDigest: upstreamChain.leafDigest, applicationProtocol: negotiatedProtocol
                )
            } else {
                let chosen = configuration.serverCertificates.first { certificate in
                    serverName.map { ServerIdentity.covers(certificate.certificate, serverName: $0) } ?? false
                } ?? configuration.serverCertificates[0]
                context = try engine.serverContexts.inbound(certificate: chosen, applicationProtocol: negotiatedProtocol)
            }
            guard let hello = helloHandler else { return handle(.clientHandshakeFailed) }
            let pipeline = client.pipeline.syncOperations
            let server = NIOSSLServerHandler(context: context)
            try pipeline.addHandler(server, name: HandlerName.tlsServer, position: .after(hello))
            let observer = TLSHandshakeObserver { [self] outcome in clientHandshake(outcome) }
            try pipeline.addHandler(observer, name: HandlerName.handshake, position: .after(server))
            clientObserver = observer
            // Removing the ClientHello handler replays what it held into the TLS server handler.
            pipeline.removeHandler(hello, promise: nil)
            helloHandler = nil
        } catch {
            note(action: "drop", reason: "handshake_failed", detail: "cannot present a certificate to the client: \(error)")
            handle(.clientHandshakeFailed)
        }
    }

    private func clientHandshake(_ outcome: TLSHandshakeObserver.Outcome) {
        switch outcome {
        case .completed:
            handle(.clientHandshakeCompleted)
        case .failed(let error):
            note(action: "drop", reason: "client_handshake_failed", detail: "the client refused the handshake: \(error)")
            handle(.clientHandshakeFailed)
        }
    }

    /// Holds the connection until the client's first decrypted bytes (at most ``requestWait``), so that a
    /// revocation action ends it where the client reads.
    private func awaitRequest() {
        deadline = .request(until: .now() + Self.requestWait)
        do {
            guard let observer = clientObserver else { return handle(.requestReceived) }
            let pipeline = client.pipeline.syncOperations
            try pipeline.addHandler(
                FirstReadSignal { [self] in handle(.requestReceived) }, name: HandlerName.firstRead, position: .after(observer)
            )
            pipeline.removeHandler(observer, promise: nil)
            clientObserver = nil
        } catch {
            handle(.requestReceived)
        }
    }

    /// How long a connection about to be ended for its certificate's revocation status waits for the request.
    static let requestWait = TimeAmount.seconds(2)

    // MARK: Relay

    private func startRelay() {
        deadline = .idle(RelayIdleness(timeout: RelayIdleness.timeout(seconds: snapshot.tcpIdleTimeout), now: .now()))
        guard let upstream, let clientObserver, let upstreamObserver else { return handle(.peerClosed) }
        note(action: "decrypted", reason: "inspected", detail: report.detail)
        logDecision()
        do {
            let toServer = RelayHandler(
                direction: .toServer, inspect: { [self] buffer, direction in inspect(buffer, direction) },
                onClose: { [self] in handle(.peerClosed) }
            )
            let toClient = RelayHandler(
                direction: .toClient, inspect: { [self] buffer, direction in inspect(buffer, direction) },
                onClose: { [self] in handle(.peerClosed) }
            )
            toServer.partner = toClient
            toClient.partner = toServer
            relays = (toServer, toClient)
            let clientPipeline = client.pipeline.syncOperations
            let upstreamPipeline = upstream.pipeline.syncOperations
            try clientPipeline.addHandler(toServer, name: HandlerName.relay, position: .after(clientObserver))
            try upstreamPipeline.addHandler(toClient, name: HandlerName.relay, position: .after(upstreamObserver))
            clientPipeline.removeHandler(clientObserver, promise: nil)
            upstreamPipeline.removeHandler(upstreamObserver, promise: nil)
            self.clientObserver = nil
            self.upstreamObserver = nil
        } catch {
            handle(.peerClosed)
        }
    }

    /// The engine's verdict on one chunk of decrypted bytes: true to forward it.
    private func inspect(_ buffer: ByteBuffer, _ direction: FlowDirection) -> Bool {
        guard !machine.isClosed else { return false }
        deadline.touch(at: .now())
        let current = engine.active.current ?? snapshot
        let outcome = buffer.withUnsafeReadableBytes { bytes in
            flow.inspectDecrypted(bytes, direction: direction, engine: current.stateful, scratch: &scratch, wallClock: Clocks.wall())
        }
        engine.emit(outcome.events)
        guard let close = Self.close(for: outcome.verdict) else { return true }
        handle(.decryptedInspected(close))
        return false
    }

    // MARK: Closing

    private func close(_ how: InterceptionStateMachine.Close) {
        if how != .graceful { report.action = how == .reject ? "reject" : "drop" }
        logDecision()
        engine.emit(flow.finish(wallClock: Clocks.wall()))
        let upstream = upstream
        let relays = relays
        releaseHandlers()
        // Only a relay's graceful close has something left to time: the writes it waits for, and the
        // peers' ends of the half-closed sides.
        let draining = how == .graceful && relays != nil
        deadline = draining ? .closing(until: .now() + Self.closingGrace) : .none
        if !draining { sweep.remove(self) }
        switch how {
        case .graceful:
            // One side ended: each side gets what was already relayed to it, then its end.
            if let relays {
                sidesEnding = 2
                relays.client.closeAfterPendingWrites { [self] in sideEnded() }
                relays.upstream.closeAfterPendingWrites { [self] in sideEnded() }
                return
            }
            client.close(promise: nil)
            upstream?.close(promise: nil)
        case .drop:
            // Through the TLS handler when there is one: a close_notify, then FIN, so that the client
            // reads a clean end of stream ("Empty reply from server").
            client.close(promise: nil)
            upstream?.close(promise: nil)
        case .reject:
            // A reset, past the TLS handler so that no close_notify precedes it.
            let lingering = (client as? any SocketOptionProvider)?.setSoLinger(linger(l_onoff: 1, l_linger: 0))
                ?? eventLoop.makeSucceededVoidFuture()
            lingering.whenComplete { [client] _ in Self.closeBelowTLS(client, handler: NIOSSLServerHandler.self) }
            upstream?.close(promise: nil)
        }
    }

    /// A side of a graceful close wrote out what was relayed to it and sent its end. Once both did, only
    /// the peers' ends are awaited, and for no longer than a TLS close waits for a peer's close_notify
    /// (``CloseNotifyWait``): a client that does not close after our end (some keep idle sockets in a
    /// pool until they reuse them) holds the connection that long, not the whole grace.
    private func sideEnded() {
        sidesEnding -= 1
        guard sidesEnding == 0, case .closing(let until) = deadline else { return }
        deadline = .closing(until: min(until, .now() + CloseNotifyWait.timeout))
    }

    /// Closes `channel` below its TLS handler (`handler`), at the socket: NIOSSL neither sends a
    /// close_notify nor waits for the peer's. Without that handler, the channel closes as usual.
    private static func closeBelowTLS<Handler: ChannelHandler>(_ channel: any Channel, handler: Handler.Type) {
        if let context = try? channel.pipeline.syncOperations.context(handlerType: handler) {
            context.close(promise: nil)
        } else {
            channel.close(promise: nil)
        }
    }

    /// Lets go of the handlers the connection kept. Each holds a closure that holds the connection, so
    /// keeping them past the close would keep every closed connection, its flow state and its handlers
    /// alive for good; the pipelines release the handlers themselves as the channels close.
    private func releaseHandlers() {
        helloHandler = nil
        clientObserver = nil
        upstreamObserver = nil
        relays = nil
    }

    /// How long a graceful close waits for what was relayed to be written out, and for the peers to close
    /// their sides after ours.
    static let closingGrace = TimeAmount.seconds(5)

    /// Records the decision, keeping the first reason that ended the connection.
    private func note(action: String, reason: String, detail: String?) {
        guard !reported else { return }
        report.action = action
        report.reason = reason
        report.detail = detail
    }

    /// The connection's `tls` event, once.
    private func logDecision() {
        guard !reported else { return }
        reported = true
        var event = flow.event(type: "tls", wallClock: Clocks.wall())
        event.app_proto = "tls"
        var tls = flow.clientHello ?? EveTLS()
        if let summary = upstreamChain?.leafSummary { tls.describe(summary) }
        if let upstreamVersion { tls.version = upstreamVersion }
        report.alpn = negotiatedProtocol
        tls.inspection = report
        event.tls = tls
        engine.emit([event])
    }

    private static func close(for verdict: StatefulVerdict) -> InterceptionStateMachine.Close? {
        switch verdict {
        case .drop: .drop
        case .reject: .reject
        case .none, .pass: nil
        }
    }

    private static func versionName(_ version: TLSVersion) -> String {
        switch version {
        case .tlsv1: "TLSv1"
        case .tlsv11: "TLS 1.1"
        case .tlsv12: "TLS 1.2"
        case .tlsv13: "TLS 1.3"
        }
    }
}

/// What the upstream verification callback found, read by the connection after the handshake.
final class VerificationOutcome: Sendable {
    private let state = Mutex<(result: UpstreamVerifier.Result?, verified: VerifiedChain?)>((nil, nil))

    func set(_ result: UpstreamVerifier.Result, verified: VerifiedChain?) {
        state.withLock { $0 = (result, verified) }
    }

    var result: UpstreamVerifier.Result? { state.withLock { $0.result } }
    /// The trusted chain with what was worked out about its leaf; nil unless the chain was trusted.
    var verified: VerifiedChain? { state.withLock { $0.verified } }
}

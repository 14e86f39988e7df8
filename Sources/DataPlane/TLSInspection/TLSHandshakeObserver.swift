import NIOCore
import NIOTLS

/// Sits behind a TLS handler while its handshake runs: reports the outcome once, and holds any
/// plaintext that arrives before the relay is set up, replaying it when removed.
final class TLSHandshakeObserver: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// The handshake completed with the negotiated ALPN protocol, or failed.
    enum Outcome {
        case completed(applicationProtocol: String?)
        case failed(any Error)
    }

    private let onOutcome: (Outcome) -> Void
    private var reported = false
    private var held = HeldReads()

    init(onOutcome: @escaping (Outcome) -> Void) {
        self.onOutcome = onOutcome
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted(let negotiated) = event {
            report(.completed(applicationProtocol: negotiated))
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        report(.failed(error))
    }

    func channelInactive(context: ChannelHandlerContext) {
        report(.failed(ChannelError.eof))
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        held.hold(unwrapInboundIn(data))
    }

    func removeHandler(context: ChannelHandlerContext, removalToken: ChannelHandlerContext.RemovalToken) {
        held.release(context: context, removalToken: removalToken)
    }

    private func report(_ outcome: Outcome) {
        guard !reported else { return }
        reported = true
        onOutcome(outcome)
    }
}

/// Calls back on the first bytes read (once) and swallows what it reads: the connection is about to end.
final class FirstReadSignal: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private var signal: (() -> Void)?

    init(_ signal: @escaping () -> Void) {
        self.signal = signal
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let signal = self.signal
        self.signal = nil
        signal?()
    }
}

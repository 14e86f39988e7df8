import NIOCore
import Rules

/// One side of the decrypted relay, after the TLS handler of its channel: plaintext read here is
/// inspected by the connection and, when allowed, written to the partner side's channel (which
/// encrypts it again). Reads stop while the partner cannot take more (NIO's glue-handler pattern), so a
/// fast sender never fills the firewall's memory.
final class RelayHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// The direction of the bytes read on this side.
    let direction: FlowDirection
    /// Decides on each chunk read here: true to forward it.
    private let inspect: (ByteBuffer, FlowDirection) -> Bool
    /// Called once when this side closes or fails.
    private let onClose: () -> Void
    var partner: RelayHandler?
    private var context: ChannelHandlerContext?
    private var pendingRead = false
    private var closed = false

    init(direction: FlowDirection, inspect: @escaping (ByteBuffer, FlowDirection) -> Bool, onClose: @escaping () -> Void) {
        self.direction = direction
        self.inspect = inspect
        self.onClose = onClose
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        partner = nil
    }

    // MARK: Reading this side

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        guard inspect(buffer, direction) else { return }
        partner?.send(buffer)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        partner?.flushSent()
    }

    func channelInactive(context: ChannelHandlerContext) {
        reportClose()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        reportClose()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            reportClose()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func read(context: ChannelHandlerContext) {
        if partner?.isWritable ?? true {
            context.read()
        } else {
            pendingRead = true
        }
    }

    // MARK: Writing this side (called by the partner)

    private var isWritable: Bool { context?.channel.isWritable ?? false }

    /// Writes without a promise: a promise per chunk cost a future per record relayed, and only the end
    /// of the writes matters (``closeAfterPendingWrites(then:)``).
    private func send(_ buffer: ByteBuffer) {
        context?.write(wrapOutboundOut(buffer), promise: nil)
    }

    /// Ends this side once what was written to it went out, then calls `ended`. Writes complete in
    /// order, so an empty write after them completes once they did.
    ///
    /// The end is a half-close: the TLS handler sends close_notify, then the socket's output is shut
    /// (FIN), both in one segment because the socket is corked first. The channel closes when the peer
    /// closes its side, whether with its own close_notify, a FIN or a reset. The peer therefore reads
    /// everything before our socket closes, so no reset from our side can cut the end off. A full close
    /// would also start NIOSSL's close_notify timer, and NIOSSL leaves that timer, with the closed
    /// connection, pending when the peer's FIN or reset comes first (see ``CloseNotifyWait``). The
    /// connection's closing deadline closes the channel when the peer does not close its side in time.
    func closeAfterPendingWrites(then ended: @escaping () -> Void) {
        guard let context else { return ended() }
        let channel = context.channel
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(channel.allocator.buffer(capacity: 0)), promise: written)
        written.futureResult.assumeIsolated().whenComplete { _ in
            // The close_notify and the FIN in one segment (see ``SegmentMerging/cork``).
            SegmentMerging.corkSocket(of: channel)
            channel.close(mode: .output, promise: nil)
            ended()
        }
    }

    private func flushSent() {
        context?.flush()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { partner?.resumeReading() }
        context.fireChannelWritabilityChanged()
    }

    private func resumeReading() {
        guard pendingRead, let context else { return }
        pendingRead = false
        context.read()
    }

    private func reportClose() {
        guard !closed else { return }
        closed = true
        onClose()
    }
}

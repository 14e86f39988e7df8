import NIOCore

/// First in each of the engine's pipelines, in front of the TLS handler: flushes made while the channel
/// processes a read are held until that read is done, and a close that comes meanwhile sends what they
/// held in the same segment as its FIN.
///
/// What it is for: a peer's close_notify is answered by the TLS handler within the read that brought
/// it, with a close_notify of its own that is flushed at once, then the channel is closed. Without this
/// handler the answer and the FIN leave in two segments; with it, the socket is corked
/// (``SegmentMerging/cork``) and the answer flushed just before the close, so they leave in one.
/// Anything else flushed during a read goes out when the read completes, a moment later in the same
/// turn of the event loop.
final class ReadFlushDeferral: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var reading = false
    private var flushHeld = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        reading = true
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        reading = false
        releaseFlush(context: context)
        context.fireChannelReadComplete()
    }

    func flush(context: ChannelHandlerContext) {
        if reading {
            flushHeld = true
        } else {
            context.flush()
        }
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        if flushHeld, mode != .input {
            SegmentMerging.corkSocket(of: context.channel)
            releaseFlush(context: context)
        }
        context.close(mode: mode, promise: promise)
    }

    private func releaseFlush(context: ChannelHandlerContext) {
        guard flushHeld else { return }
        flushHeld = false
        context.flush()
    }
}

import NIOCore

/// Reads a handler holds back while something is decided, and passes on when it leaves the pipeline:
/// the handlers in front of a TLS handler that is not there yet use it so that no byte is lost.
struct HeldReads {
    private var buffers: [ByteBuffer] = []

    mutating func hold(_ buffer: ByteBuffer) {
        buffers.append(buffer)
    }

    /// Fires every held buffer to the next handler, then leaves the pipeline.
    mutating func release(context: ChannelHandlerContext, removalToken: ChannelHandlerContext.RemovalToken) {
        let held = buffers
        buffers = []
        for buffer in held { context.fireChannelRead(NIOAny(buffer)) }
        if !held.isEmpty { context.fireChannelReadComplete() }
        context.leavePipeline(removalToken: removalToken)
    }
}

import NIOCore
@testable import DataPlane

/// Records the outbound events that reach it: writes (their sizes), flushes and closes (their modes),
/// each flush and close after whether the socket was corked then, and what the test notes between them.
/// Closes stop here, so that the embedded channel stays open and shows whether it was closed whole.
final class OutboundRecorder: ChannelOutboundHandler {
    typealias OutboundIn = ByteBuffer

    enum Event: Equatable {
        case write(Int)
        case flush
        case close(CloseMode)
        /// At a flush or a close: the channel's `TCP_CORK` was on.
        case corked
        /// Noted by the test: the relay said the side ended.
        case ended
    }

    private(set) var events: [Event] = []

    func note(_ event: Event) {
        events.append(event)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        events.append(.write(unwrapOutboundIn(data).readableBytes))
        context.write(data, promise: promise)
    }

    func flush(context: ChannelHandlerContext) {
        noteCork(context)
        events.append(.flush)
        context.flush()
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        noteCork(context)
        events.append(.close(mode))
        promise?.succeed(())
    }

    private func noteCork(_ context: ChannelHandlerContext) {
        if (try? context.channel.syncOptions?.getOption(SegmentMerging.cork)) == 1 {
            events.append(.corked)
        }
    }
}

import NIOCore
import NIOHTTP1

/// The one exchange of ``HTTPRevocationFetcher``'s connections: sends the request once the connection
/// is up, collects a 200 response's body up to a limit and completes `promise` with it, or fails it on
/// another status, an oversized body, an error or an early close. The fetcher closes the channel
/// when the promise completes, whichever way.
final class RevocationHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let head: HTTPRequestHead
    private let body: [UInt8]?
    private let maximumBytes: Int
    private let promise: EventLoopPromise<[UInt8]>
    private var received: [UInt8] = []

    init(head: HTTPRequestHead, body: [UInt8]?, maximumBytes: Int, promise: EventLoopPromise<[UInt8]>) {
        self.head = head
        self.body = body
        self.maximumBytes = maximumBytes
        self.promise = promise
    }

    func channelActive(context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if let body {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let response):
            guard response.status == .ok else {
                promise.fail(RevocationFetchError.httpStatus(Int(response.status.code)))
                return
            }
            if let length = response.headers.first(name: "content-length").flatMap({ Int($0) }), length > maximumBytes {
                promise.fail(RevocationFetchError.responseTooLarge(limit: maximumBytes))
            }
        case .body(let buffer):
            guard received.count + buffer.readableBytes <= maximumBytes else {
                promise.fail(RevocationFetchError.responseTooLarge(limit: maximumBytes))
                return
            }
            received.append(contentsOf: buffer.readableBytesView)
        case .end:
            promise.succeed(received)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(RevocationFetchError.incompleteResponse)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(RevocationFetchError.unreachable(HTTPRevocationFetcher.phrase(for: error)))
        context.close(promise: nil)
    }
}

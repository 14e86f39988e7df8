import Foundation
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// A TCP server on 127.0.0.1 that reads one HTTP request per connection (head and Content-Length body)
/// and answers with fixed bytes, then closes; with no answer it stays silent. It records the requests.
final class CannedHTTPServer: Sendable {
    let port: Int
    private let channel: any Channel
    private let log = RequestLog()

    /// The requests received so far, as text (head and body).
    var requests: [String] { log.entries.withLock { $0 } }

    init(group: any EventLoopGroup, response: [UInt8]?) async throws {
        let log = self.log
        let recorder: @Sendable (String) -> Void = { text in log.entries.withLock { $0.append(text) } }
        channel = try await ServerBootstrap(group: group)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(Responder(response: response, record: recorder))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        port = try #require(channel.localAddress?.port)
    }

    func close() async throws {
        try await channel.close()
    }

    private final class RequestLog: Sendable {
        let entries = Mutex<[String]>([])
    }

    private final class Responder: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        let response: [UInt8]?
        let record: @Sendable (String) -> Void
        var request: [UInt8] = []

        init(response: [UInt8]?, record: @escaping @Sendable (String) -> Void) {
            self.response = response
            self.record = record
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            request.append(contentsOf: unwrapInboundIn(data).readableBytesView)
            let text = String(decoding: request, as: UTF8.self)
            guard let headEnd = text.range(of: "\r\n\r\n") else { return }
            let length = text[..<headEnd.lowerBound].split(separator: "\r\n")
                .first { $0.lowercased().hasPrefix("content-length:") }
                .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
            guard text.utf8.distance(from: text.utf8.startIndex, to: headEnd.upperBound) + length <= request.count else { return }
            record(text)
            guard let response else { return }
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: response))).whenComplete { _ in
                bound.value.close(promise: nil)
            }
        }
    }
}

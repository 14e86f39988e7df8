import NIOCore

/// The first handler of an intercepted connection: holds the client's bytes until its ClientHello is
/// complete, reports it once, and when removed (after the TLS server handler was added behind it)
/// replays every byte it held, so the handshake proceeds as if nothing had been in between.
final class ClientHelloHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private var reader = ClientHelloReader()
    private var held = HeldReads()
    private var reported = false
    private let onProgress: (ClientHelloReader.Progress) -> Void

    /// `onProgress` is called once, with `.complete` or `.notTLS`.
    init(onProgress: @escaping (ClientHelloReader.Progress) -> Void) {
        self.onProgress = onProgress
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        held.hold(buffer)
        guard !reported else { return }
        let progress = buffer.withUnsafeReadableBytes { reader.append($0) }
        if case .needMore = progress { return }
        reported = true
        onProgress(progress)
    }

    func removeHandler(context: ChannelHandlerContext, removalToken: ChannelHandlerContext.RemovalToken) {
        held.release(context: context, removalToken: removalToken)
    }
}

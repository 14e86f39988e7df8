import NIOCore
import NIOEmbedded
import Testing
@testable import DataPlane

@Suite("Read flush deferral")
struct ReadFlushDeferralTests {
    @Test("a flush made while a read is processed goes out when the read completes")
    func flushDuringReadWaitsForReadComplete() throws {
        let channel = try DeferralChannel(answer: .flush)
        channel.embedded.pipeline.fireChannelRead(ByteBuffer(string: "hello"))
        #expect(channel.recorder.events == [.write(6)], "written, not yet flushed")

        channel.embedded.pipeline.fireChannelReadComplete()
        #expect(channel.recorder.events == [.write(6), .flush])
    }

    @Test("a close during the read flushes what was held into the corked socket, then closes")
    func closeDuringReadSendsHeldBytesWithTheFIN() throws {
        let channel = try DeferralChannel(answer: .flushAndClose)
        channel.embedded.pipeline.fireChannelRead(ByteBuffer(string: "close_notify"))
        #expect(channel.recorder.events == [.write(6), .corked, .flush, .corked, .close(.all)])

        channel.embedded.pipeline.fireChannelReadComplete()
        #expect(channel.recorder.events.count == 5, "nothing was left to flush")
    }

    @Test("outside a read, flushes and closes pass at once and the socket is left as it was")
    func outsideReadNothingIsHeld() throws {
        let channel = try DeferralChannel(answer: .flush)
        channel.embedded.pipeline.writeAndFlush(ByteBuffer(string: "data"), promise: nil)
        channel.embedded.pipeline.close(mode: .all, promise: nil)
        #expect(channel.recorder.events == [.write(4), .flush, .close(.all)])
    }
}

/// An embedded channel with the recorder next to the socket, then the deferral, then a stand-in for the
/// TLS handler that answers every read with six bytes (flushed), and with `.flushAndClose` then closes.
private struct DeferralChannel {
    let embedded = EmbeddedChannel()
    let recorder = OutboundRecorder()

    init(answer: Answerer.Answer) throws {
        try embedded.syncOptions?.setOption(SegmentMerging.cork, value: 0)
        try embedded.pipeline.syncOperations.addHandler(recorder)
        try embedded.pipeline.syncOperations.addHandler(ReadFlushDeferral())
        try embedded.pipeline.syncOperations.addHandler(Answerer(answer: answer))
    }
}

private final class Answerer: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    enum Answer { case flush, flushAndClose }

    private let answer: Answer

    init(answer: Answer) {
        self.answer = answer
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: "answer")), promise: nil)
        if answer == .flushAndClose {
            context.close(mode: .all, promise: nil)
        }
    }
}

import NIOCore
import NIOEmbedded
import Rules
import Testing
@testable import DataPlane

@Suite("Relay handler")
struct RelayHandlerTests {
    @Test("a graceful end half-closes the side once what was relayed to it went out")
    func gracefulEndHalfCloses() throws {
        let relay = try RelayPair()
        let response = ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        try relay.server.writeInbound(response)

        relay.toServer.closeAfterPendingWrites { relay.recorder.note(.ended) }

        // The response, flushed when the server's read completed; the empty write that marks the end of
        // what was queued; then the socket is corked (close_notify and FIN in one segment) and its
        // output closed, not the whole channel, and the caller is told.
        #expect(relay.recorder.events == [
            .write(response.readableBytes), .flush, .write(0), .flush, .corked, .close(.output), .ended,
        ])
        #expect(relay.client.isActive, "the channel stays open until the peer closes its side")
    }

    @Test("a side no longer in a pipeline has nothing to write out: the caller is told at once")
    func sideWithoutPipelineEndsAtOnce() {
        let relay = RelayHandler(direction: .toServer, inspect: { _, _ in true }, onClose: {})
        var ended = false
        relay.closeAfterPendingWrites { ended = true }
        #expect(ended)
    }

    @Test("a chunk the inspection refuses is not written to the other side")
    func refusedChunkIsNotRelayed() throws {
        let relay = try RelayPair(allows: { buffer in buffer.readableBytes < 10 })
        try relay.server.writeInbound(ByteBuffer(string: "refused, too long"))
        try relay.server.writeInbound(ByteBuffer(string: "ok"))

        #expect(relay.recorder.events == [.flush, .write(2), .flush])
    }
}

/// The two sides of a relay on embedded channels: `toServer` reads the client's channel, `toClient` the
/// server's; what is written to the client's channel is recorded.
private struct RelayPair {
    let client = EmbeddedChannel()
    let server = EmbeddedChannel()
    let recorder = OutboundRecorder()
    let toServer: RelayHandler
    let toClient: RelayHandler

    init(allows: @escaping (ByteBuffer) -> Bool = { _ in true }) throws {
        toServer = RelayHandler(direction: .toServer, inspect: { buffer, _ in allows(buffer) }, onClose: {})
        toClient = RelayHandler(direction: .toClient, inspect: { buffer, _ in allows(buffer) }, onClose: {})
        toServer.partner = toClient
        toClient.partner = toServer
        // Uncorked to begin with, so that the recorder can read the option at any time.
        try client.syncOptions?.setOption(SegmentMerging.cork, value: 0)
        try client.pipeline.syncOperations.addHandler(recorder)
        try client.pipeline.syncOperations.addHandler(toServer)
        try server.pipeline.syncOperations.addHandler(toClient)
        // Embedded channels are active once "connected"; nothing goes to the network.
        let address = try SocketAddress(ipAddress: "127.0.0.1", port: 1)
        try client.connect(to: address).wait()
        try server.connect(to: address).wait()
    }
}

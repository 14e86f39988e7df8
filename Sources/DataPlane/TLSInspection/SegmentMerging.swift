import Glibc
import NIOCore

/// The TCP socket options that let the kernel send fewer, fuller segments on the engine's sockets.
/// Every segment saved is a packet less for the kernel to build, filter and deliver on both hosts,
/// which is most of what a short connection costs.
enum SegmentMerging {
    /// `TCP_QUICKACK`, set to 0 before `connect` on the socket toward the server: the kernel holds back
    /// the ACK of the server's SYN-ACK (at most 200 ms) so that the ClientHello, which the engine already
    /// holds and writes as soon as the connection is up, carries it. The kernel returns to quick
    /// acknowledgements after that handshake by itself.
    ///
    /// Not set on accepted sockets: a listener's setting is not inherited, and set after `accept` it
    /// races the client's ClientHello, which the kernel may have acknowledged already.
    static let delayedAcknowledgements: ChannelOptions.Types.SocketOption = .tcpOption(NIOBSDSocket.Option(rawValue: TCP_QUICKACK))

    /// `TCP_CORK`: set to 1, the kernel holds partial segments until it is set to 0 again or the socket's
    /// output is shut (at most 200 ms). The engine corks
    /// - a side of the relay that ends, so that the close_notify the TLS handler writes and the FIN of
    ///   the shutdown that follows it leave in one segment, not two;
    /// - a socket closed while a read is processed, for the same reason (``ReadFlushDeferral``).
    ///
    /// The socket toward the server is not corked to hold the engine's Finished until the client's
    /// request: that saves a segment but makes the server process the Finished (and send its session
    /// tickets) on the request's path instead of while the client's handshake runs.
    static let cork: ChannelOptions.Types.SocketOption = .tcpOption(NIOBSDSocket.Option(rawValue: TCP_CORK))

    /// Corks `channel`'s socket (``cork``); best effort: uncorked, the same bytes still go out, in more
    /// segments. Called on the channel's event loop.
    static func corkSocket(of channel: any Channel) {
        try? channel.syncOptions?.setOption(cork, value: 1)
    }
}

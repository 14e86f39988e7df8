import Glibc
import Foundation
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Shared

/// Serves the snapshot protocol on a Unix stream socket (mode 0600, peer uid checked with
/// `SO_PEERCRED`): frames of a 4-byte length, a type byte and JSON. Each connection must open with
/// `hello`; the registry then pushes snapshots and records acks, nacks and stats.
struct DistributionService: Service {
    let socketPath: String
    let registry: WorkerRegistry
    let logger: Logger
    /// How long a new connection may take to say hello.
    var helloTimeout: Duration = .seconds(5)

    func run() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(unixDomainSocketPath: socketPath, cleanupExistingSocketFile: true) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        guard chmod(socketPath, 0o600) == 0 else {
            throw DistributionError.socketPermissions(socketPath, errno)
        }
        logger.info("snapshot distribution listening", metadata: ["socket": "\(socketPath)"])
        try await withTaskCancellationOrGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { inbound in
                    for try await connection in inbound {
                        group.addTask { await handle(connection) }
                    }
                }
            }
        } onCancelOrGracefulShutdown: {
            server.channel.close(promise: nil)
        }
        unlink(socketPath)
    }

    private func handle(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async {
        let id = UUID()
        do {
            try await verifyPeer(connection.channel)
            try await connection.executeThenClose { inbound, outbound in
                var iterator = inbound.makeAsyncIterator()
                var decoder = FrameDecoder()
                let hello = try await readHello(&iterator, decoder: &decoder)
                let (stream, continuation) = AsyncStream<WireMessage>.makeStream()
                await registry.connect(id: id, hello: hello, outbound: continuation)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await message in stream {
                            try await outbound.write(ByteBuffer(bytes: try WireCodec.encode(message)))
                        }
                    }
                    while let chunk = try await iterator.next() {
                        decoder.append(chunk.readableBytesView)
                        while let message = try decoder.next() {
                            await registry.received(message, from: id)
                        }
                    }
                    group.cancelAll()
                }
            }
        } catch {
            logger.warning("worker connection ended", metadata: ["reason": "\(error)"])
        }
        await registry.disconnect(id: id)
    }

    private func readHello(_ iterator: inout NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator, decoder: inout FrameDecoder) async throws -> Hello {
        let deadline = ContinuousClock.now + helloTimeout
        while ContinuousClock.now < deadline {
            if let message = try decoder.next() {
                guard case .hello(let hello) = message else { throw DistributionError.expectedHello }
                return hello
            }
            guard let chunk = try await iterator.next() else { throw DistributionError.closedBeforeHello }
            decoder.append(chunk.readableBytesView)
        }
        throw DistributionError.closedBeforeHello
    }

    /// Only processes of this server's own user (or root) may connect.
    private func verifyPeer(_ channel: any Channel) async throws {
        guard let provider = channel as? any SocketOptionProvider else { throw DistributionError.peerUnknown }
        let credentials: PeerCredentials = try await provider.unsafeGetSocketOption(level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED)).get()
        let own = getuid()
        guard credentials.uid == own || credentials.uid == 0 else {
            throw DistributionError.peerRefused(uid: credentials.uid)
        }
    }
}

/// The layout of Linux's `struct ucred` (pid, uid, gid), which Glibc's Swift overlay does not
/// export without `_GNU_SOURCE`; `SO_PEERCRED` fills it.
struct PeerCredentials: Sendable {
    var pid: Int32 = 0
    var uid: UInt32 = 0
    var gid: UInt32 = 0
}

/// Why a distribution connection was refused or ended.
enum DistributionError: Error, CustomStringConvertible {
    /// The socket file could not be restricted to its owner.
    case socketPermissions(String, Int32)
    /// The peer's credentials could not be read.
    case peerUnknown
    /// The peer runs as another user.
    case peerRefused(uid: uid_t)
    /// The first frame was not `hello`.
    case expectedHello
    /// The peer closed or stalled before saying hello.
    case closedBeforeHello

    var description: String {
        switch self {
        case .socketPermissions(let path, let code): "cannot set mode 0600 on \(path): \(String(cString: strerror(code)))"
        case .peerUnknown: "cannot read the peer's credentials"
        case .peerRefused(let uid): "peer uid \(uid) is neither this server's user nor root"
        case .expectedHello: "the first frame must be hello"
        case .closedBeforeHello: "connection closed or timed out before hello"
        }
    }
}

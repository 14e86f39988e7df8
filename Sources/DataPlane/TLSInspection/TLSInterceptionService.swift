import Foundation
import Glibc
import NIOCore
import NIOPosix
import Rules
public import Shared

/// The TLS engine of a worker: a transparent listener (TPROXY delivers the connections the packet path
/// diverted, with their original destination as the accepted socket's local address) on SwiftNIO, one
/// ``InterceptedConnection`` per accepted connection.
///
/// Every worker of a host binds the same port with `SO_REUSEPORT`, so the kernel spreads connections over
/// them; each looks up the configuration that covers a connection in the snapshot it enforces.
public final class TLSInterceptionService: Sendable {
    /// What the service was told.
    public struct Configuration: Sendable {
        public var port: UInt16
        /// Event-loop threads (each serves many connections).
        public var threads: Int

        public init(port: UInt16 = TLSDiversion.defaultPort, threads: Int = 1) {
            self.port = port
            self.threads = threads
        }
    }

    private let configuration: Configuration
    private let group: MultiThreadedEventLoopGroup
    private let context: TLSEngineContext
    private let log: WorkerLog

    /// A service enforcing `active`'s TLS inspection and writing EVE to `eve`.
    public init(configuration: Configuration, active: ActiveSnapshot, eve: EveWriter, log: WorkerLog) throws {
        self.configuration = configuration
        self.log = log
        group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, configuration.threads))
        let fetcher = HTTPRevocationFetcher(group: group)
        context = try TLSEngineContext(active: active, eve: eve, revocation: RevocationChecker(fetcher: fetcher))
    }

    /// Binds the transparent listeners (IPv4, and IPv6 where the host has it).
    public func start() throws(TLSInspectionError) {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.socket(SocketOptionLevel(SOL_SOCKET), SocketOptionName(SO_REUSEPORT)), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [context, log] channel in
                channel.eventLoop.makeCompletedFuture {
                    Self.accept(channel, context: context, log: log)
                }
            }
        do {
            _ = try bootstrap
                .serverChannelOption(TransparentSocket.option(for: try SocketAddress(ipAddress: "0.0.0.0", port: 0)), value: 1)
                .bind(host: "0.0.0.0", port: Int(configuration.port)).wait()
        } catch {
            throw TLSInspectionError(code: .listener, message: "cannot listen on 0.0.0.0:\(configuration.port) with IP_TRANSPARENT: \(error)")
        }
        do {
            _ = try bootstrap
                .serverChannelOption(.socket(SocketOptionLevel(IPPROTO_IPV6), SocketOptionName(IPV6_V6ONLY)), value: 1)
                .serverChannelOption(TransparentSocket.option(for: try SocketAddress(ipAddress: "::", port: 0)), value: 1)
                .bind(host: "::", port: Int(configuration.port)).wait()
        } catch {
            log("TLS engine: no IPv6 listener on [::]:\(configuration.port): \(error)")
        }
        log("TLS engine listening on port \(configuration.port)")
    }

    /// The engine's counters for the worker's `stats` (see ``TLSEngineContext/counters``).
    public var counters: [String: UInt64] { context.counters }

    /// Closes the listeners and every connection.
    public func stop() {
        try? group.syncShutdownGracefully()
    }

    /// Sets up an accepted connection: its original destination must be in a TLS scope of the snapshot in
    /// force, else it is closed (the scope changed between the SYN and now).
    private static func accept(_ channel: any Channel, context: TLSEngineContext, log: WorkerLog) {
        guard let local = channel.localAddress, let remote = channel.remoteAddress,
              let server = local.rampartAddress, let client = remote.rampartAddress,
              let serverPort = local.port, let clientPort = remote.port,
              let snapshot = context.active.current,
              let index = snapshot.tlsInspection.scopes.configuration(
                  client: client, clientPort: UInt16(clientPort), server: server, serverPort: UInt16(serverPort), ipProtocol: 6
              )
        else {
            channel.close(promise: nil)
            return
        }
        let flow = InterceptedFlow(
            id: context.flowID(), client: (client, UInt16(clientPort)), server: (server, UInt16(serverPort)),
            keepsBodies: snapshot.stateful.inspectsHTTPBodies
        )
        let connection = InterceptedConnection(
            engine: context, client: channel, snapshot: snapshot, configuration: snapshot.tlsInspection.configurations[index],
            flow: flow, original: local
        )
        do {
            try connection.start()
        } catch {
            log("TLS engine: cannot set up the connection from \(remote): \(error)")
            channel.close(promise: nil)
        }
    }
}

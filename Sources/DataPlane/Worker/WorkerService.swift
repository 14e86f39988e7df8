import Foundation
import Glibc
public import Shared

/// Everything `rampart-worker run` is told.
public struct WorkerConfiguration: Sendable, Hashable {
    public var queue: UInt16
    /// The control plane's (or agent's) Unix socket.
    public var controlPath: String
    public var firewallName: String
    /// Holds the snapshot cache (and the EVE file by default).
    public var stateDirectory: String
    public var evePath: String
    /// Accept instead of drop while no snapshot is active, on internal errors, and (kernel flag)
    /// when the queue is full. Fail closed is the default.
    public var failOpen: Bool
    public var maximumFlows: Int
    /// Drop packets that cannot be decoded (default) rather than pass them.
    public var dropMalformed: Bool
    public var queueMaximumLength: UInt32
    /// The TLS engine's transparent listener port; nil runs no TLS engine (connections in a TLS
    /// inspection scope are then dropped).
    public var tlsPort: UInt16?
    /// The TLS engine's event-loop threads.
    public var tlsThreads: Int

    public init(
        queue: UInt16, controlPath: String, firewallName: String, stateDirectory: String = "/var/lib/rampart/worker",
        evePath: String? = nil, failOpen: Bool = false, maximumFlows: Int = 65536, dropMalformed: Bool = true,
        queueMaximumLength: UInt32 = 4096, tlsPort: UInt16? = TLSDiversion.defaultPort, tlsThreads: Int = 1
    ) {
        self.queue = queue
        self.controlPath = controlPath
        self.firewallName = firewallName
        self.stateDirectory = stateDirectory
        self.evePath = evePath ?? (stateDirectory.hasSuffix("/") ? stateDirectory : stateDirectory + "/") + "eve.json"
        self.failOpen = failOpen
        self.maximumFlows = maximumFlows
        self.dropMalformed = dropMalformed
        self.queueMaximumLength = queueMaximumLength
        self.tlsPort = tlsPort
        self.tlsThreads = tlsThreads
    }

    /// `<state-dir>/snapshot-<firewall>-q<N>.json`.
    public var cachePath: String {
        SnapshotCache.path(directory: stateDirectory, firewallName: firewallName, queue: Int(queue))
    }
}

/// Why the worker could not start.
public struct WorkerError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String

    public var description: String { message }
}

/// One data-plane worker process: enforces the cached snapshot at once, binds its queue, keeps the
/// control connection, and runs until SIGTERM or SIGINT, then stops the packet loop, flushes EVE and
/// returns.
public final class WorkerService: Sendable {
    public let configuration: WorkerConfiguration
    private let log: WorkerLog

    public init(configuration: WorkerConfiguration, log: WorkerLog) {
        self.configuration = configuration
        self.log = log
    }

    /// Loads the cached snapshot into `active` when it is present and valid.
    public static func enforceCachedSnapshot(_ cache: SnapshotCache, into active: ActiveSnapshot, log: WorkerLog) {
        do {
            guard let snapshot = try cache.load() else {
                log("no cached snapshot at \(cache.path)")
                return
            }
            let compiled = try CompiledSnapshot(snapshot)
            active.replace(with: compiled)
            log("enforcing cached snapshot version \(snapshot.header.version) digest \(snapshot.header.digest)")
        } catch {
            log("error: cached snapshot refused: \(error)")
        }
    }

    /// Runs the worker until SIGTERM or SIGINT.
    public func run() throws {
        let configuration = configuration
        let pid = Int(getpid())
        log("starting: queue \(configuration.queue), firewall \(configuration.firewallName), pid \(pid), control \(configuration.controlPath)")

        // Signals are taken synchronously by this thread; block them before any thread starts so
        // that every thread inherits the mask.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGTERM)
        sigaddset(&signals, SIGINT)
        pthread_sigmask(SIG_BLOCK, &signals, nil)
        signal(SIGPIPE, SIG_IGN)
        log(Allocator.summary)

        do {
            try FileManager.default.createDirectory(
                atPath: configuration.stateDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw WorkerError(message: "cannot create state directory \(configuration.stateDirectory): \(error)")
        }
        let eve: EveWriter
        do {
            eve = try EveWriter(path: configuration.evePath)
        } catch {
            throw WorkerError(message: error.description)
        }

        let active = ActiveSnapshot()
        let cache = SnapshotCache(path: configuration.cachePath)
        WorkerService.enforceCachedSnapshot(cache, into: active, log: log)
        if active.current == nil {
            log("no snapshot yet: \(configuration.failOpen ? "failing open (accept)" : "failing closed (drop)") until one arrives")
        }

        let (tls, tlsEngine) = startTLSEngine(active: active, eve: eve)

        let board = CounterBoard()
        var processorConfiguration = PacketProcessorConfiguration(
            failOpen: configuration.failOpen, dropMalformed: configuration.dropMalformed,
            flowTable: FlowTableConfiguration(maximumFlows: configuration.maximumFlows)
        )
        processorConfiguration.tlsEngine = tlsEngine
        let processor = PacketProcessor(configuration: processorConfiguration, firstFlowID: UInt64.random(in: 1..<(1 << 52)))
        let queue: NetfilterQueue
        do {
            queue = try NetfilterQueue(
                configuration: NetfilterQueueConfiguration(
                    queue: configuration.queue, maximumLength: configuration.queueMaximumLength,
                    kernelFailOpen: configuration.failOpen
                ),
                processor: processor, active: active, eve: eve, counters: board, log: log
            )
        } catch {
            throw WorkerError(message: error.description)
        }
        let client = SnapshotClient(
            configuration: SnapshotClientConfiguration(
                controlPath: configuration.controlPath, firewallName: configuration.firewallName,
                queue: Int(configuration.queue), host: Self.hostname(), pid: pid
            ),
            active: active, cache: cache,
            counters: { board.current.dictionary.merging(tls?.counters ?? [:]) { packetPath, _ in packetPath } }, log: log,
            onApplied: { [log] previous, current in
                if OffloadedFlowReset.scopesChanged(from: previous, to: current) { OffloadedFlowReset.run(log: log) }
            }
        )
        queue.start()
        client.start()
        log("bound to NFQUEUE \(configuration.queue); EVE to \(configuration.evePath)")

        var received: Int32 = 0
        while sigwait(&signals, &received) != 0 {}
        log("stopping on signal \(received)")
        queue.stop()
        client.stop()
        tls?.stop()
        eve.close()
        let counters = board.current
        log("stopped: \(counters.packets) packets, \(counters.accepted) accepted, \(counters.dropped) dropped, \(counters.rejected) rejected")
    }

    /// Starts the TLS engine when configured; a failure to listen leaves the worker running, dropping the
    /// connections it would have decrypted.
    private func startTLSEngine(active: ActiveSnapshot, eve: EveWriter) -> (TLSInterceptionService?, TLSEngineAvailability) {
        guard let port = configuration.tlsPort else { return (nil, .unavailable) }
        do {
            let service = try TLSInterceptionService(
                configuration: TLSInterceptionService.Configuration(port: port, threads: configuration.tlsThreads),
                active: active, eve: eve, log: log
            )
            try service.start()
            return (service, .listening)
        } catch {
            log("error: TLS engine unavailable; connections in TLS inspection scopes will be dropped: \(error)")
            return (nil, .unavailable)
        }
    }

    /// This host's name.
    public static func hostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}

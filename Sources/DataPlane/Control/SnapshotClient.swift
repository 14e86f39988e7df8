public import Shared
import Foundation
import Glibc
import Synchronization

/// Who the worker is and how it talks to the control plane (or a host agent).
public struct SnapshotClientConfiguration: Sendable, Hashable {
    /// The Unix stream socket of the control plane.
    public var controlPath: String
    public var firewallName: String
    public var queue: Int
    public var host: String
    public var pid: Int
    /// Seconds between `heartbeat` frames and between `stats` frames.
    public var heartbeatInterval: Double
    public var statsInterval: Double
    /// Reconnection backoff: starts at `initialBackoff` seconds, doubles up to `maximumBackoff`.
    public var initialBackoff: Double
    public var maximumBackoff: Double

    public init(
        controlPath: String, firewallName: String, queue: Int, host: String, pid: Int,
        heartbeatInterval: Double = 5, statsInterval: Double = 5, initialBackoff: Double = 0.2, maximumBackoff: Double = 5
    ) {
        self.controlPath = controlPath
        self.firewallName = firewallName
        self.queue = queue
        self.host = host
        self.pid = pid
        self.heartbeatInterval = heartbeatInterval
        self.statsInterval = statsInterval
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
    }

    /// `<host>-q<queue>-<pid>`.
    public var workerId: String { "\(host)-q\(queue)-\(pid)" }
}

/// The worker's side of the snapshot protocol, on its own thread with blocking I/O.
///
/// Connects to the control socket, says `hello` with what it enforces, then applies every pushed
/// `snapshot`: verify the digest, compile both engines, swap the active snapshot, write the on-disk
/// cache, answer `ack`. Any failure answers `nack` with the reason and leaves the old snapshot in
/// force; a snapshot whose digest is already active is acknowledged without recompiling. Sends
/// `heartbeat` and `stats` periodically, and reconnects with exponential backoff while running —
/// enforcement never depends on the connection.
public final class SnapshotClient: Sendable {
    public let configuration: SnapshotClientConfiguration
    private let active: ActiveSnapshot
    private let cache: SnapshotCache?
    private let counters: @Sendable () -> [String: UInt64]
    private let log: WorkerLog
    private let running = Atomic<Bool>(false)
    private let connected = Atomic<Bool>(false)
    private let socket = Mutex<Int32>(-1)
    private let thread = Mutex<WorkerThread?>(nil)
    /// Serializes ``apply(_:)``.
    private let applying = Mutex<Void>(())
    /// Called after a new snapshot took effect, with the one it replaced.
    private let onApplied: @Sendable (_ previous: CompiledSnapshot?, _ current: CompiledSnapshot) -> Void

    public init(
        configuration: SnapshotClientConfiguration, active: ActiveSnapshot, cache: SnapshotCache?,
        counters: @escaping @Sendable () -> [String: UInt64], log: WorkerLog,
        onApplied: @escaping @Sendable (_ previous: CompiledSnapshot?, _ current: CompiledSnapshot) -> Void = { _, _ in }
    ) {
        self.configuration = configuration
        self.active = active
        self.cache = cache
        self.counters = counters
        self.log = log
        self.onApplied = onApplied
    }

    /// Whether a session with the control plane is open.
    public var isConnected: Bool { connected.load(ordering: .relaxed) }

    /// Starts the connection thread.
    public func start() {
        guard running.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        let worker = WorkerThread(name: "rampart-control") { [self] in run() }
        thread.withLock { $0 = worker }
    }

    /// Stops the connection thread and waits for it.
    public func stop() {
        running.store(false, ordering: .releasing)
        socket.withLock { descriptor in
            if descriptor >= 0 { shutdown(descriptor, Int32(SHUT_RDWR)) }
        }
        let worker = thread.withLock { current -> WorkerThread? in
            defer { current = nil }
            return current
        }
        worker?.join()
    }

    /// The `hello` this worker sends.
    public func hello() -> Hello {
        let header = active.current?.header
        return Hello(
            workerId: configuration.workerId, host: configuration.host, pid: configuration.pid,
            firewallName: configuration.firewallName, queue: configuration.queue,
            appliedVersion: header?.version, appliedDigest: header?.digest
        )
    }

    /// Applies `snapshot` and returns the answer to send: `ack` or `nack`.
    public func apply(_ snapshot: Snapshot) -> WireMessage {
        applying.withLock { _ in
            let header = snapshot.header
            if let current = active.current, current.header.digest == header.digest {
                return .ack(Ack(version: header.version, digest: header.digest))
            }
            guard header.firewallName == configuration.firewallName else {
                let reason = "snapshot is for firewall \(header.firewallName), this worker enforces \(configuration.firewallName)"
                log("nack version \(header.version): \(reason)")
                return .nack(Nack(version: header.version, digest: header.digest, reason: reason))
            }
            let compiled: CompiledSnapshot
            do throws(SnapshotCompileError) {
                compiled = try CompiledSnapshot(snapshot)
            } catch {
                log("nack version \(header.version) digest \(header.digest): \(error.description)")
                return .nack(Nack(version: header.version, digest: header.digest, reason: error.description))
            }
            let previous = active.current
            active.replace(with: compiled)
            log("applied version \(header.version) digest \(header.digest)")
            onApplied(previous, compiled)
            if let cache {
                do throws(SnapshotCacheError) {
                    try cache.store(snapshot)
                } catch {
                    log("error: \(error.description)")
                }
            }
            return .ack(Ack(version: header.version, digest: header.digest))
        }
    }

    // MARK: Connection loop

    private func run() {
        var backoff = configuration.initialBackoff
        var loggedFailure = false
        while running.load(ordering: .acquiring) {
            let descriptor: Int32
            do {
                descriptor = try connectSocket()
            } catch {
                if !loggedFailure {
                    log("cannot connect to \(configuration.controlPath): \(error); retrying")
                    loggedFailure = true
                }
                pause(backoff)
                backoff = min(backoff * 2, configuration.maximumBackoff)
                continue
            }
            let adopted = socket.withLock { current -> Bool in
                guard running.load(ordering: .acquiring) else { return false }
                current = descriptor
                return true
            }
            guard adopted else {
                close(descriptor)
                break
            }
            backoff = configuration.initialBackoff
            loggedFailure = false
            connected.store(true, ordering: .relaxed)
            log("connected to \(configuration.controlPath) as \(configuration.workerId)")
            let reason = session(descriptor)
            connected.store(false, ordering: .relaxed)
            socket.withLock { current in
                current = -1
                close(descriptor)
            }
            if running.load(ordering: .acquiring) {
                log("disconnected from \(configuration.controlPath): \(reason)")
                pause(backoff)
                backoff = min(backoff * 2, configuration.maximumBackoff)
            }
        }
    }

    /// Sleeps `seconds` in short steps so that ``stop()`` is prompt.
    private func pause(_ seconds: Double) {
        let deadline = Clocks.monotonic() + seconds
        while running.load(ordering: .acquiring) {
            let left = deadline - Clocks.monotonic()
            if left <= 0 { return }
            usleep(UInt32(min(left, 0.05) * 1_000_000))
        }
    }

    private struct SocketError: Error, CustomStringConvertible {
        var description: String
    }

    private func connectSocket() throws -> Int32 {
        let descriptor = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw SocketError(description: String(cString: strerror(errno))) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let path = Array(configuration.controlPath.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard path.count < capacity else {
            close(descriptor)
            throw SocketError(description: "socket path longer than \(capacity - 1) bytes")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: path)
            buffer[path.count] = 0
        }
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            let message = String(cString: strerror(errno))
            close(descriptor)
            throw SocketError(description: message)
        }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return descriptor
    }

    /// Runs one session; returns why it ended.
    private func session(_ descriptor: Int32) -> String {
        guard send(.hello(hello()), on: descriptor) else { return "cannot send hello" }
        var decoder = FrameDecoder()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var nextHeartbeat = Clocks.monotonic() + configuration.heartbeatInterval
        var nextStats = Clocks.monotonic() + configuration.statsInterval
        while running.load(ordering: .acquiring) {
            let now = Clocks.monotonic()
            let wait = max(0, min(min(nextHeartbeat, nextStats) - now, 0.25))
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(wait * 1000))
            if ready < 0, errno != EINTR { return "poll: \(String(cString: strerror(errno)))" }
            if ready > 0 {
                let received = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
                if received == 0 { return "closed by peer" }
                if received < 0 {
                    if errno == EINTR || errno == EAGAIN { continue }
                    return "recv: \(String(cString: strerror(errno)))"
                }
                decoder.append(buffer[0..<received])
                do {
                    while let message = try decoder.next() {
                        if case .snapshot(let snapshot) = message {
                            guard send(apply(snapshot), on: descriptor) else { return "cannot send answer" }
                        }
                    }
                } catch {
                    return "protocol error: \(error)"
                }
            }
            let after = Clocks.monotonic()
            if after >= nextHeartbeat {
                guard send(.heartbeat(Heartbeat(sentAt: Clocks.wall())), on: descriptor) else { return "cannot send heartbeat" }
                nextHeartbeat = after + configuration.heartbeatInterval
            }
            if after >= nextStats {
                guard send(.stats(Stats(counters: counters())), on: descriptor) else { return "cannot send stats" }
                nextStats = after + configuration.statsInterval
            }
        }
        return "stopped"
    }

    private func send(_ message: WireMessage, on descriptor: Int32) -> Bool {
        guard let frame = try? WireCodec.encode(message) else { return false }
        return frame.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let sent = Glibc.send(descriptor, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                if sent < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += sent
            }
            return true
        }
    }
}

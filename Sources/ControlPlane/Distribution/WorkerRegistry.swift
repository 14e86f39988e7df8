import Foundation
import Logging
import Shared

/// Who runs what: the current snapshot of every firewall and every connected worker with what it
/// applied. The distributor's connections report into it; the API reads sync state from it.
///
/// Follows go-control-plane's habit with its one flaw fixed: a worker that `nack`s a version keeps
/// its old snapshot, the reason is recorded per worker, and that version is not resent to it in a
/// loop — only a newer digest is.
actor WorkerRegistry {
    struct Worker {
        var hello: Hello
        var connectedAt: Double
        var lastSeen: Double
        var appliedVersion: UInt64?
        var appliedDigest: String?
        var lastNack: Nack?
        var counters: [String: UInt64]
        var outbound: AsyncStream<WireMessage>.Continuation
    }

    private var snapshots: [String: Snapshot] = [:]
    private var workers: [UUID: Worker] = [:]
    private let logger: Logger
    private let clock: @Sendable () -> Double

    init(logger: Logger, clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.logger = logger
        self.clock = clock
    }

    // MARK: Snapshots

    /// Makes `snapshot` current for its firewall and pushes it to every worker bound to it that
    /// does not run it yet.
    func publish(_ snapshot: Snapshot) {
        let name = snapshot.header.firewallName
        if snapshots[name]?.header.digest == snapshot.header.digest, snapshots[name]?.header.version == snapshot.header.version { return }
        snapshots[name] = snapshot
        for (id, worker) in workers where worker.hello.firewallName == name {
            send(snapshot, to: id, worker: worker)
        }
    }

    /// Forgets a deleted firewall; its workers keep their last snapshot.
    func remove(firewallName: String) {
        snapshots[firewallName] = nil
    }

    /// The current snapshot of a firewall.
    func snapshot(firewallName: String) -> Snapshot? {
        snapshots[firewallName]
    }

    private func send(_ snapshot: Snapshot, to id: UUID, worker: Worker) {
        if worker.appliedDigest == snapshot.header.digest { return }
        if let nack = worker.lastNack, nack.digest == snapshot.header.digest { return }
        worker.outbound.yield(.snapshot(snapshot))
    }

    // MARK: Workers

    func connect(id: UUID, hello: Hello, outbound: AsyncStream<WireMessage>.Continuation) {
        let now = clock()
        let worker = Worker(
            hello: hello, connectedAt: now, lastSeen: now, appliedVersion: hello.appliedVersion,
            appliedDigest: hello.appliedDigest, lastNack: nil, counters: [:], outbound: outbound
        )
        workers[id] = worker
        logger.info("worker connected", metadata: ["worker": "\(hello.workerId)", "firewall": "\(hello.firewallName)", "queue": "\(hello.queue)", "applied": "\(hello.appliedVersion.map(String.init) ?? "none")"])
        if let snapshot = snapshots[hello.firewallName] {
            send(snapshot, to: id, worker: worker)
        }
    }

    func disconnect(id: UUID) {
        guard let worker = workers.removeValue(forKey: id) else { return }
        worker.outbound.finish()
        logger.info("worker disconnected", metadata: ["worker": "\(worker.hello.workerId)"])
    }

    func received(_ message: WireMessage, from id: UUID) {
        guard var worker = workers[id] else { return }
        worker.lastSeen = clock()
        switch message {
        case .ack(let ack):
            worker.appliedVersion = ack.version
            worker.appliedDigest = ack.digest
            logger.info("worker applied snapshot", metadata: ["worker": "\(worker.hello.workerId)", "version": "\(ack.version)"])
        case .nack(let nack):
            worker.lastNack = nack
            logger.warning("worker refused snapshot", metadata: ["worker": "\(worker.hello.workerId)", "version": "\(nack.version)", "reason": "\(nack.reason)"])
        case .stats(let stats):
            worker.counters = stats.counters
        case .heartbeat, .events, .hello, .snapshot:
            break
        }
        workers[id] = worker
    }

    // MARK: Reading

    /// Every connected worker, by firewall then queue.
    func summaries() -> [WorkerSummary] {
        workers.values.map { worker in
            WorkerSummary(
                WorkerId: worker.hello.workerId, Host: worker.hello.host, Pid: worker.hello.pid,
                FirewallName: worker.hello.firewallName, Queue: worker.hello.queue,
                AppliedVersion: worker.appliedVersion, AppliedDigest: worker.appliedDigest,
                LastNackVersion: worker.lastNack?.version, LastNackReason: worker.lastNack?.reason,
                ConnectedAt: worker.connectedAt, LastSeen: worker.lastSeen, Counters: worker.counters
            )
        }.sorted { ($0.FirewallName, $0.Queue, $0.WorkerId) < ($1.FirewallName, $1.Queue, $1.WorkerId) }
    }

    /// The workers bound to a firewall and whether each runs `digest`.
    func syncStates(firewallName: String, digest: String?) -> [(worker: WorkerSummary, inSync: Bool)] {
        summaries().filter { $0.FirewallName == firewallName }.map { ($0, digest != nil && $0.AppliedDigest == digest) }
    }
}

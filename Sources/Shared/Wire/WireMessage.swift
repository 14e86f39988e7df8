/// The messages of the snapshot protocol between the control plane (or an agent) and a worker.
///
/// The worker says in `hello` what it runs; the server pushes `snapshot`; the worker answers with
/// `ack` or `nack` naming the version. After a `nack` the worker keeps its old snapshot and the
/// server records the reason and does not resend that version in a loop.
public enum WireMessage: Hashable, Sendable {
    /// Worker → server, first frame: who the worker is and what it already enforces.
    case hello(Hello)
    /// Server → worker: a snapshot to apply.
    case snapshot(Snapshot)
    /// Worker → server: the snapshot was applied.
    case ack(Ack)
    /// Worker → server: the snapshot could not be applied; the previous one keeps running.
    case nack(Nack)
    /// Worker → server: counters.
    case stats(Stats)
    /// Worker → server: EVE lines worth forwarding.
    case events(Events)
    /// Either way: liveness.
    case heartbeat(Heartbeat)

    /// The frame type byte.
    public var typeCode: UInt8 {
        switch self {
        case .hello: 1
        case .snapshot: 2
        case .ack: 3
        case .nack: 4
        case .stats: 5
        case .events: 6
        case .heartbeat: 7
        }
    }
}

/// The first message of a worker.
public struct Hello: Codable, Hashable, Sendable {
    public var protocolVersion: Int
    public var workerId: String
    public var host: String
    public var pid: Int
    public var firewallName: String
    public var queue: Int
    public var appliedVersion: UInt64?
    public var appliedDigest: String?

    public init(protocolVersion: Int = 1, workerId: String, host: String, pid: Int, firewallName: String, queue: Int, appliedVersion: UInt64?, appliedDigest: String?) {
        self.protocolVersion = protocolVersion
        self.workerId = workerId
        self.host = host
        self.pid = pid
        self.firewallName = firewallName
        self.queue = queue
        self.appliedVersion = appliedVersion
        self.appliedDigest = appliedDigest
    }
}

/// A snapshot was applied.
public struct Ack: Codable, Hashable, Sendable {
    public var version: UInt64
    public var digest: String

    public init(version: UInt64, digest: String) {
        self.version = version
        self.digest = digest
    }
}

/// A snapshot was refused; `reason` says why.
public struct Nack: Codable, Hashable, Sendable {
    public var version: UInt64
    public var digest: String
    public var reason: String

    public init(version: UInt64, digest: String, reason: String) {
        self.version = version
        self.digest = digest
        self.reason = reason
    }
}

/// Worker counters (packets, verdicts, alerts, …).
public struct Stats: Codable, Hashable, Sendable {
    public var counters: [String: UInt64]

    public init(counters: [String: UInt64]) {
        self.counters = counters
    }
}

/// EVE JSON lines.
public struct Events: Codable, Hashable, Sendable {
    public var lines: [String]

    public init(lines: [String]) {
        self.lines = lines
    }
}

/// Liveness.
public struct Heartbeat: Codable, Hashable, Sendable {
    public var sentAt: Double

    public init(sentAt: Double) {
        self.sentAt = sentAt
    }
}

/// One connected worker as `GET /v1/workers` reports it.
public struct WorkerSummary: Codable, Hashable, Sendable {
    public var WorkerId: String
    public var Host: String
    public var Pid: Int
    public var FirewallName: String
    public var Queue: Int
    public var AppliedVersion: UInt64?
    public var AppliedDigest: String?
    public var LastNackVersion: UInt64?
    public var LastNackReason: String?
    public var ConnectedAt: Double
    public var LastSeen: Double
    public var Counters: [String: UInt64]

    public init(
        WorkerId: String, Host: String, Pid: Int, FirewallName: String, Queue: Int, AppliedVersion: UInt64?,
        AppliedDigest: String?, LastNackVersion: UInt64?, LastNackReason: String?, ConnectedAt: Double,
        LastSeen: Double, Counters: [String: UInt64]
    ) {
        self.WorkerId = WorkerId
        self.Host = Host
        self.Pid = Pid
        self.FirewallName = FirewallName
        self.Queue = Queue
        self.AppliedVersion = AppliedVersion
        self.AppliedDigest = AppliedDigest
        self.LastNackVersion = LastNackVersion
        self.LastNackReason = LastNackReason
        self.ConnectedAt = ConnectedAt
        self.LastSeen = LastSeen
        self.Counters = Counters
    }
}

/// `GET /v1/workers` output.
public struct ListWorkersOutput: Codable, Sendable {
    public var Workers: [WorkerSummary]

    public init(Workers: [WorkerSummary]) {
        self.Workers = Workers
    }
}

/// The counters a worker reports in `stats`.
public struct WorkerCounters: Sendable, Hashable {
    /// Packets received from the queue.
    public var packets: UInt64 = 0
    /// Verdicts: accept and acceptFlow.
    public var accepted: UInt64 = 0
    /// Verdicts: drop and dropFlow.
    public var dropped: UInt64 = 0
    public var rejected: UInt64 = 0
    /// Connections handed to the TLS engine (their opening SYNs).
    public var diverted: UInt64 = 0
    /// Alert events written.
    public var alerts: UInt64 = 0
    /// Flows taken out of the queue with a connmark verdict.
    public var offloaded: UInt64 = 0
    /// Packets that could not be decoded.
    public var decodeErrors: UInt64 = 0
    /// Packets seen while no snapshot was active.
    public var noSnapshot: UInt64 = 0
    /// Flows currently tracked (a gauge).
    public var flows: UInt64 = 0
    /// Stateless custom-action metrics (`PublishMetricAction` dimension value → count).
    public var customMetrics: [String: UInt64] = [:]

    public init() {}

    /// The counters as the `stats` message carries them; custom metrics as `customAction.<value>`.
    public var dictionary: [String: UInt64] {
        var result: [String: UInt64] = [
            "packets": packets, "accepted": accepted, "dropped": dropped, "rejected": rejected, "diverted": diverted, "alerts": alerts,
            "offloaded": offloaded, "decodeErrors": decodeErrors, "noSnapshot": noSnapshot, "flows": flows,
        ]
        for (name, value) in customMetrics { result["customAction.\(name)"] = value }
        return result
    }
}

/// The `flow` object of an EVE `flow` event: one per flow when it ends (timeout or shutdown).
public struct EveFlow: Codable, Hashable, Sendable {
    public var pkts_toserver: UInt64
    public var pkts_toclient: UInt64
    public var bytes_toserver: UInt64
    public var bytes_toclient: UInt64
    /// Suricata's timestamp format.
    public var start: String
    public var end: String
    /// Whole seconds between the first and the last packet.
    public var age: Int
    /// `new`, `established` or `closed`.
    public var state: String
    /// `timeout` or `shutdown`.
    public var reason: String
    public var alerted: Bool
    /// `pass`, `drop` or `reject` when a rule decided the flow.
    public var action: String?

    public init(
        pkts_toserver: UInt64, pkts_toclient: UInt64, bytes_toserver: UInt64, bytes_toclient: UInt64, start: String,
        end: String, age: Int, state: String, reason: String, alerted: Bool, action: String?
    ) {
        self.pkts_toserver = pkts_toserver
        self.pkts_toclient = pkts_toclient
        self.bytes_toserver = bytes_toserver
        self.bytes_toclient = bytes_toclient
        self.start = start
        self.end = end
        self.age = age
        self.state = state
        self.reason = reason
        self.alerted = alerted
        self.action = action
    }
}

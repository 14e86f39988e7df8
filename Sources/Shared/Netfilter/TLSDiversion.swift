/// How connections reach the TLS engine, shared by the worker (which listens) and the chains and routes
/// Rampart installs (which deliver): a TPROXY rule sends packets marked ``PacketMarks/divertTLS`` to
/// ``defaultPort`` on the firewall itself, and a policy route delivers them locally.
public enum TLSDiversion {
    /// The port of the TLS engine's transparent listener (every worker of a host binds it with
    /// `SO_REUSEPORT`; the kernel spreads connections over them).
    public static let defaultPort: UInt16 = 15443
    /// The routing table of the policy route `fwmark divertTLS/divertTLS lookup TABLE`, which holds
    /// `local default dev lo`.
    public static let routingTable = 152
    /// The priority of that policy rule (before the main table's 32766).
    public static let rulePriority = 15200
}

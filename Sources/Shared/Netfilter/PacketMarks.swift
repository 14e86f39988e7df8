/// The packet and connection mark bits shared by the worker (which sets them in verdicts) and the
/// iptables chains Rampart installs (which act on them). All Rampart bits live under ``mask`` so
/// that marks other software uses are left alone.
public enum PacketMarks {
    /// Every bit Rampart owns.
    public static let mask: UInt32 = 0x0F00_0000
    /// Packet mark, set with `NF_REPEAT`: save as the connection mark, then accept. Later packets of
    /// the connection match ``acceptFlow`` on the connmark and are never queued again.
    public static let acceptFlow: UInt32 = 0x0100_0000
    /// Packet mark, set with `NF_REPEAT`: save as the connection mark, then drop. Later packets of
    /// the connection are dropped by the kernel without being queued.
    public static let dropFlow: UInt32 = 0x0200_0000
    /// Packet mark, set with `NF_ACCEPT`: the filter table's `FORWARD` chain answers the packet with
    /// a TCP reset (or ICMP port unreachable), drops it and marks the connection ``dropFlow``.
    public static let reject: UInt32 = 0x0400_0000
    /// Packet mark for the TLS engine. Set with `NF_REPEAT` on the opening SYN of a connection in a TLS
    /// inspection scope, it sends the packet to the mangle chain's TPROXY rule (the engine's transparent
    /// listener); the chain also sets it on every packet that belongs to one of the engine's own
    /// transparent sockets. The policy route ``TLSDiversion/routingTable`` delivers marked packets locally.
    public static let divertTLS: UInt32 = 0x0800_0000
}

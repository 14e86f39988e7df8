/// What the worker tells the kernel about one packet.
public enum Verdict: UInt8, Sendable, Hashable, CustomStringConvertible {
    /// Let the packet go on (`NF_ACCEPT`, mark unchanged).
    case accept
    /// Drop it silently (`NF_DROP`).
    case drop
    /// Answer with a TCP reset or ICMP unreachable and drop: the packet is accepted with
    /// ``Shared/PacketMarks/reject`` and the filter table's `FORWARD` chain does the rest.
    case reject
    /// Accept and take the flow out of the queue (`NF_REPEAT` with ``Shared/PacketMarks/acceptFlow``,
    /// saved as the connection mark by the mangle chain).
    case acceptFlow
    /// Drop and have the kernel drop the rest of the flow (`NF_REPEAT` with
    /// ``Shared/PacketMarks/dropFlow``).
    case dropFlow
    /// Hand the connection to the TLS engine (`NF_REPEAT` with ``Shared/PacketMarks/divertTLS``: the
    /// mangle chain's TPROXY rule delivers it to the engine's transparent listener).
    case divert

    public var description: String {
        switch self {
        case .accept: "accept"
        case .drop: "drop"
        case .reject: "reject"
        case .acceptFlow: "acceptFlow"
        case .dropFlow: "dropFlow"
        case .divert: "divert"
        }
    }
}

public import Shared

/// The iptables chains Rampart installs on a gateway, as exact argument lists.
///
/// Two chains, each hooked into a built-in chain by one jump that Rampart inserts only when it is
/// missing, so other software's rules are never touched:
///
/// - `mangle RAMPART-PRE`, jumped to from `PREROUTING`: loopback is left alone; packets of the TLS
///   engine's own transparent sockets (a diverted client connection, the engine's connection to the
///   server) get ``PacketMarks/divertTLS`` and are accepted, so the policy route
///   (``TLSDiversion/routingTable``) delivers them to the engine; a SYN the worker sent back with
///   `NF_REPEAT` and ``PacketMarks/divertTLS`` saves that mark on its connection and goes to the engine's
///   listener through TPROXY; a later packet of a diverted connection that no engine socket owns any more
///   (a client's data or reset after the engine ended the connection) is dropped by its connmark, so the
///   worker forgets a connection once it diverted it; flows already
///   decided (connmark ``PacketMarks/acceptFlow`` or ``PacketMarks/dropFlow``) are accepted
///   or dropped by the kernel and never queued again; a packet the worker sent back with `NF_REPEAT`
///   and a flow mark saves that mark on its connection, then is accepted or dropped; everything
///   else goes to the workers' NFQUEUEs, balanced over the queues by flow hash. `--queue-bypass`
///   (accept when no worker listens) only when the firewall is set to fail open; the default is
///   to fail closed.
/// - `filter RAMPART-FWD`, jumped to from `FORWARD`: a packet the worker accepted with the
///   ``PacketMarks/reject`` mark marks its connection dropped, then is answered with a TCP reset
///   (TCP) or ICMP port unreachable (anything else) and dropped. Rejecting in `filter` rather than
///   in the worker lets the kernel build the reset with the right addresses and sequence numbers.
///
/// This type is pure: it only produces argument lists; `Lab` runs them.
public struct IptablesChains: Sendable, Hashable {
    /// The address family, which picks the command and the ICMP flavour.
    public enum Family: Sendable, Hashable, CaseIterable {
        case ipv4, ipv6

        /// The legacy (non-nftables) command for the family.
        public var command: String {
            switch self {
            case .ipv4: "iptables-legacy"
            case .ipv6: "ip6tables-legacy"
            }
        }

        /// The ICMP answer for a rejected non-TCP packet.
        public var portUnreachable: String {
            switch self {
            case .ipv4: "icmp-port-unreachable"
            case .ipv6: "icmp6-port-unreachable"
            }
        }
    }

    /// One chain Rampart owns: its table, its name, the built-in chain that jumps to it, and its
    /// rules in order, each rule as the arguments that follow `-A NAME`.
    public struct Chain: Sendable, Hashable {
        public var table: String
        public var name: String
        public var hook: String
        public var rules: [[String]]
    }

    /// The chain in `mangle` that queues packets to the workers.
    public static let preroutingChain = "RAMPART-PRE"
    /// The chain in `filter` that carries out `reject` verdicts.
    public static let forwardChain = "RAMPART-FWD"

    /// How many workers (queues 0 … count-1) share the traffic.
    public var queueCount: Int
    /// Whether packets are accepted when no worker listens on their queue.
    public var failOpen: Bool
    /// The TLS engine's transparent listener port.
    public var tlsPort: UInt16

    /// Chains for `queueCount` queues (at least 1).
    public init(queueCount: Int, failOpen: Bool, tlsPort: UInt16 = TLSDiversion.defaultPort) {
        precondition(queueCount >= 1, "at least one queue")
        self.queueCount = queueCount
        self.failOpen = failOpen
        self.tlsPort = tlsPort
    }

    /// Both chains for `family`, in installation order.
    public func chains(for family: Family) -> [Chain] {
        [prerouting(for: family), forward(for: family)]
    }

    /// `mangle RAMPART-PRE`.
    public func prerouting(for family: Family) -> Chain {
        let accept = Self.markSpec(PacketMarks.acceptFlow)
        let drop = Self.markSpec(PacketMarks.dropFlow)
        let divert = Self.markSpec(PacketMarks.divertTLS)
        let mask = Self.hex(PacketMarks.mask)
        var queue = ["-j", "NFQUEUE"]
        if queueCount == 1 {
            queue += ["--queue-num", "0"]
        } else {
            queue += ["--queue-balance", "0:\(queueCount - 1)"]
        }
        if failOpen {
            queue.append("--queue-bypass")
        }
        return Chain(
            table: "mangle",
            name: Self.preroutingChain,
            hook: "PREROUTING",
            rules: [
                ["-i", "lo", "-j", "RETURN"],
                ["-p", "tcp", "-m", "socket", "--transparent", "-j", "MARK", "--set-mark", divert],
                ["-p", "tcp", "-m", "mark", "--mark", divert, "-m", "socket", "--transparent", "-j", "ACCEPT"],
                ["-p", "tcp", "-m", "mark", "--mark", divert, "-j", "CONNMARK", "--save-mark", "--mask", mask],
                [
                    "-p", "tcp", "-m", "mark", "--mark", divert, "-j", "TPROXY", "--on-port", String(tlsPort),
                    "--tproxy-mark", divert,
                ],
                ["-p", "tcp", "-m", "connmark", "--mark", divert, "-j", "DROP"],
                ["-m", "connmark", "--mark", accept, "-j", "ACCEPT"],
                ["-m", "connmark", "--mark", drop, "-j", "DROP"],
                ["-m", "mark", "--mark", accept, "-j", "CONNMARK", "--save-mark", "--mask", mask],
                ["-m", "mark", "--mark", accept, "-j", "ACCEPT"],
                ["-m", "mark", "--mark", drop, "-j", "CONNMARK", "--save-mark", "--mask", mask],
                ["-m", "mark", "--mark", drop, "-j", "DROP"],
                queue,
            ]
        )
    }

    /// `filter RAMPART-FWD`.
    public func forward(for family: Family) -> Chain {
        let reject = Self.markSpec(PacketMarks.reject)
        let drop = Self.markSpec(PacketMarks.dropFlow)
        return Chain(
            table: "filter",
            name: Self.forwardChain,
            hook: "FORWARD",
            rules: [
                ["-m", "mark", "--mark", reject, "-j", "CONNMARK", "--set-xmark", drop],
                ["-p", "tcp", "-m", "mark", "--mark", reject, "-j", "REJECT", "--reject-with", "tcp-reset"],
                ["-m", "mark", "--mark", reject, "-j", "REJECT", "--reject-with", family.portUnreachable],
            ]
        )
    }

    /// `0x01000000/0x01000000`: the bit set, under itself as the mask.
    static func markSpec(_ bit: UInt32) -> String {
        "\(hex(bit))/\(hex(bit))"
    }

    /// `0x01000000`: eight hex digits, as the marks are written in `PacketMarks`.
    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }
}

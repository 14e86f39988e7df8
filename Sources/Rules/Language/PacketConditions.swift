/// The header and packet keywords of a rule, each evaluated on every packet the rule sees.
public struct PacketConditions: Sendable, Hashable {
    /// `dsize`: the packet's payload length.
    public var payloadSize: NumericCondition?
    public var ttl: NumericCondition?
    /// `ip_proto`.
    public var ipProtocol: NumericCondition?
    /// `itype` / `icode`.
    public var icmpType: NumericCondition?
    public var icmpCode: NumericCondition?
    /// `flags` (alias `tcp.flags`).
    public var tcpFlags: TCPFlagsCondition?
    /// `seq` / `ack`: exact TCP sequence and acknowledgement numbers.
    public var sequence: UInt32?
    public var acknowledgement: UInt32?
    /// `window`: the TCP window.
    public var window: NumericCondition?
    /// `sameip`: source and destination address are the same.
    public var sameIP: Bool = false

    public init() {}

    /// Whether no packet keyword is set.
    public var isEmpty: Bool {
        payloadSize == nil && ttl == nil && ipProtocol == nil && icmpType == nil && icmpCode == nil && tcpFlags == nil
            && sequence == nil && acknowledgement == nil && window == nil && !sameIP
    }
}

/// `flags:[!|+|*]FSRPAUCE0[,ignored]`.
public struct TCPFlagsCondition: Sendable, Hashable {
    public enum Mode: Sendable, Hashable {
        /// Exactly these flags (after the ignore mask).
        case exact
        /// `+`: these flags and possibly others.
        case all
        /// `*`: any of these flags.
        case any
        /// `!`: none of these flags.
        case none
    }

    public var mode: Mode
    public var flags: UInt8
    /// Bits not looked at (`,12` = CWR and ECE).
    public var ignored: UInt8

    public init(mode: Mode, flags: UInt8, ignored: UInt8 = 0) {
        self.mode = mode
        self.flags = flags
        self.ignored = ignored
    }

    @inline(__always)
    public func matches(_ packetFlags: UInt8) -> Bool {
        let seen = packetFlags & ~ignored
        switch mode {
        case .exact: return seen == flags
        case .all: return seen & flags == flags
        case .any: return flags == 0 ? seen == 0 : seen & flags != 0
        case .none: return seen & flags == 0
        }
    }
}

/// One `flowbits` option.
public enum FlowbitOperation: Sendable, Hashable {
    case set(String)
    case unset(String)
    case toggle(String)
    /// `isset:a|b` (any) or `isset:a&b` (all); one name is `[name]`.
    case isSet([String], all: Bool)
    case isNotSet([String], all: Bool)

    /// Whether the operation is a condition (checked before the rule matches) rather than an action.
    public var isCondition: Bool {
        switch self {
        case .isSet, .isNotSet: true
        case .set, .unset, .toggle: false
        }
    }

    /// The names the operation reads or writes.
    public var names: [String] {
        switch self {
        case .set(let name), .unset(let name), .toggle(let name): [name]
        case .isSet(let names, _), .isNotSet(let names, _): names
        }
    }
}

/// `app-layer-protocol:[!]name[,either|to_server|to_client|direction|final|original]`.
public struct AppLayerProtocolCondition: Sendable, Hashable {
    public enum Name: Sendable, Hashable {
        case known(AppProtocol)
        /// `unknown`: nothing detected yet.
        case unknown
        /// `failed`: detection gave up.
        case failed
        /// A protocol Rampart does not detect (`smb`, `ssh`, …): never the flow's protocol.
        case undetectable(String)
    }

    public var name: Name
    public var negated: Bool

    public init(name: Name, negated: Bool) {
        self.name = name
        self.negated = negated
    }
}

/// `ssl_state:[!]state[|state…]`: the TLS handshake messages the packet completed (`client_hello`,
/// `server_hello`, `client_keyx`, `server_keyx`, `unknown`).
public struct SSLStateCondition: Sendable, Hashable {
    public var states: Set<String>
    public var negated: Bool

    public init(states: Set<String>, negated: Bool) {
        self.states = states
        self.negated = negated
    }

    /// Whether a TLS transaction filled by `direction` satisfies the condition (a ClientHello or client key
    /// exchange travels to the server, a ServerHello or server key exchange to the client).
    public func holds(for direction: FlowDirection) -> Bool {
        let present = direction == .toServer
            ? states.contains("client_hello") || states.contains("client_keyx")
            : states.contains("server_hello") || states.contains("server_keyx")
        return negated ? !present : present
    }
}

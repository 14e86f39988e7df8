/// What a stateful rule does when it matches.
public enum RuleAction: String, Sendable, Hashable, CaseIterable {
    case pass, drop, reject, alert

    /// Suricata's action precedence under action order: pass, then drop, then reject, then alert.
    var precedence: Int {
        switch self {
        case .pass: 0
        case .drop: 1
        case .reject: 2
        case .alert: 3
        }
    }
}

/// The protocol of a rule header.
public enum RuleProtocol: String, Sendable, Hashable, CaseIterable {
    /// Any IP protocol.
    case ip
    /// IPv4 or IPv6 only.
    case ipv4, ipv6
    case tcp
    /// TCP, inspecting packets only (content on each packet's payload, never the stream).
    case tcpPacket = "tcp-pkt"
    /// TCP, inspecting the reassembled stream only.
    case tcpStream = "tcp-stream"
    case udp
    /// ICMP and ICMPv6.
    case icmp
    case icmpv4, icmpv6
    /// Application protocols, matched by protocol detection (not by port).
    case http, tls, dns
    /// HTTP/1.x (Rampart has no HTTP/2: the same as `http`).
    case http1

    /// Whether the protocol is an application-layer protocol (detected, not read from the IP header).
    public var isApplicationLayer: Bool { appProtocol != nil }

    /// The detected application protocol the rule requires.
    public var appProtocol: AppProtocol? {
        switch self {
        case .http, .http1: .http
        case .tls: .tls
        case .dns: .dns
        default: nil
        }
    }
}

/// `->` (source to destination) or `<>` (either way).
public enum RuleDirection: String, Sendable, Hashable {
    case forward = "->"
    case both = "<>"
}

/// The header of a rule, with variables expanded.
public struct RuleHeader: Sendable, Hashable {
    /// `ip`, `tcp`, … (`protocol` is a Swift keyword).
    public var proto: RuleProtocol
    public var source: AddressExpression
    public var sourcePort: PortExpression
    public var direction: RuleDirection
    public var destination: AddressExpression
    public var destinationPort: PortExpression

    public init(
        proto: RuleProtocol, source: AddressExpression, sourcePort: PortExpression,
        direction: RuleDirection, destination: AddressExpression, destinationPort: PortExpression
    ) {
        self.proto = proto
        self.source = source
        self.sourcePort = sourcePort
        self.direction = direction
        self.destination = destination
        self.destinationPort = destinationPort
    }

    /// `tcp 10.0.0.0/8 any -> any 80`.
    public var canonicalText: String {
        "\(proto.rawValue) \(source) \(sourcePort) \(direction.rawValue) \(destination) \(destinationPort)"
    }
}

/// The `flow` keyword: connection state, direction and stream settings a packet must have.
public struct FlowOptions: Sendable, Hashable {
    /// `established`, `not_established` or `stateless`.
    public enum State: String, Sendable, Hashable {
        case established
        case notEstablished = "not_established"
        case stateless
    }

    /// `to_server` (= `from_client`) or `to_client` (= `from_server`).
    public enum Direction: String, Sendable, Hashable {
        case toServer = "to_server"
        case toClient = "to_client"
    }

    /// `only_stream` or `no_stream`.
    public enum Stream: String, Sendable, Hashable {
        case onlyStream = "only_stream"
        case noStream = "no_stream"
    }

    public var state: State?
    public var direction: Direction?
    public var stream: Stream?

    public init(state: State? = nil, direction: Direction? = nil, stream: Stream? = nil) {
        self.state = state
        self.direction = direction
        self.stream = stream
    }

    /// `established,to_server` in a fixed order: state, direction, stream.
    public var canonicalText: String {
        [state?.rawValue, direction?.rawValue, stream?.rawValue].compactMap { $0 }.joined(separator: ",")
    }
}

/// A `reference:type,value` option.
public struct RuleReference: Sendable, Hashable {
    public var type: String
    public var value: String

    public init(type: String, value: String) {
        self.type = type
        self.value = value
    }
}

/// One parsed stateful rule.
public struct Rule: Sendable, Hashable {
    public var action: RuleAction
    /// Protocol, addresses, ports and direction, variables expanded.
    public var header: RuleHeader
    /// `sid`, required, 1…4294967295.
    public var sid: Int
    /// `gid`, 1 when absent.
    public var gid: Int
    /// `rev`, 0 when absent.
    public var rev: Int
    /// `msg`.
    public var message: String?
    public var classtype: String?
    /// The `priority` keyword (1…255).
    public var priority: Int?
    /// `flow`, nil when absent (the rule is then IP-only unless it inspects more than the header).
    public var flow: FlowOptions?
    /// `metadata` entries (`key value`), in order, from every `metadata` option.
    public var metadata: [String]
    /// `reference` options, in order.
    public var references: [RuleReference]
    /// Payload and application-layer inspection: one list per buffer, in the order the rule names them.
    public var inspections: [BufferInspection]
    /// Header and packet keywords (`dsize`, `ttl`, `flags`, …).
    public var packet: PacketConditions
    /// `flowbits` operations and conditions, in order.
    public var flowbits: [FlowbitOperation]
    /// `app-layer-protocol`.
    public var appLayerProtocol: AppLayerProtocolCondition?
    /// `tls.version`.
    public var tlsVersion: UInt16?
    /// `ssl_state`.
    public var sslState: SSLStateCondition?
    /// `noalert` or `flowbits:noalert`: the rule matches silently.
    public var noalert: Bool
    /// The options in canonical spelling, in the order written (order matters to content matching).
    public var renderedOptions: [String]
    /// The line of the rule in its source string.
    public var line: Int

    /// Canonical Suricata text with every `$VARIABLE` substituted by its resolved address/port list and the
    /// options in a normalized spelling, in written order. `RulesParser.parse(canonicalText, variables:
    /// .defaults)` gives back an equal rule (except `line`).
    public var canonicalText: String {
        "\(action.rawValue) \(header.canonicalText) (" + renderedOptions.map { $0 + ";" }.joined(separator: " ") + ")"
    }

    public init(
        action: RuleAction, header: RuleHeader, sid: Int, gid: Int = 1, rev: Int = 0,
        message: String? = nil, classtype: String? = nil, priority: Int? = nil, flow: FlowOptions? = nil,
        metadata: [String] = [], references: [RuleReference] = [], inspections: [BufferInspection] = [],
        packet: PacketConditions = PacketConditions(), flowbits: [FlowbitOperation] = [],
        appLayerProtocol: AppLayerProtocolCondition? = nil, tlsVersion: UInt16? = nil, sslState: SSLStateCondition? = nil,
        noalert: Bool = false,
        renderedOptions: [String] = [], line: Int = 1
    ) {
        self.action = action
        self.header = header
        self.sid = sid
        self.gid = gid
        self.rev = rev
        self.message = message
        self.classtype = classtype
        self.priority = priority
        self.flow = flow
        self.metadata = metadata
        self.references = references
        self.inspections = inspections
        self.packet = packet
        self.flowbits = flowbits
        self.appLayerProtocol = appLayerProtocol
        self.tlsVersion = tlsVersion
        self.sslState = sslState
        self.noalert = noalert
        self.renderedOptions = renderedOptions
        self.line = line
    }

    /// The alert severity Suricata reports: the `priority` keyword, else the classtype's priority, else 3.
    public var severity: Int {
        priority ?? classtype.flatMap { Classification.priority(of: $0) } ?? 3
    }

    /// Whether the rule is IP-only (Suricata's term): it looks at addresses, ports and protocol only, so it
    /// is evaluated on the first packet of each direction of a flow (unless an address is negated).
    public var isIPOnly: Bool {
        flow == nil && !header.proto.isApplicationLayer && inspections.isEmpty && packet.isEmpty && flowbits.isEmpty
            && appLayerProtocol == nil && tlsVersion == nil && sslState == nil
            && header.proto != .tcpPacket && header.proto != .tcpStream
    }

    /// Escapes `\`, `"` and `;` with a backslash, as Suricata option values need.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if scalar == "\\" || scalar == "\"" || scalar == ";" { out.unicodeScalars.append("\\") }
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}

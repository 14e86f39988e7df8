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
    case tcp
    case udp
    /// ICMP and ICMPv6.
    case icmp
    /// Application protocols: matched on TCP (http, tls) or TCP and UDP (dns) until protocol detection exists.
    case http, tls, dns

    /// Whether the protocol is an application-layer protocol (detected, not read from the IP header).
    public var isApplicationLayer: Bool {
        switch self {
        case .http, .tls, .dns: true
        case .ip, .tcp, .udp, .icmp: false
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
    /// `flow`, nil when absent (the rule is then IP-only unless its protocol is an application protocol).
    public var flow: FlowOptions?
    /// `metadata` entries (`key value`), in order, from every `metadata` option.
    public var metadata: [String]
    /// `reference` options, in order.
    public var references: [RuleReference]
    /// The line of the rule in its source string.
    public var line: Int
    /// Canonical Suricata text with every `$VARIABLE` substituted by its resolved address/port list and the
    /// options in a normalized spelling and order. `RulesParser.parse(canonicalText, variables: .defaults)`
    /// gives back an equal rule (except `line`).
    public var canonicalText: String { renderCanonicalText() }

    public init(
        action: RuleAction, header: RuleHeader, sid: Int, gid: Int = 1, rev: Int = 0,
        message: String? = nil, classtype: String? = nil, priority: Int? = nil, flow: FlowOptions? = nil,
        metadata: [String] = [], references: [RuleReference] = [], line: Int = 1
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
        self.line = line
    }

    /// The alert severity Suricata reports: the `priority` keyword, else the classtype's priority, else 3.
    public var severity: Int {
        priority ?? classtype.flatMap { Classification.priority(of: $0) } ?? 3
    }

    /// Whether the rule is IP-only (Suricata's term): it needs no flow state and no packet or
    /// application data, so it is evaluated only on the first packet of each direction of a flow
    /// (unless an address is negated).
    public var isIPOnly: Bool {
        flow == nil && !header.proto.isApplicationLayer
    }

    private func renderCanonicalText() -> String {
        var options: [String] = []
        if let message { options.append("msg:\"\(Rule.escape(message))\"") }
        if let flow { options.append("flow:\(flow.canonicalText)") }
        if let classtype { options.append("classtype:\(classtype)") }
        if let priority { options.append("priority:\(priority)") }
        if !metadata.isEmpty { options.append("metadata:" + metadata.map(Rule.escape).joined(separator: ", ")) }
        for reference in references { options.append("reference:\(Rule.escape(reference.type)),\(Rule.escape(reference.value))") }
        options.append("sid:\(sid)")
        if gid != 1 { options.append("gid:\(gid)") }
        if rev != 0 { options.append("rev:\(rev)") }
        return "\(action.rawValue) \(header.canonicalText) (" + options.map { $0 + ";" }.joined(separator: " ") + ")"
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

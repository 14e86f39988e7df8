public import Shared

/// The compiled stateless rules of a snapshot: AWS Network Firewall's stateless engine.
///
/// Groups are evaluated in the snapshot's order (ascending reference priority), each group's rules
/// by ascending `Priority`; the first matching rule's standard action decides (`aws:pass`,
/// `aws:drop`, `aws:forward_to_sfe`) and its custom actions publish their metric. A packet no rule
/// matches takes the default actions — fragmented UDP the fragment default actions; non-first
/// fragments of other protocols are dropped. Immutable once built; a reload builds a new one.
///
/// Matching follows AWS: an omitted setting matches everything; within a setting any listed value
/// may match; port ranges only match TCP and UDP packets whose header was seen; `TCPFlags` only
/// match TCP, each entry as `(flags & masks) == flags` with absent or empty masks meaning all flags.
public final class StatelessEngine: Sendable {
    /// One compiled rule.
    public struct Rule: Sendable {
        public var groupArn: String
        public var priority: Int
        public var action: StatelessAction
        /// Indices into ``StatelessEngine/metricNames``.
        public var metrics: [Int]
        var sources: [CIDR]
        var destinations: [CIDR]
        var sourcePorts: [ClosedRange<UInt16>]
        var destinationPorts: [ClosedRange<UInt16>]
        /// A 256-bit set of protocol numbers; nil matches any protocol.
        var protocols: ProtocolSet?
        /// `(flags, mask)` pairs, any of which may match; empty matches any packet.
        var tcpFlags: [(flags: UInt8, mask: UInt8)]

        @inline(__always)
        func matches(_ packet: DecodedPacket) -> Bool {
            if let protocols, !protocols.contains(packet.ipProtocol) { return false }
            if !sources.isEmpty, !sources.contains(where: { $0.contains(packet.source) }) { return false }
            if !destinations.isEmpty, !destinations.contains(where: { $0.contains(packet.destination) }) { return false }
            if !sourcePorts.isEmpty || !destinationPorts.isEmpty {
                guard packet.hasPorts, packet.hasTransportHeader else { return false }
                if !sourcePorts.isEmpty, !sourcePorts.contains(where: { $0.contains(packet.sourcePort) }) { return false }
                if !destinationPorts.isEmpty, !destinationPorts.contains(where: { $0.contains(packet.destinationPort) }) {
                    return false
                }
            }
            if !tcpFlags.isEmpty {
                guard packet.ipProtocol == DecodedPacket.IPProtocolNumber.tcp, packet.hasTransportHeader else { return false }
                if !tcpFlags.contains(where: { packet.tcpFlags & $0.mask == $0.flags }) { return false }
            }
            return true
        }
    }

    /// The rules in evaluation order.
    public let rules: [Rule]
    /// The default actions' standard action and metric indices.
    public let defaultAction: StatelessAction
    public let defaultMetrics: [Int]
    public let fragmentDefaultAction: StatelessAction
    public let fragmentDefaultMetrics: [Int]
    /// The metric names (custom-action dimension values), indexed by the rules' metric indices.
    public let metricNames: [String]
    /// Whether some rule looks at TCP flags. When none does, a packet's outcome is a function of
    /// its 5-tuple and direction alone, so it can be cached per flow direction and flows can be
    /// taken out of the queue.
    public let dependsOnTCPFlags: Bool

    /// Compiles `section`.
    public init(section: StatelessSection) throws(StatelessRuleError) {
        var metricIndex: [String: Int] = [:]
        var metricNames: [String] = []
        func resolve(
            _ actions: [String], customActions: [CustomAction], groupArn: String?, priority: Int?
        ) throws(StatelessRuleError) -> (StatelessAction, [Int]) {
            var standard: StatelessAction?
            var metrics: [Int] = []
            for name in actions {
                if let action = StatelessAction(name: name) {
                    guard standard == nil else {
                        throw StatelessRuleError(
                            code: "MultipleStandardActions", message: "more than one standard action in \(actions)",
                            groupArn: groupArn, priority: priority
                        )
                    }
                    standard = action
                } else if let custom = customActions.first(where: { $0.ActionName == name }) {
                    guard let publish = custom.ActionDefinition.PublishMetricAction else {
                        throw StatelessRuleError(
                            code: "UnsupportedCustomAction", message: "custom action \(name) has no PublishMetricAction",
                            groupArn: groupArn, priority: priority
                        )
                    }
                    for dimension in publish.Dimensions {
                        if let existing = metricIndex[dimension.Value] {
                            if !metrics.contains(existing) { metrics.append(existing) }
                        } else {
                            metricIndex[dimension.Value] = metricNames.count
                            metrics.append(metricNames.count)
                            metricNames.append(dimension.Value)
                        }
                    }
                } else {
                    throw StatelessRuleError(
                        code: "UnknownAction", message: "unknown action \(name)", groupArn: groupArn, priority: priority
                    )
                }
            }
            guard let standard else {
                throw StatelessRuleError(
                    code: "MissingStandardAction",
                    message: "no standard action (aws:pass, aws:drop or aws:forward_to_sfe) in \(actions)",
                    groupArn: groupArn, priority: priority
                )
            }
            return (standard, metrics)
        }

        var rules: [Rule] = []
        var dependsOnTCPFlags = false
        for group in section.groups {
            for rule in group.rules.sorted(by: { $0.Priority < $1.Priority }) {
                let match = rule.RuleDefinition.MatchAttributes
                let (action, metrics) = try resolve(
                    rule.RuleDefinition.Actions, customActions: group.customActions, groupArn: group.arn, priority: rule.Priority
                )
                func cidrs(_ addresses: [Address]?) throws(StatelessRuleError) -> [CIDR] {
                    var result: [CIDR] = []
                    for address in addresses ?? [] {
                        guard let cidr = CIDR(address.AddressDefinition) else {
                            throw StatelessRuleError(
                                code: "InvalidAddress", message: "invalid address \(address.AddressDefinition)",
                                groupArn: group.arn, priority: rule.Priority
                            )
                        }
                        result.append(cidr)
                    }
                    return result
                }
                func ports(_ ranges: [PortRange]?) throws(StatelessRuleError) -> [ClosedRange<UInt16>] {
                    var result: [ClosedRange<UInt16>] = []
                    for range in ranges ?? [] {
                        guard range.FromPort >= 0, range.ToPort <= 65535, range.FromPort <= range.ToPort else {
                            throw StatelessRuleError(
                                code: "InvalidPortRange", message: "invalid port range \(range.FromPort)-\(range.ToPort)",
                                groupArn: group.arn, priority: rule.Priority
                            )
                        }
                        result.append(UInt16(range.FromPort)...UInt16(range.ToPort))
                    }
                    return result
                }
                var protocols: ProtocolSet?
                if let list = match.Protocols, !list.isEmpty {
                    var set = ProtocolSet()
                    for number in list {
                        guard (0...255).contains(number) else {
                            throw StatelessRuleError(
                                code: "InvalidProtocol", message: "invalid protocol \(number)", groupArn: group.arn,
                                priority: rule.Priority
                            )
                        }
                        set.insert(UInt8(number))
                    }
                    protocols = set
                }
                var flags: [(flags: UInt8, mask: UInt8)] = []
                for field in match.TCPFlags ?? [] {
                    let flagBits = field.Flags.reduce(UInt8(0)) { $0 | $1.bit }
                    let masks = field.Masks ?? []
                    let maskBits = masks.isEmpty ? UInt8.max : masks.reduce(UInt8(0)) { $0 | $1.bit }
                    guard flagBits & ~maskBits == 0 else {
                        throw StatelessRuleError(
                            code: "InvalidTCPFlags", message: "TCP flags \(field.Flags.map(\.rawValue)) are not all in the masks",
                            groupArn: group.arn, priority: rule.Priority
                        )
                    }
                    flags.append((flagBits, maskBits))
                }
                if !flags.isEmpty { dependsOnTCPFlags = true }
                rules.append(Rule(
                    groupArn: group.arn, priority: rule.Priority, action: action, metrics: metrics,
                    sources: try cidrs(match.Sources), destinations: try cidrs(match.Destinations),
                    sourcePorts: try ports(match.SourcePorts), destinationPorts: try ports(match.DestinationPorts),
                    protocols: protocols, tcpFlags: flags
                ))
            }
        }
        let (defaultAction, defaultMetrics) = try resolve(
            section.defaultActions, customActions: section.customActions, groupArn: nil, priority: nil
        )
        let (fragmentAction, fragmentMetrics) = try resolve(
            section.fragmentDefaultActions, customActions: section.customActions, groupArn: nil, priority: nil
        )
        self.rules = rules
        self.defaultAction = defaultAction
        self.defaultMetrics = defaultMetrics
        fragmentDefaultAction = fragmentAction
        fragmentDefaultMetrics = fragmentMetrics
        self.metricNames = metricNames
        self.dependsOnTCPFlags = dependsOnTCPFlags
    }

    /// The outcome for `packet`.
    public func evaluate(_ packet: DecodedPacket) -> StatelessOutcome {
        if packet.isNonFirstFragment, packet.ipProtocol != DecodedPacket.IPProtocolNumber.udp {
            return StatelessOutcome(action: .drop, code: StatelessOutcome.unsupportedFragmentCode)
        }
        for index in rules.indices where rules[index].matches(packet) {
            return StatelessOutcome(action: rules[index].action, code: Int32(index))
        }
        if packet.isFragment, packet.ipProtocol == DecodedPacket.IPProtocolNumber.udp {
            return StatelessOutcome(action: fragmentDefaultAction, code: StatelessOutcome.fragmentDefaultCode)
        }
        return StatelessOutcome(action: defaultAction, code: StatelessOutcome.defaultCode)
    }

    /// The outcome a packet of the same flow going the other way would get (addresses and ports
    /// swapped). Meaningful only when the engine does not depend on TCP flags.
    public func evaluateReverse(of packet: DecodedPacket) -> StatelessOutcome {
        var reversed = packet
        swap(&reversed.source, &reversed.destination)
        swap(&reversed.sourcePort, &reversed.destinationPort)
        return evaluate(reversed)
    }

    /// The metric indices an outcome publishes.
    public func metrics(of outcome: StatelessOutcome) -> [Int] {
        switch outcome.source {
        case .rule(let index): rules[index].metrics
        case .defaultActions: defaultMetrics
        case .fragmentDefaultActions: fragmentDefaultMetrics
        case .unsupportedFragment: []
        }
    }
}

/// A set of IP protocol numbers.
struct ProtocolSet: Sendable, Hashable {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    static func == (lhs: ProtocolSet, rhs: ProtocolSet) -> Bool { lhs.words == rhs.words }
    func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    mutating func insert(_ value: UInt8) {
        let bit = UInt64(1) << UInt64(value & 63)
        switch value >> 6 {
        case 0: words.0 |= bit
        case 1: words.1 |= bit
        case 2: words.2 |= bit
        default: words.3 |= bit
        }
    }

    @inline(__always)
    func contains(_ value: UInt8) -> Bool {
        let bit = UInt64(1) << UInt64(value & 63)
        switch value >> 6 {
        case 0: return words.0 & bit != 0
        case 1: return words.1 & bit != 0
        case 2: return words.2 & bit != 0
        default: return words.3 & bit != 0
        }
    }
}

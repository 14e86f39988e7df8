import Shared

/// Address membership over the sorted disjoint ranges of an `AddressSet`: a flag for a whole family, else
/// a binary search. No allocation.
struct AddressMatcher: Sendable {
    let allV4: Bool
    let allV6: Bool
    let v4Low: [UInt32]
    let v4High: [UInt32]
    let v6Low: [UInt128]
    let v6High: [UInt128]

    init(_ set: AddressSet) {
        allV4 = set.v4.isFull
        allV6 = set.v6.isFull
        v4Low = set.v4.ranges.map(\.lowerBound)
        v4High = set.v4.ranges.map(\.upperBound)
        v6Low = set.v6.ranges.map(\.lowerBound)
        v6High = set.v6.ranges.map(\.upperBound)
    }

    @inline(__always)
    func contains(_ address: IPAddress) -> Bool {
        switch address.family {
        case .v4: allV4 || rangesContain(v4Low, v4High, address.v4Value)
        case .v6: allV6 || rangesContain(v6Low, v6High, address.v6Value)
        }
    }
}

/// Port membership over sorted disjoint ranges.
struct PortMatcher: Sendable {
    let isAny: Bool
    let low: [UInt16]
    let high: [UInt16]

    init(_ set: IntervalSet<UInt16>) {
        isAny = set.isFull
        low = set.ranges.map(\.lowerBound)
        high = set.ranges.map(\.upperBound)
    }

    @inline(__always)
    func contains(_ port: UInt16) -> Bool {
        isAny || rangesContain(low, high, port)
    }
}

/// Whether `value` lies in one of the ranges `lows[i]...highs[i]` (sorted, disjoint).
@inline(__always)
func rangesContain<T: FixedWidthInteger>(_ lows: [T], _ highs: [T], _ value: T) -> Bool {
    // The largest i with lows[i] <= value, then one comparison against its upper bound.
    var low = 0
    var count = lows.count
    while count > 0 {
        let half = count / 2
        if lows[low + half] <= value {
            low += half + 1
            count -= half + 1
        } else {
            count = half
        }
    }
    return low > 0 && value <= highs[low - 1]
}

/// One rule compiled for the packet path: matchers, flow requirements and the alert it raises, all
/// precomputed so that evaluation does no String work.
struct CompiledRule: Sendable {
    enum StateRequirement: Sendable {
        case any, established, notEstablished
    }

    enum DirectionRequirement: Sendable {
        case any, toServer, toClient
    }

    let action: RuleAction
    let source: AddressMatcher
    let destination: AddressMatcher
    let sourcePorts: PortMatcher
    let destinationPorts: PortMatcher
    let bidirectional: Bool
    let state: StateRequirement
    let direction: DirectionRequirement
    /// False for IP-only rules without a negated address: they are evaluated only on the first packet of
    /// each direction, and once both directions were seen they can raise nothing more.
    let everyPacket: Bool
    /// The alert this rule raises, ready to copy.
    let alert: AlertMatch
    /// The ports under which the candidate index files the rule (destination ports, plus the source ports
    /// for `<>`); nil when they are too many to index, so the rule is always a candidate.
    let indexedPorts: IntervalSet<UInt16>?
    /// The protocol classes (`ProtocolClass`) the rule applies to.
    let protocolClasses: [Int]

    /// Ports are indexed only when the rule names at most this many.
    static let maximumIndexedPorts = 1024

    init(_ rule: Rule) {
        action = rule.action
        let header = rule.header
        source = AddressMatcher(header.source.addressSet)
        destination = AddressMatcher(header.destination.addressSet)
        let sourcePortSet = header.sourcePort.portSet
        let destinationPortSet = header.destinationPort.portSet
        sourcePorts = PortMatcher(sourcePortSet)
        destinationPorts = PortMatcher(destinationPortSet)
        bidirectional = header.direction == .both
        switch rule.flow?.state {
        case .established: state = .established
        case .notEstablished: state = .notEstablished
        case .stateless, nil: state = .any
        }
        switch rule.flow?.direction {
        case .toServer: direction = .toServer
        case .toClient: direction = .toClient
        case nil: direction = .any
        }
        everyPacket = !rule.isIPOnly || header.source.usesNegation || header.destination.usesNegation
        alert = AlertMatch(
            sid: rule.sid, gid: rule.gid, rev: rule.rev, message: rule.message ?? "", classtype: rule.classtype,
            severity: rule.severity, action: rule.action, blocked: rule.action == .drop || rule.action == .reject
        )
        let ports = bidirectional ? destinationPortSet.union(sourcePortSet) : destinationPortSet
        let covered = ports.ranges.reduce(0) { $0 + Int($1.upperBound) - Int($1.lowerBound) + 1 }
        indexedPorts = covered <= CompiledRule.maximumIndexedPorts ? ports : nil
        protocolClasses = ProtocolClass.classes(of: header.proto)
    }

    /// Whether the rule matches the packet in this flow context (the protocol was settled by the index).
    @inline(__always)
    func matches(_ packet: PacketFacts, flow: FlowContext) -> Bool {
        if !everyPacket, !flow.firstPacketInDirection { return false }
        switch state {
        case .any: break
        case .established: if !flow.established { return false }
        case .notEstablished: if flow.established { return false }
        }
        switch direction {
        case .any: break
        case .toServer: if flow.direction != .toServer { return false }
        case .toClient: if flow.direction != .toClient { return false }
        }
        return headerMatches(packet)
    }

    /// Addresses and ports, either way for `<>`.
    @inline(__always)
    func headerMatches(_ packet: PacketFacts) -> Bool {
        if destinationPorts.contains(packet.destinationPort), sourcePorts.contains(packet.sourcePort),
           destination.contains(packet.destination), source.contains(packet.source) {
            return true
        }
        return bidirectional
            && destinationPorts.contains(packet.sourcePort) && sourcePorts.contains(packet.destinationPort)
            && destination.contains(packet.source) && source.contains(packet.destination)
    }
}

/// Packets and rules fall in one of four protocol classes; each class has its own candidate index.
enum ProtocolClass {
    static let tcp = 0
    static let udp = 1
    static let icmp = 2
    static let other = 3
    static let count = 4

    @inline(__always)
    static func of(_ ipProtocol: UInt8) -> Int {
        switch ipProtocol {
        case 6: tcp
        case 17: udp
        case 1, 58: icmp
        default: other
        }
    }

    /// `ip` applies to every class; `dns` to TCP and UDP; `http` and `tls` to TCP.
    static func classes(of proto: RuleProtocol) -> [Int] {
        switch proto {
        case .ip: [tcp, udp, icmp, other]
        case .tcp, .http, .tls: [tcp]
        case .udp: [udp]
        case .dns: [tcp, udp]
        case .icmp: [icmp]
        }
    }
}

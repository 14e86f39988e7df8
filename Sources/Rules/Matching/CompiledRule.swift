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
    // The last range starting at or before `value`, then one comparison against its upper bound.
    let starting = countAtMost(lows, value)
    return starting > 0 && value <= highs[starting - 1]
}

/// How many elements of the ascending `sorted` are at most `value`: a binary search.
@inline(__always)
func countAtMost<T: Comparable>(_ sorted: [T], _ value: T) -> Int {
    var low = 0
    var count = sorted.count
    while count > 0 {
        let half = count / 2
        if sorted[low + half] <= value {
            low += half + 1
            count -= half + 1
        } else {
            count = half
        }
    }
    return low
}

/// One rule compiled for the packet path: matchers, flow requirements, inspection programs and the alert it
/// raises, all precomputed so that evaluation does no String work. A class: a candidate is reached through
/// one reference rather than copied with its many arrays.
final class CompiledRule: Sendable {
    enum StateRequirement: Sendable {
        case any, established, notEstablished
    }

    enum DirectionRequirement: Sendable {
        case any, toServer, toClient
    }

    /// Which bytes the payload list inspects on TCP.
    enum PayloadSource: Sendable {
        case either, packetOnly, streamOnly
    }

    /// An inspection list ready to run.
    struct Program: Sendable {
        let buffer: InspectionBuffer
        let transforms: [BufferTransform]
        let program: InspectionProgram

        /// Whether the list matches `bytes` (transforms applied first).
        @inline(__always)
        func matches(_ bytes: UnsafeRawBufferPointer) -> Bool {
            if transforms.isEmpty { return program.matches(bytes) }
            var value = Array(bytes)
            for transform in transforms { value = transform.apply(value) }
            return value.withUnsafeBytes { program.matches($0) }
        }

        /// Whether any of a multi-valued buffer's values matches.
        func matchesAny(_ values: [[UInt8]]) -> Bool {
            for value in values where value.withUnsafeBytes({ matches($0) }) { return true }
            return false
        }
    }

    /// A `flowbits` condition over interned bits.
    struct FlowbitCondition: Sendable {
        let bits: [Int]
        let all: Bool
        let negated: Bool

        func holds(_ state: FlowRuleState) -> Bool {
            let isSet: Bool
            if all {
                isSet = bits.allSatisfy { state.isSet($0) }
            } else {
                isSet = bits.contains { state.isSet($0) }
            }
            return negated ? !isSet : isSet
        }
    }

    enum FlowbitAction: Sendable {
        case set(Int), unset(Int), toggle(Int)
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
    /// IP-only rules decide for the whole flow.
    let isIPOnly: Bool
    /// 4 or 6 for `ipv4` / `ipv6` rules.
    let ipVersion: IPAddress.Family?
    /// The application protocol the header names (`http`, `tls`, `dns`).
    let appProtocol: AppProtocol?
    let packet: PacketConditions
    let checksPacket: Bool
    let appLayerCondition: AppLayerProtocolCondition?
    let tlsVersion: UInt16?
    let sslState: SSLStateCondition?
    let flowbitConditions: [FlowbitCondition]
    let flowbitActions: [FlowbitAction]
    let payloadSource: PayloadSource
    let payloadProgram: Program?
    /// Lists on application buffers; all must match one transaction.
    let transactionPrograms: [Program]
    /// The protocol of the transaction the rule needs, when it inspects one.
    let transactionProtocol: AppProtocol?
    /// The progress a transaction part must reach for the rule's buffers (`InspectionBuffer.progress`).
    let transactionProgress: Int
    /// The rule inspects buffers of both directions (a request's and its response's): it is inspected on
    /// the part to the client, its to-server buffers read from that part's `requestValues`, as Suricata
    /// inspects such a rule once the response reaches the progress of its buffers.
    let spansDirections: Bool
    let noalert: Bool
    /// The alert this rule raises, ready to copy.
    let alert: AlertMatch
    /// The ports under which the rule is filed for packets to the server, which are filed by destination
    /// port: the destination ports, plus the source ports for `<>`; nil when they are too many to index,
    /// so the rule is filed under every port.
    let indexedPorts: IntervalSet<UInt16>?
    /// The same for packets to the client, which are filed by source port: the source ports, plus the
    /// destination ports for `<>`.
    let indexedReplyPorts: IntervalSet<UInt16>?
    /// The protocol classes (`ProtocolClass`) the rule applies to.
    let protocolClasses: [Int]
    /// The content the prefilter looks for, when the rule has one.
    let fastPattern: (buffer: InspectionBuffer, pattern: [UInt8])?

    /// Ports are indexed only when the rule names at most this many.
    static let maximumIndexedPorts = 1024

    init(_ rule: Rule, flowbits: inout [String: Int]) throws(RuleError) {
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
        isIPOnly = rule.isIPOnly
        everyPacket = !rule.isIPOnly || header.source.usesNegation || header.destination.usesNegation
        switch header.proto {
        case .ipv4, .icmpv4: ipVersion = .v4
        case .ipv6, .icmpv6: ipVersion = .v6
        default: ipVersion = nil
        }
        appProtocol = header.proto.appProtocol
        packet = rule.packet
        checksPacket = !rule.packet.isEmpty
        appLayerCondition = rule.appLayerProtocol
        tlsVersion = rule.tlsVersion
        sslState = rule.sslState
        var conditions: [FlowbitCondition] = []
        var actions: [FlowbitAction] = []
        func bit(_ name: String) -> Int {
            if let known = flowbits[name] { return known }
            flowbits[name] = flowbits.count
            return flowbits.count - 1
        }
        for operation in rule.flowbits {
            switch operation {
            case .set(let name): actions.append(.set(bit(name)))
            case .unset(let name): actions.append(.unset(bit(name)))
            case .toggle(let name): actions.append(.toggle(bit(name)))
            case .isSet(let names, let all): conditions.append(FlowbitCondition(bits: names.map(bit), all: all, negated: false))
            case .isNotSet(let names, let all): conditions.append(FlowbitCondition(bits: names.map(bit), all: all, negated: true))
            }
        }
        flowbitConditions = conditions
        flowbitActions = actions
        if header.proto == .tcpPacket || rule.flow?.stream == .noStream {
            payloadSource = .packetOnly
        } else if header.proto == .tcpStream || rule.flow?.stream == .onlyStream {
            payloadSource = .streamOnly
        } else {
            payloadSource = .either
        }
        var payloadProgram: Program?
        var transactionPrograms: [Program] = []
        for inspection in rule.inspections {
            let program = Program(buffer: inspection.buffer, transforms: inspection.transforms, program: try InspectionProgram(inspection))
            if inspection.buffer == .payload {
                payloadProgram = program
            } else {
                transactionPrograms.append(program)
            }
        }
        self.payloadProgram = payloadProgram
        self.transactionPrograms = transactionPrograms
        transactionProtocol = transactionPrograms.first?.buffer.appProtocol
            ?? (rule.tlsVersion != nil || rule.sslState != nil ? .tls : nil)
        let spans = Set(transactionPrograms.compactMap(\.buffer.direction)).count > 1
        spansDirections = spans
        // Spanning both: the request is complete by the time the response is inspected, so only the
        // progress of the response's buffers (and of those both directions have) counts.
        transactionProgress = transactionPrograms
            .filter { !spans || $0.buffer.direction != .toServer }
            .map(\.buffer.progress).max() ?? 1
        noalert = rule.noalert
        alert = AlertMatch(
            sid: rule.sid, gid: rule.gid, rev: rule.rev, message: rule.message ?? "", classtype: rule.classtype,
            severity: rule.severity, action: rule.action, blocked: rule.action == .drop || rule.action == .reject
        )
        func indexable(_ ports: IntervalSet<UInt16>) -> IntervalSet<UInt16>? {
            let covered = ports.ranges.reduce(0) { $0 + Int($1.upperBound) - Int($1.lowerBound) + 1 }
            return covered <= CompiledRule.maximumIndexedPorts ? ports : nil
        }
        indexedPorts = indexable(bidirectional ? destinationPortSet.union(sourcePortSet) : destinationPortSet)
        indexedReplyPorts = indexable(bidirectional ? sourcePortSet.union(destinationPortSet) : sourcePortSet)
        protocolClasses = ProtocolClass.classes(of: header.proto)
        // The prefilter scans the parts' own values: a rule inspected on the response part looks for a
        // pattern of the response's buffers.
        fastPattern = CompiledRule.chooseFastPattern(
            spans ? rule.inspections.filter { $0.buffer.direction != .toServer } : rule.inspections
        )
    }

    /// The content flagged `fast_pattern`, else the longest non-negated content, from a list whose
    /// transforms keep the pattern findable in the raw buffer; the leading `.` of a `dotprefix` pattern is
    /// dropped. Nil when the rule has none (it is then always a candidate).
    static func chooseFastPattern(_ inspections: [BufferInspection]) -> (buffer: InspectionBuffer, pattern: [UInt8])? {
        var best: (buffer: InspectionBuffer, pattern: [UInt8], flagged: Bool)?
        for inspection in inspections {
            let usable = inspection.transforms.allSatisfy { $0 == .dotPrefix || $0 == .toLowercase || $0 == .toUppercase }
            guard usable else { continue }
            let dotPrefixed = inspection.transforms.first == .dotPrefix
            for step in inspection.steps {
                guard case .content(let content) = step, !content.negated else { continue }
                var pattern = content.pattern
                if dotPrefixed, pattern.first == UInt8(ascii: ".") { pattern.removeFirst() }
                guard !pattern.isEmpty else { continue }
                if let current = best {
                    if current.flagged { continue }
                    if !content.fastPattern, pattern.count <= current.pattern.count { continue }
                }
                best = (inspection.buffer, pattern, content.fastPattern)
            }
        }
        return best.map { ($0.buffer, $0.pattern) }
    }

    /// How a rule matched: on which transaction, and whether its action applies to the whole flow.
    struct Match {
        var transaction: Int?
        var appliesToFlow: Bool
    }

    /// Whether the rule matches the packet in this flow context (the protocol was settled by the index).
    @inline(__always)
    func matches(_ packet: PacketFacts, flow: FlowContext, data: InspectionData, state: FlowRuleState) -> Match? {
        if !everyPacket, !flow.firstPacketInDirection { return nil }
        switch self.state {
        case .any: break
        case .established: if !flow.established { return nil }
        case .notEstablished: if flow.established { return nil }
        }
        switch direction {
        case .any: break
        case .toServer: if flow.direction != .toServer { return nil }
        case .toClient: if flow.direction != .toClient { return nil }
        }
        guard headerMatches(packet) else { return nil }
        if let ipVersion, packet.source.family != ipVersion { return nil }
        if let appProtocol, data.appProtocol.detected != appProtocol { return nil }
        if checksPacket, !packetConditionsHold(packet) { return nil }
        if let appLayerCondition, !CompiledRule.holds(appLayerCondition, data.appProtocol) { return nil }
        for condition in flowbitConditions where !condition.holds(state) { return nil }
        // What a flow leaves when it ends is stream data and transactions, not a packet.
        if data.endOfFlow, payloadSource == .packetOnly || (payloadProgram == nil && transactionProtocol == nil) { return nil }
        var result = Match(transaction: nil, appliesToFlow: isIPOnly)
        if let transactionProtocol {
            guard let index = matchingTransaction(transactionProtocol, data) else { return nil }
            result.transaction = index
            result.appliesToFlow = true
        }
        // The payload, the largest buffer, last.
        if let payloadProgram {
            guard data.payloadInspection, let viaStream = payloadMatches(payloadProgram, data) else { return nil }
            if viaStream, data.streamDecidesFlow { result.appliesToFlow = true }
        }
        return result
    }

    /// Nil when the payload list does not match; otherwise whether it matched stream data.
    ///
    /// As Suricata's payload inspection: packet rules (`tcp-pkt`, `flow:no_stream`) look at the packet's
    /// payload; stream rules (`tcp-stream`, `flow:only_stream`) at the stream chunk; other rules at the stream
    /// chunk, and at the packet's payload only when the packet was not taken into a stream.
    @inline(__always)
    private func payloadMatches(_ program: Program, _ data: InspectionData) -> Bool? {
        let packetAllowed = switch payloadSource {
        case .packetOnly: true
        case .streamOnly: data.payloadIsStream
        case .either: data.payloadIsStream || !data.payloadInStream
        }
        if packetAllowed, data.payload.count > 0, program.matches(data.payload) {
            return payloadSource != .packetOnly && data.payloadIsStream
        }
        if payloadSource != .packetOnly, let stream = data.stream, stream.count > 0, program.matches(stream) { return true }
        return nil
    }

    private func matchingTransaction(_ app: AppProtocol, _ data: InspectionData) -> Int? {
        for (index, transaction) in data.transactions.enumerated() where transaction.appProtocol == app {
            guard transaction.completes(progress: transactionProgress) else { continue }
            if let tlsVersion, transaction.tlsVersion != tlsVersion { continue }
            if let sslState, !sslState.holds(for: transaction.direction) { continue }
            if spansDirections, transaction.direction != .toClient { continue }
            var all = true
            for program in transactionPrograms {
                let values: [[UInt8]]
                if spansDirections, program.buffer.direction == .toServer {
                    values = transaction.requestValues.isEmpty ? [] : transaction.requestValues[program.buffer.index]
                } else if let direction = program.buffer.direction, direction != transaction.direction {
                    all = false
                    break
                } else {
                    values = transaction[program.buffer]
                }
                if !program.matchesAny(values) {
                    all = false
                    break
                }
            }
            if all { return index }
        }
        return nil
    }

    private func packetConditionsHold(_ facts: PacketFacts) -> Bool {
        if let condition = packet.payloadSize, !condition.matches(UInt64(facts.payloadLength)) { return false }
        if let condition = packet.ttl, !condition.matches(UInt64(facts.ttl)) { return false }
        if let condition = packet.ipProtocol, !condition.matches(UInt64(facts.ipProtocol)) { return false }
        let isICMP = facts.ipProtocol == 1 || facts.ipProtocol == 58
        let isTCP = facts.ipProtocol == 6
        if let condition = packet.icmpType, !isICMP || !condition.matches(UInt64(facts.icmpType)) { return false }
        if let condition = packet.icmpCode, !isICMP || !condition.matches(UInt64(facts.icmpCode)) { return false }
        if let condition = packet.tcpFlags, !isTCP || !condition.matches(facts.tcpFlags) { return false }
        if let sequence = packet.sequence, !isTCP || facts.tcpSequence != sequence { return false }
        if let acknowledgement = packet.acknowledgement, !isTCP || facts.tcpAcknowledgement != acknowledgement { return false }
        if let condition = packet.window, !isTCP || !condition.matches(UInt64(facts.tcpWindow)) { return false }
        if packet.sameIP, facts.source != facts.destination { return false }
        return true
    }

    static func holds(_ condition: AppLayerProtocolCondition, _ state: AppProtocolState) -> Bool {
        let isThat: Bool
        switch condition.name {
        case .known(let app):
            // A negated name holds only once the protocol is known (or detection failed), as Suricata reads it.
            if condition.negated, state == .unknown { return false }
            isThat = state.detected == app
        case .unknown: isThat = state == .unknown
        case .failed: isThat = state == .failed
        case .undetectable: isThat = false
        }
        return condition.negated ? !isThat : isThat
    }

    /// Whether the rule's `flow` direction lets it match packets in `direction`.
    func admits(_ direction: FlowDirection) -> Bool {
        switch self.direction {
        case .any: true
        case .toServer: direction == .toServer
        case .toClient: direction == .toClient
        }
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

    /// Applies the rule's flowbit actions after a match.
    func applyFlowbits(_ state: inout FlowRuleState) {
        for action in flowbitActions {
            switch action {
            case .set(let bit): state.set(bit, true)
            case .unset(let bit): state.set(bit, false)
            case .toggle(let bit): state.set(bit, !state.isSet(bit))
            }
        }
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
        case .ip, .ipv4, .ipv6: [tcp, udp, icmp, other]
        case .tcp, .tcpPacket, .tcpStream, .http, .http1, .tls: [tcp]
        case .udp: [udp]
        case .dns: [tcp, udp]
        case .icmp, .icmpv4, .icmpv6: [icmp]
        }
    }
}

/// The signature groups of a rule set and the group each packet uses, as Suricata builds its signature
/// group heads: by protocol class, by direction (a rule with `flow:to_server` never joins a group of
/// packets to the client), by the server's port (a packet to the server is filed by its destination
/// port, one to the client by its source port) and by the application protocol detected on the flow
/// (an `http` rule never joins the group of a TLS flow). Each group has its own prefilter, so a packet
/// scans only the fast patterns of rules that could match it.
///
/// A rule whose ports are too many to index (`CompiledRule.maximumIndexedPorts`) is in every port group of
/// its class and direction. Ports whose rules differ get their own groups, up to `maximumPortGroups` per
/// class and direction; the ports beyond share one group that holds all their rules. Groups with the same
/// rules are one group, and groups share the automata of equal pattern sets.
struct SignatureGroupTable: Sendable {
    /// Distinct port groups per protocol class and direction, counting the group of ports that no
    /// port-specific rule names.
    static let maximumPortGroups = 8

    /// The application-protocol slots of a port group: none detected (or detection failed), then one
    /// per `AppProtocol`.
    static let slotCount = AppProtocol.allCases.count + 1

    /// The port groups of one protocol class and direction.
    struct PortGroups: Sendable {
        let partition: PortPartition
        /// The group of interval `i` and slot `s` is `groups[groupOf[i * slotCount + s]]`.
        let groupOf: [Int32]
    }

    /// By `ProtocolClass` * 2 + direction (0 to the server, 1 to the client).
    let portGroups: [PortGroups]
    let groups: [SignatureGroup]
    /// The distinct pattern sets of all groups, with their automata's states and table bytes.
    let patternSets: (count: Int, states: Int, bytes: Int)

    init(rules: [CompiledRule]) {
        var groups: [SignatureGroup] = []
        var groupOfMembers: [[Int32]: Int32] = [:]
        var shared: [PatternSet.Key: PatternSet] = [:]
        var portGroups: [PortGroups] = []
        for protocolClass in 0..<ProtocolClass.count {
            for direction in [FlowDirection.toServer, .toClient] {
                let index = CandidateIndex(rules.indices.compactMap { number -> (rule: Int32, ports: IntervalSet<UInt16>?)? in
                    let rule = rules[number]
                    guard rule.protocolClasses.contains(protocolClass), rule.admits(direction) else { return nil }
                    return (Int32(number), direction == .toServer ? rule.indexedPorts : rule.indexedReplyPorts)
                })
                let (lists, listOfInterval) = Self.portLists(index)
                var groupOf = [Int32](repeating: 0, count: index.partition.count * Self.slotCount)
                for (list, ports) in lists.enumerated() {
                    var members: [Int32] = []
                    members.appendMerging(index.always[...], ports[...])
                    for slot in 0..<Self.slotCount {
                        let inSlot = members.filter { Self.slot(rules[Int($0)].appProtocol, admits: slot) }
                        let group: Int32
                        if let known = groupOfMembers[inSlot] {
                            group = known
                        } else {
                            group = Int32(groups.count)
                            groupOfMembers[inSlot] = group
                            groups.append(SignatureGroup(rules: rules, members: inSlot, shared: &shared))
                        }
                        for (interval, intervalList) in listOfInterval.enumerated() where intervalList == list {
                            groupOf[interval * Self.slotCount + slot] = group
                        }
                    }
                }
                portGroups.append(PortGroups(partition: index.partition, groupOf: groupOf))
            }
        }
        self.portGroups = portGroups
        self.groups = groups
        patternSets = shared.values.reduce((0, 0, 0)) { ($0.0 + 1, $0.1 + $1.automaton.stateCount, $0.2 + $1.automaton.tableBytes) }
    }

    /// The group of a packet in `direction` of a flow whose application protocol is `appProtocol`.
    @inline(__always)
    func group(_ packet: PacketFacts, direction: FlowDirection, appProtocol: AppProtocolState) -> Int {
        let toServer = direction == .toServer
        let table = portGroups[ProtocolClass.of(packet.ipProtocol) * 2 + (toServer ? 0 : 1)]
        let interval = table.partition.interval(of: toServer ? packet.destinationPort : packet.sourcePort)
        return Int(table.groupOf[interval * Self.slotCount + Self.slot(appProtocol)])
    }

    /// The slot of a flow's application protocol.
    @inline(__always)
    static func slot(_ state: AppProtocolState) -> Int {
        switch state.detected {
        case .http: 1
        case .tls: 2
        case .dns: 3
        case nil: 0
        }
    }

    /// Whether a rule for `appProtocol` (nil: any) belongs in `slot`.
    static func slot(_ appProtocol: AppProtocol?, admits slot: Int) -> Bool {
        guard let appProtocol else { return true }
        return Self.slot(.detected(appProtocol)) == slot
    }

    /// The distinct port-specific rule lists of `index`'s intervals, at most `maximumPortGroups` (the
    /// largest lists keep their own, the rest are merged into one), and the list of each interval.
    static func portLists(_ index: CandidateIndex) -> (lists: [[Int32]], listOfInterval: [Int]) {
        var lists: [[Int32]] = []
        var listOf: [[Int32]: Int] = [:]
        var listOfInterval: [Int] = []
        for interval in 0..<index.partition.count {
            let list = Array(index.members[Int(index.offsets[interval])..<Int(index.offsets[interval + 1])])
            if let known = listOf[list] {
                listOfInterval.append(known)
            } else {
                listOf[list] = lists.count
                listOfInterval.append(lists.count)
                lists.append(list)
            }
        }
        guard lists.count > maximumPortGroups else { return (lists, listOfInterval) }
        // The ports no specific rule names keep their group; so do the largest lists.
        let ranked = lists.indices.sorted { lists[$0].isEmpty != lists[$1].isEmpty ? lists[$0].isEmpty : lists[$0].count > lists[$1].count }
        let kept = Array(ranked.prefix(maximumPortGroups - 1))
        let rest = Array(Set(ranked.dropFirst(maximumPortGroups - 1).flatMap { lists[$0] })).sorted()
        var renumbered = [Int](repeating: kept.count, count: lists.count)
        for (position, list) in kept.enumerated() { renumbered[list] = position }
        return (kept.map { lists[$0] } + [rest], listOfInterval.map { renumbered[$0] })
    }
}

public import Shared

/// The compiled stateful rules of one snapshot: immutable, shared by every packet thread, swapped whole
/// on reload (Suricata's detect engine habit).
///
/// Candidates for a packet come from its signature group (`SignatureGroupTable`: by protocol class,
/// direction, server port and application protocol): the group's rules without a content, and those of its
/// rules whose fast pattern its prefilter finds (`Prefilter`, Aho–Corasick over each buffer's fast
/// patterns). Candidates are then inspected fully, cheapest checks first, in evaluation order:
/// - **Action order** (`DEFAULT_ACTION_ORDER`): rules are sorted once at compile time by action (pass, drop,
///   reject, alert — or the order given), then rules that set flowbits before rules that read them, then
///   by the `priority` keyword (present before absent, lower first), then as written. Matching alert and
///   drop/reject rules raise alerts (at most 15) and evaluation goes on; the first drop/reject gives the
///   verdict; a matching pass ends evaluation. Stateful default actions do not exist in this order.
/// - **Strict order** (`STRICT_ORDER`): groups as given, rules as written; alert rules raise and go on;
///   the first pass/drop/reject ends evaluation; if none matched, the default actions apply per packet.
///
/// Scope, as Suricata has it: IP-only rules (addresses, ports, protocol) are evaluated on the first packet
/// of each direction (unless an address is negated) and decide for the whole flow; so do rules that matched
/// stream data or an application transaction. A rule that matched on packet keywords or a single packet's
/// payload decides for that packet only.
public final class StatefulEngine: Sendable {
    /// Suricata's `packet_alert_max`.
    public static let maximumAlerts = 15

    /// The section's rule order.
    public let ruleOrder: RuleOrder
    /// The number of compiled rules.
    public let ruleCount: Int
    /// Whether a rule reads an HTTP body buffer (`http.request_body`, `http.response_body`, `file.data`):
    /// without one, the application layer only counts bodies instead of keeping their first bytes.
    public let inspectsHTTPBodies: Bool
    /// In evaluation order.
    let rules: [CompiledRule]
    /// The rules that could match each packet.
    let groups: SignatureGroupTable
    /// Every rule, by `ProtocolClass` (for `flowIsSettled`).
    let allIndexes: [CandidateIndex]
    let defaultDrop: DefaultDrop
    let alertStrict: Bool
    let alertEstablished: Bool

    enum DefaultDrop: Sendable {
        case none, strict, established, establishedAppLayer
    }

    /// Suricata's default action order.
    public static let defaultActionOrder: [RuleAction] = [.pass, .drop, .reject, .alert]

    private static let alertStrictMatch = AlertMatch(
        sid: 0, gid: 1, rev: 0, message: "aws:alert_strict", classtype: nil, severity: 3, action: .alert, blocked: false
    )
    private static let alertEstablishedMatch = AlertMatch(
        sid: 0, gid: 1, rev: 0, message: "aws:alert_established", classtype: nil, severity: 3, action: .alert, blocked: false
    )

    /// Compiles a snapshot's stateful section. Its rules are canonical text with no variables: each is parsed
    /// with `VariableScope.defaults`; an error names the group and the rule's position in it (as `line`).
    public convenience init(section: StatefulSection, actionOrder: [RuleAction] = StatefulEngine.defaultActionOrder) throws(RuleError) {
        var parsed: [Rule] = []
        for group in section.groups {
            for (position, text) in group.rules.enumerated() {
                do throws(RuleError) {
                    parsed.append(try RulesParser.parseRule(text, line: position + 1, variables: .defaults, checksLength: false))
                } catch {
                    var error = error
                    error.message = "rule group \(group.arn): \(error.message)"
                    throw error
                }
            }
        }
        try self.init(rules: parsed, ruleOrder: section.ruleOrder, defaultActions: section.defaultActions, actionOrder: actionOrder)
    }

    /// Compiles parsed rules (in written order).
    public init(
        rules parsed: [Rule], ruleOrder: RuleOrder, defaultActions: [String] = [],
        actionOrder: [RuleAction] = StatefulEngine.defaultActionOrder
    ) throws(RuleError) {
        var parsed = parsed
        self.ruleOrder = ruleOrder
        if ruleOrder == .DEFAULT_ACTION_ORDER {
            let rank = Dictionary(uniqueKeysWithValues: actionOrder.enumerated().map { ($0.element, $0.offset) })
            func flowbitRank(_ rule: Rule) -> Int {
                let sets = rule.flowbits.contains { !$0.isCondition }
                let reads = rule.flowbits.contains { $0.isCondition }
                return sets && !reads ? 0 : sets ? 1 : reads ? 3 : 2
            }
            parsed = parsed.enumerated().sorted { left, right in
                let a = left.element
                let b = right.element
                let aRank = rank[a.action] ?? a.action.precedence
                let bRank = rank[b.action] ?? b.action.precedence
                if aRank != bRank { return aRank < bRank }
                let aBits = flowbitRank(a)
                let bBits = flowbitRank(b)
                if aBits != bBits { return aBits < bBits }
                let aPriority = a.priority ?? Int.max
                let bPriority = b.priority ?? Int.max
                if aPriority != bPriority { return aPriority < bPriority }
                return left.offset < right.offset
            }.map(\.element)
        }
        var flowbits: [String: Int] = [:]
        var rules: [CompiledRule] = []
        rules.reserveCapacity(parsed.count)
        for rule in parsed {
            do throws(RuleError) {
                rules.append(try CompiledRule(rule, flowbits: &flowbits))
            } catch {
                var error = error
                if error.sid == nil { error.sid = rule.sid }
                if error.line == 0 { error.line = rule.line }
                throw error
            }
        }
        self.rules = rules
        ruleCount = rules.count
        inspectsHTTPBodies = rules.contains { rule in
            rule.transactionPrograms.contains { $0.buffer == .httpRequestBody || $0.buffer == .httpResponseBody }
        }

        var allEntries = [[(rule: Int32, ports: IntervalSet<UInt16>?)]](repeating: [], count: ProtocolClass.count)
        for (number, rule) in rules.enumerated() {
            for protocolClass in rule.protocolClasses { allEntries[protocolClass].append((Int32(number), rule.indexedPorts)) }
        }
        allIndexes = allEntries.map(CandidateIndex.init)
        groups = SignatureGroupTable(rules: rules)

        var defaultDrop = DefaultDrop.none
        var alertStrict = false
        var alertEstablished = false
        if ruleOrder == .STRICT_ORDER {
            for action in defaultActions {
                var drop: DefaultDrop?
                switch action {
                case "aws:drop_strict": drop = .strict
                case "aws:drop_established": drop = .established
                case "aws:drop_established_app_layer": drop = .establishedAppLayer
                case "aws:alert_strict": alertStrict = true
                case "aws:alert_established": alertEstablished = true
                default:
                    throw RuleError(code: .invalidValue, message: "unknown stateful default action '\(action)'")
                }
                if let drop {
                    guard case .none = defaultDrop else {
                        throw RuleError(code: .invalidValue, message: "more than one drop action in the stateful default actions")
                    }
                    defaultDrop = drop
                }
            }
        }
        self.defaultDrop = defaultDrop
        self.alertStrict = alertStrict
        self.alertEstablished = alertEstablished
    }

    /// The signature groups and their prefilter automata in one line, for benchmarks and logs.
    public var groupSummary: String {
        let sets = groups.patternSets
        return "\(groups.groups.count) signature groups, \(sets.count) pattern sets, \(sets.states) automaton states, "
            + "\(sets.bytes / 1024) KiB of automaton tables"
    }

    /// Whether the engine has default actions that can act on any packet of a flow.
    private var hasDefaultActions: Bool {
        if case .none = defaultDrop { return alertStrict || alertEstablished }
        return true
    }

    /// The decision for a packet without payload or application data (header rules only).
    public func evaluate(_ packet: PacketFacts, flow: FlowContext) -> StatefulDecision {
        var state = FlowRuleState()
        var scratch = EngineScratch()
        return evaluate(packet, flow: flow, data: .empty, state: &state, scratch: &scratch)
    }

    /// The decision for one packet with its payload, stream data and completed transactions. `state` is the
    /// flow's rule memory (flowbits); `scratch` the calling thread's working memory. No allocation unless
    /// alerts are raised or a transform runs; no locks.
    public func evaluate(
        _ packet: PacketFacts, flow: FlowContext, data: InspectionData, state: inout FlowRuleState,
        scratch: inout EngineScratch
    ) -> StatefulDecision {
        let identity = ObjectIdentifier(self)
        if state.generation != identity {
            state = FlowRuleState()
            state.generation = identity
        }
        groups.groups[groups.group(packet, direction: flow.direction, appProtocol: data.appProtocol)]
            .collectCandidates(data, ruleCount: rules.count, into: &scratch)
        var alerts: [AlertMatch] = []
        var verdict = StatefulVerdict.none
        var appliesToFlow = false
        evaluation: for number in scratch.candidates {
            let rule = rules[Int(number)]
            guard let match = rule.matches(packet, flow: flow, data: data, state: state) else { continue }
            rule.applyFlowbits(&state)
            if rule.action != .pass, !rule.noalert, alerts.count < StatefulEngine.maximumAlerts {
                var alert = rule.alert
                alert.transaction = match.transaction
                alerts.append(alert)
            }
            switch rule.action {
            case .alert:
                continue evaluation
            case .pass:
                // A pass after a drop ends evaluation; the drop stands.
                if verdict != .none { break evaluation }
                return StatefulDecision(verdict: .pass, appliesToFlow: match.appliesToFlow, alerts: alerts, reason: "rule")
            case .drop, .reject:
                if verdict == .none {
                    verdict = rule.action == .drop ? .drop : .reject
                    appliesToFlow = match.appliesToFlow
                }
                if ruleOrder == .STRICT_ORDER { break evaluation }
            }
        }
        if verdict != .none {
            return StatefulDecision(verdict: verdict, appliesToFlow: appliesToFlow, alerts: alerts, reason: "rule")
        }
        if ruleOrder == .STRICT_ORDER { return applyDefaultActions(flow: flow, alerts: alerts) }
        return StatefulDecision(verdict: .none, appliesToFlow: false, alerts: alerts, reason: alerts.isEmpty ? "none" : "alert")
    }

    /// Strict order, nothing terminal matched: the stateful default actions, per packet.
    private func applyDefaultActions(flow: FlowContext, alerts: [AlertMatch]) -> StatefulDecision {
        var alerts = alerts
        var verdict = StatefulVerdict.none
        var reason = alerts.isEmpty ? "none" : "alert"
        switch defaultDrop {
        case .none:
            break
        case .strict:
            verdict = .drop
            reason = "aws:drop_strict"
        case .established:
            if flow.established {
                verdict = .drop
                reason = "aws:drop_established"
            }
        case .establishedAppLayer:
            if flow.established {
                verdict = .drop
                reason = "aws:drop_established_app_layer"
            }
        }
        if alertStrict {
            if alerts.count < StatefulEngine.maximumAlerts { alerts.append(StatefulEngine.alertStrictMatch) }
            if verdict == .none { reason = "aws:alert_strict" }
        }
        if alertEstablished, flow.established {
            if alerts.count < StatefulEngine.maximumAlerts { alerts.append(StatefulEngine.alertEstablishedMatch) }
            if verdict == .none, !alertStrict { reason = "aws:alert_established" }
        }
        return StatefulDecision(verdict: verdict, appliesToFlow: false, alerts: alerts, reason: reason)
    }

    /// True when no later packet of a flow with these 5-tuple facts could raise an alert or get a different
    /// verdict once both directions were inspected: there are no stateful default actions and every rule
    /// that could match the flow (either way) is IP-only without negation. Lets the worker hand the flow to
    /// the kernel (connmark).
    public func flowIsSettled(_ packet: PacketFacts) -> Bool {
        if hasDefaultActions { return false }
        let index = allIndexes[ProtocolClass.of(packet.ipProtocol)]
        let reversed = packet.reversed
        return settled(index.candidates(port: packet.destinationPort), packet, reversed)
            && settled(index.candidates(port: packet.sourcePort), packet, reversed)
    }

    private func settled(_ candidates: CandidateCursor, _ packet: PacketFacts, _ reversed: PacketFacts) -> Bool {
        var cursor = candidates
        while let number = cursor.next() {
            guard rules[number].everyPacket else { continue }
            if rules[number].headerMatches(packet) || rules[number].headerMatches(reversed) { return false }
        }
        return true
    }
}

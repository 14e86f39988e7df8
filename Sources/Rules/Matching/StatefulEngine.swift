public import Shared

/// The compiled stateful rules of one snapshot: immutable, shared by every packet thread, swapped whole
/// on reload (Suricata's detect engine habit).
///
/// Rules are filed by protocol class and destination port (`CandidateIndex`), so `evaluate` looks only at
/// the rules that could match, in evaluation order:
/// - **Action order** (`DEFAULT_ACTION_ORDER`): rules are sorted once at compile time by action (pass,
///   drop, reject, alert), then by the `priority` keyword (present before absent, lower first), then as
///   written. The first matching pass ends evaluation with a flow-wide pass and no alerts; otherwise every
///   matching drop/reject/alert rule raises an alert (at most 15) and the first drop/reject gives the
///   verdict. Stateful default actions do not exist in this order and are ignored.
/// - **Strict order** (`STRICT_ORDER`): groups as given, rules as written; alert rules raise and go on;
///   the first pass/drop/reject ends evaluation; if none matched, the default actions apply per packet.
///
/// IP-only rules (no `flow` option, no application protocol) are evaluated only on the first packet of
/// each direction of a flow, unless their source or destination uses negation (reference §11.2).
public final class StatefulEngine: Sendable {
    /// Suricata's `packet_alert_max`.
    public static let maximumAlerts = 15

    /// The section's rule order.
    public let ruleOrder: RuleOrder
    /// The number of compiled rules.
    public let ruleCount: Int
    /// In evaluation order.
    let rules: [CompiledRule]
    /// By `ProtocolClass`.
    let indexes: [CandidateIndex]
    let defaultDrop: DefaultDrop
    let alertStrict: Bool
    let alertEstablished: Bool

    enum DefaultDrop: Sendable {
        case none, strict, established, establishedAppLayer
    }

    private static let alertStrictMatch = AlertMatch(
        sid: 0, gid: 1, rev: 0, message: "aws:alert_strict", classtype: nil, severity: 3, action: .alert, blocked: false
    )
    private static let alertEstablishedMatch = AlertMatch(
        sid: 0, gid: 1, rev: 0, message: "aws:alert_established", classtype: nil, severity: 3, action: .alert, blocked: false
    )

    /// Compiles a snapshot's stateful section. Its rules are canonical text with no variables: each is parsed
    /// with `VariableScope.defaults`; an error names the group and the rule's position in it (as `line`).
    public init(section: StatefulSection) throws(RuleError) {
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
        ruleOrder = section.ruleOrder
        if ruleOrder == .DEFAULT_ACTION_ORDER {
            parsed = parsed.enumerated().sorted { left, right in
                let a = left.element
                let b = right.element
                if a.action.precedence != b.action.precedence { return a.action.precedence < b.action.precedence }
                let aPriority = a.priority ?? Int.max
                let bPriority = b.priority ?? Int.max
                if aPriority != bPriority { return aPriority < bPriority }
                return left.offset < right.offset
            }.map(\.element)
        }
        let rules = parsed.map(CompiledRule.init)
        self.rules = rules
        ruleCount = rules.count

        var entries = [[(rule: Int32, ports: IntervalSet<UInt16>?)]](repeating: [], count: ProtocolClass.count)
        for (number, rule) in rules.enumerated() {
            for protocolClass in rule.protocolClasses {
                entries[protocolClass].append((Int32(number), rule.indexedPorts))
            }
        }
        indexes = entries.map(CandidateIndex.init)

        var defaultDrop = DefaultDrop.none
        var alertStrict = false
        var alertEstablished = false
        if ruleOrder == .STRICT_ORDER {
            for action in section.defaultActions {
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

    /// Whether the engine has default actions that can act on any packet of a flow.
    private var hasDefaultActions: Bool {
        if case .none = defaultDrop { return alertStrict || alertEstablished }
        return true
    }

    /// The decision for one packet. No allocation unless alerts are raised, no locks, no String work.
    public func evaluate(_ packet: PacketFacts, flow: FlowContext) -> StatefulDecision {
        var cursor = indexes[ProtocolClass.of(packet.ipProtocol)].candidates(port: packet.destinationPort)
        var alerts: [AlertMatch] = []
        switch ruleOrder {
        case .DEFAULT_ACTION_ORDER:
            var verdict = StatefulVerdict.none
            while let number = cursor.next() {
                guard rules[number].matches(packet, flow: flow) else { continue }
                switch rules[number].action {
                case .pass:
                    return StatefulDecision(verdict: .pass, appliesToFlow: true, alerts: [], reason: "rule")
                case .drop:
                    if verdict == .none { verdict = .drop }
                case .reject:
                    if verdict == .none { verdict = .reject }
                case .alert:
                    break
                }
                alerts.append(rules[number].alert)
                // Rules are sorted by action, so the first match decided the verdict and later ones only alert.
                if alerts.count == StatefulEngine.maximumAlerts { break }
            }
            if verdict != .none {
                return StatefulDecision(verdict: verdict, appliesToFlow: true, alerts: alerts, reason: "rule")
            }
            return StatefulDecision(verdict: .none, appliesToFlow: false, alerts: alerts, reason: alerts.isEmpty ? "none" : "alert")

        case .STRICT_ORDER:
            while let number = cursor.next() {
                guard rules[number].matches(packet, flow: flow) else { continue }
                let action = rules[number].action
                if action != .pass, alerts.count < StatefulEngine.maximumAlerts { alerts.append(rules[number].alert) }
                switch action {
                case .alert: continue
                case .pass: return StatefulDecision(verdict: .pass, appliesToFlow: true, alerts: alerts, reason: "rule")
                case .drop: return StatefulDecision(verdict: .drop, appliesToFlow: true, alerts: alerts, reason: "rule")
                case .reject: return StatefulDecision(verdict: .reject, appliesToFlow: true, alerts: alerts, reason: "rule")
                }
            }
            return applyDefaultActions(flow: flow, alerts: alerts)
        }
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
        let index = indexes[ProtocolClass.of(packet.ipProtocol)]
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

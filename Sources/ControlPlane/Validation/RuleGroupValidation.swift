import HTTPTypes
import Rules
import Shared

/// Validates a rule group body against its type and capacity and returns the consumed capacity.
/// Stateful rules are parsed here, with the group's variables, so a bad rule is refused at the API
/// with its line and column and never reaches a worker.
enum RuleGroupValidation {
    /// The largest capacity a rule group may declare.
    static let maximumCapacity = 30_000

    static func validate(_ ruleGroup: RuleGroup, type: RuleGroupType, capacity: Int) throws -> Int {
        let source = ruleGroup.RulesSource
        let members = [source.RulesString != nil, source.RulesSourceList != nil, source.StatefulRules != nil, source.StatelessRulesAndCustomActions != nil]
        if members.filter({ $0 }).count != 1 {
            throw APIError.invalidParameter("RulesSource", "must set exactly one of RulesString, RulesSourceList, StatefulRules, StatelessRulesAndCustomActions", context: "RuleGroup.RulesSource")
        }
        let consumed: Int
        switch type {
        case .STATELESS:
            guard let stateless = source.StatelessRulesAndCustomActions else {
                throw APIError.invalidParameter("RulesSource", "of a STATELESS rule group must be StatelessRulesAndCustomActions", context: "RuleGroup.RulesSource")
            }
            if ruleGroup.RuleVariables != nil {
                throw APIError.invalidParameter("RuleVariables", "cannot be provided for a STATELESS rule group", context: "RuleGroup.RuleVariables")
            }
            if ruleGroup.StatefulRuleOptions != nil {
                throw APIError.invalidParameter("StatefulRuleOptions", "cannot be provided for a STATELESS rule group", context: "RuleGroup.StatefulRuleOptions")
            }
            try validateStateless(stateless)
            consumed = RuleCapacity.stateless(stateless.StatelessRules)
        case .STATEFUL:
            if source.StatelessRulesAndCustomActions != nil {
                throw APIError.invalidParameter("RulesSource", "of a STATEFUL rule group cannot be StatelessRulesAndCustomActions", context: "RuleGroup.RulesSource")
            }
            if ruleGroup.ReferenceSets?.IPSetReferences?.isEmpty == false {
                throw APIError(.unsupportedOperation, "ReferenceSets (IP set references) are not supported yet", status: .badRequest)
            }
            let rules = try parseStateful(ruleGroup, policyVariables: nil)
            let strict = ruleGroup.StatefulRuleOptions?.RuleOrder == .STRICT_ORDER
            if strict, let rule = rules.first(where: { $0.priority != nil }) {
                throw APIError.invalidRequest("stateful rule is invalid, rule: \(rule.canonicalText), reason: the priority keyword is not allowed in a STRICT_ORDER rule group (line \(rule.line))")
            }
            consumed = RuleCapacity.stateful(source)
        case .STATEFUL_DOMAIN:
            // AWS's own domain lists are STATEFUL groups (`--type STATEFUL` with a RulesSourceList);
            // STATEFUL_DOMAIN names the `stateful-domain-rulegroup` resources of managed domain lists,
            // which Rampart does not have.
            throw APIError.invalidParameter(
                "Type", "STATEFUL_DOMAIN is not supported; create a domain list as a STATEFUL rule group with RulesSource.RulesSourceList",
                value: type.rawValue, context: "Type"
            )
        }
        if consumed > capacity {
            throw APIError.invalidParameter("Capacity", "capacity exceeded: the rules consume \(consumed)", value: "\(capacity)", context: "Capacity")
        }
        return consumed
    }

    static func validateCapacity(_ capacity: Int) throws {
        if capacity < 1 {
            throw APIError.invalidParameter("Capacity", "must be at least 1", value: "\(capacity)", context: "Capacity")
        }
        if capacity > maximumCapacity {
            throw APIError.invalidParameter("Capacity", "capacity exceeded", value: "\(capacity)", context: "Capacity")
        }
    }

    /// The group's stateful rules parsed with its variables and, when known, the policy's. A domain list is
    /// first rendered as the rules AWS generates for it (`DomainListRenderer`), in the group's rule order.
    static func parseStateful(_ ruleGroup: RuleGroup, policyVariables: PolicyVariables?) throws -> [Rule] {
        let source = ruleGroup.RulesSource
        let text: String
        var origin = "stateful rule"
        if let rulesString = source.RulesString {
            text = rulesString
        } else if let statefulRules = source.StatefulRules {
            text = statefulRules.map(StatefulRuleRenderer.render).joined(separator: "\n")
        } else if let list = source.RulesSourceList {
            do {
                text = try DomainListRenderer.render(list, ruleOrder: ruleGroup.StatefulRuleOptions?.RuleOrder ?? .DEFAULT_ACTION_ORDER)
                    .joined(separator: "\n")
            } catch {
                throw domainListError(error)
            }
            origin = "rule generated from RulesSourceList"
        } else {
            return []
        }
        do {
            let scope = try VariableScope.make(group: ruleGroup.RuleVariables, policy: policyVariables)
            return try RulesParser.parse(text, variables: scope)
        } catch {
            throw APIError.invalidRequest("\(origin) is invalid, \(error.rule.map { "rule: \($0), " } ?? "")reason: \(error.description)")
        }
    }

    /// A bad domain list as the API reports it, naming the entry: `context: RuleGroup.RulesSource.RulesSourceList.Targets[3]`.
    private static func domainListError(_ error: DomainListError) -> APIError {
        .invalidParameter(error.field, error.message, value: error.value, context: "RuleGroup.RulesSource.RulesSourceList.\(error.field)")
    }

    private static func validateStateless(_ stateless: StatelessRulesAndCustomActions) throws {
        let customActions = stateless.CustomActions ?? []
        try StatelessActions.validateCustomActions(customActions, context: "RuleGroup.RulesSource.StatelessRulesAndCustomActions.CustomActions")
        var priorities = Set<Int>()
        for (index, rule) in stateless.StatelessRules.enumerated() {
            let context = "StatelessRules[Priority=\(rule.Priority)]"
            guard (1...65535).contains(rule.Priority) else {
                throw APIError.invalidParameter("Priority", "must be from 1 to 65535", value: "\(rule.Priority)", context: "StatelessRules[\(index)].Priority")
            }
            if !priorities.insert(rule.Priority).inserted {
                throw APIError.invalidParameter("Priority", "has duplicate values", value: "\(rule.Priority)", context: context)
            }
            try StatelessActions.validate(rule.RuleDefinition.Actions, customActions: customActions, field: "Actions", context: "\(context).RuleDefinition.Actions")
            let match = rule.RuleDefinition.MatchAttributes
            try FieldValidation.addresses(match.Sources, context: "\(context).MatchAttributes.Sources")
            try FieldValidation.addresses(match.Destinations, context: "\(context).MatchAttributes.Destinations")
            try FieldValidation.portRanges(match.SourcePorts, context: "\(context).MatchAttributes.SourcePorts")
            try FieldValidation.portRanges(match.DestinationPorts, context: "\(context).MatchAttributes.DestinationPorts")
            try FieldValidation.protocols(match.Protocols, context: "\(context).MatchAttributes.Protocols")
            let protocols = Set(match.Protocols ?? [])
            let hasPorts = !(match.SourcePorts ?? []).isEmpty || !(match.DestinationPorts ?? []).isEmpty
            if hasPorts, !protocols.isEmpty, protocols.isDisjoint(with: [6, 17]) {
                throw APIError.invalidParameter("SourcePorts, DestinationPorts", "are only valid when Protocols includes 6 (TCP) or 17 (UDP)", context: "\(context).MatchAttributes")
            }
            for (flagIndex, field) in (match.TCPFlags ?? []).enumerated() {
                if !protocols.isEmpty, !protocols.contains(6) {
                    throw APIError.invalidParameter("TCPFlags", "are only valid when Protocols includes 6 (TCP)", context: "\(context).MatchAttributes.TCPFlags")
                }
                if let masks = field.Masks, !masks.isEmpty, !Set(field.Flags).isSubset(of: Set(masks)) {
                    throw APIError.invalidParameter("Flags", "must be a subset of Masks", context: "\(context).MatchAttributes.TCPFlags[\(flagIndex)]")
                }
            }
        }
    }
}

import GRDB
import Rules
import Shared

/// The checks of reference §5 and §11 for a policy, against the stored rule groups and TLS
/// configuration. Returns the ARNs the policy references and its consumed capacities.
enum FirewallPolicyValidation {
    struct Result {
        var references: [String]
        var consumedStateless: Int
        var consumedStateful: Int
    }

    static let maximumGroupReferences = 20
    static let maximumStatelessCapacity = 30_000
    static let maximumStatefulRules = 30_000
    static let dropDefaults: Set<String> = ["aws:drop_strict", "aws:drop_established", "aws:drop_established_app_layer"]
    static let alertDefaults: Set<String> = ["aws:alert_strict", "aws:alert_established"]

    static func validate(_ db: Database, _ policy: FirewallPolicy, arns: ARNBuilder) throws -> Result {
        let customActions = policy.StatelessCustomActions ?? []
        try StatelessActions.validateCustomActions(customActions, context: "FirewallPolicy.StatelessCustomActions")
        try StatelessActions.validate(policy.StatelessDefaultActions, customActions: customActions, field: "StatelessDefaultActions", context: "StatelessDefaultActions")
        try StatelessActions.validate(policy.StatelessFragmentDefaultActions, customActions: customActions, field: "StatelessFragmentDefaultActions", context: "StatelessFragmentDefaultActions")

        var references: [String] = []
        let stateless = policy.StatelessRuleGroupReferences ?? []
        if stateless.count > maximumGroupReferences {
            throw APIError.invalidParameter("StatelessRuleGroupReferences", "limit exceeded", value: "\(stateless.count)", context: "StatelessRuleGroupReferences")
        }
        var statelessPriorities = Set<Int>()
        var declaredStateless = 0
        var consumedStateless = 0
        for reference in stateless {
            let context = "StatelessRuleGroupReferences[Priority=\(reference.Priority)]"
            guard (1...65535).contains(reference.Priority) else {
                throw APIError.invalidParameter("Priority", "must be from 1 to 65535", value: "\(reference.Priority)", context: context)
            }
            if !statelessPriorities.insert(reference.Priority).inserted {
                throw APIError.invalidParameter("Priority", "has duplicate values", value: "\(reference.Priority)", context: context)
            }
            let group = try ruleGroup(db, arn: reference.ResourceArn, expected: .STATELESS, context: context)
            declaredStateless += group.capacity
            consumedStateless += group.consumedCapacity
            references.append(group.arn)
        }
        if declaredStateless > maximumStatelessCapacity {
            throw APIError.invalidParameter("StatelessRuleGroupReferences", "capacity exceeded", value: "\(declaredStateless)", context: "StatelessRuleGroupReferences")
        }

        let order = policy.StatefulEngineOptions?.RuleOrder ?? .DEFAULT_ACTION_ORDER
        let stateful = policy.StatefulRuleGroupReferences ?? []
        if stateful.count > maximumGroupReferences {
            throw APIError.invalidParameter("StatefulRuleGroupReferences", "limit exceeded", value: "\(stateful.count)", context: "StatefulRuleGroupReferences")
        }
        var statefulPriorities = Set<Int>()
        var consumedStateful = 0
        for (index, reference) in stateful.enumerated() {
            let context = "StatefulRuleGroupReferences[\(index)]"
            switch (order, reference.Priority) {
            case (.STRICT_ORDER, nil):
                throw APIError.invalidParameter("Priority", "cannot be null under STRICT_ORDER", context: context)
            case (.DEFAULT_ACTION_ORDER, .some):
                throw APIError.invalidParameter("Priority", "cannot be provided under DEFAULT_ACTION_ORDER", context: context)
            case (.STRICT_ORDER, let priority?):
                guard (1...65535).contains(priority) else {
                    throw APIError.invalidParameter("Priority", "must be from 1 to 65535", value: "\(priority)", context: context)
                }
                if !statefulPriorities.insert(priority).inserted {
                    throw APIError.invalidParameter("Priority", "has duplicate values", value: "\(priority)", context: "StatefulRuleGroupReferences[Priority=\(priority)]")
                }
            default:
                break
            }
            if reference.Override != nil {
                throw APIError.invalidParameter("Override", "is only allowed for managed rule groups", context: context)
            }
            let group = try ruleGroup(db, arn: reference.ResourceArn, expected: .STATEFUL, context: context)
            let groupOrder = group.ruleGroup.StatefulRuleOptions?.RuleOrder ?? .DEFAULT_ACTION_ORDER
            if groupOrder != order {
                throw APIError.invalidParameter("ResourceArn", "has invalid rule order: the group is \(groupOrder.rawValue), the policy \(order.rawValue)", value: group.arn, context: context)
            }
            if references.contains(group.arn) {
                throw APIError.invalidParameter("ResourceArn", "is referenced twice", value: group.arn, context: context)
            }
            // The group's rules must still parse with the policy's variables (HOME_NET override).
            _ = try RuleGroupValidation.parseStateful(group.ruleGroup, policyVariables: policy.PolicyVariables)
            consumedStateful += group.consumedCapacity
            references.append(group.arn)
        }
        if consumedStateful > maximumStatefulRules {
            throw APIError.invalidParameter("StatefulRuleGroupReferences", "capacity exceeded", value: "\(consumedStateful)", context: "StatefulRuleGroupReferences")
        }

        let defaults = policy.StatefulDefaultActions ?? []
        if !defaults.isEmpty {
            if order != .STRICT_ORDER {
                throw APIError.invalidParameter("StatefulDefaultActions", "has invalid rule order: only allowed under STRICT_ORDER", context: "StatefulDefaultActions")
            }
            for action in defaults where !dropDefaults.contains(action) && !alertDefaults.contains(action) {
                throw APIError.invalidParameter("StatefulDefaultActions", "is invalid", value: action, context: "StatefulDefaultActions")
            }
            if defaults.filter(dropDefaults.contains).count > 1 {
                throw APIError.invalidParameter("StatefulDefaultActions", "may hold at most one drop action", value: defaults.joined(separator: ", "), context: "StatefulDefaultActions")
            }
            if Set(defaults).count != defaults.count {
                throw APIError.invalidParameter("StatefulDefaultActions", "has duplicate values", value: defaults.joined(separator: ", "), context: "StatefulDefaultActions")
            }
        }

        if let timeout = policy.StatefulEngineOptions?.FlowTimeouts?.TcpIdleTimeoutSeconds, !(60...6000).contains(timeout) {
            throw APIError.invalidParameter("TcpIdleTimeoutSeconds", "must be from 60 to 6000", value: "\(timeout)", context: "StatefulEngineOptions.FlowTimeouts.TcpIdleTimeoutSeconds")
        }

        if let variables = policy.PolicyVariables?.RuleVariables {
            for name in variables.keys where name != "HOME_NET" {
                throw APIError.invalidParameter("RuleVariables", "only HOME_NET can be set in PolicyVariables", value: name, context: "PolicyVariables.RuleVariables")
            }
            do {
                _ = try VariableScope.make(group: nil, policy: policy.PolicyVariables)
            } catch {
                throw APIError.invalidParameter("HOME_NET", "is invalid: \(error.message)", context: "PolicyVariables.RuleVariables.HOME_NET")
            }
        }

        if let tlsArn = policy.TLSInspectionConfigurationArn {
            guard try TLSInspectionConfigurationRecord.fetch(db, .tlsInspectionConfigurations, arn: tlsArn) != nil else {
                throw APIError.invalidParameter("TLSInspectionConfigurationArn", "does not name an existing TLS inspection configuration", value: tlsArn, context: "TLSInspectionConfigurationArn")
            }
            references.append(tlsArn)
        }
        if policy.EnableTLSSessionHolding == true {
            if policy.TLSInspectionConfigurationArn == nil {
                throw APIError.invalidRequest("TLSInspectionConfigurationArn value is required when EnableTLSSessionHolding is true.")
            }
            if defaults.contains("aws:drop_established_app_layer") {
                throw APIError.invalidParameter("StatefulDefaultActions", "aws:drop_established_app_layer cannot be combined with EnableTLSSessionHolding", context: "StatefulDefaultActions")
            }
        }
        return Result(references: references, consumedStateless: consumedStateless, consumedStateful: consumedStateful)
    }

    /// The consumed capacities of a stored (already validated) policy, summed from its groups'
    /// stored consumption: reading a policy parses no rule.
    static func consumedCapacity(_ db: Database, _ policy: FirewallPolicy) throws -> Result {
        var result = Result(references: [], consumedStateless: 0, consumedStateful: 0)
        for reference in policy.StatelessRuleGroupReferences ?? [] {
            result.consumedStateless += try RuleGroupRecord.fetch(db, arn: reference.ResourceArn)?.consumedCapacity ?? 0
        }
        for reference in policy.StatefulRuleGroupReferences ?? [] {
            result.consumedStateful += try RuleGroupRecord.fetch(db, arn: reference.ResourceArn)?.consumedCapacity ?? 0
        }
        return result
    }

    private static func ruleGroup(_ db: Database, arn: String, expected: RuleGroupType, context: String) throws -> RuleGroupRecord {
        guard let group = try RuleGroupRecord.fetch(db, arn: arn) else {
            throw APIError.invalidParameter("ResourceArn", "does not name an existing rule group", value: arn, context: context)
        }
        if group.type != expected {
            throw APIError.invalidParameter("ResourceArn", "rule group ARN is of incorrect entity type: expected \(expected.rawValue)", value: arn, context: context)
        }
        return group
    }
}

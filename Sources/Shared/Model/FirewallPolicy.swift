/// A firewall policy: which rule groups run, in which order, and what happens to the rest.
public struct FirewallPolicy: Codable, Hashable, Sendable {
    public var StatelessRuleGroupReferences: [StatelessRuleGroupReference]?
    public var StatelessDefaultActions: [String]
    public var StatelessFragmentDefaultActions: [String]
    public var StatelessCustomActions: [CustomAction]?
    public var StatefulRuleGroupReferences: [StatefulRuleGroupReference]?
    public var StatefulDefaultActions: [String]?
    public var StatefulEngineOptions: StatefulEngineOptions?
    public var TLSInspectionConfigurationArn: String?
    public var PolicyVariables: PolicyVariables?
    public var EnableTLSSessionHolding: Bool?

    public init(
        StatelessRuleGroupReferences: [StatelessRuleGroupReference]? = nil,
        StatelessDefaultActions: [String],
        StatelessFragmentDefaultActions: [String],
        StatelessCustomActions: [CustomAction]? = nil,
        StatefulRuleGroupReferences: [StatefulRuleGroupReference]? = nil,
        StatefulDefaultActions: [String]? = nil,
        StatefulEngineOptions: StatefulEngineOptions? = nil,
        TLSInspectionConfigurationArn: String? = nil,
        PolicyVariables: PolicyVariables? = nil,
        EnableTLSSessionHolding: Bool? = nil
    ) {
        self.StatelessRuleGroupReferences = StatelessRuleGroupReferences
        self.StatelessDefaultActions = StatelessDefaultActions
        self.StatelessFragmentDefaultActions = StatelessFragmentDefaultActions
        self.StatelessCustomActions = StatelessCustomActions
        self.StatefulRuleGroupReferences = StatefulRuleGroupReferences
        self.StatefulDefaultActions = StatefulDefaultActions
        self.StatefulEngineOptions = StatefulEngineOptions
        self.TLSInspectionConfigurationArn = TLSInspectionConfigurationArn
        self.PolicyVariables = PolicyVariables
        self.EnableTLSSessionHolding = EnableTLSSessionHolding
    }
}

/// A stateless rule group in a policy.
public struct StatelessRuleGroupReference: Codable, Hashable, Sendable {
    public var ResourceArn: String
    public var Priority: Int

    public init(ResourceArn: String, Priority: Int) {
        self.ResourceArn = ResourceArn
        self.Priority = Priority
    }
}

/// A stateful rule group in a policy.
public struct StatefulRuleGroupReference: Codable, Hashable, Sendable {
    public var ResourceArn: String
    public var Priority: Int?
    public var Override: StatefulRuleGroupOverride?
    public var DeepThreatInspection: Bool?

    public init(ResourceArn: String, Priority: Int? = nil, Override: StatefulRuleGroupOverride? = nil) {
        self.ResourceArn = ResourceArn
        self.Priority = Priority
        self.Override = Override
    }
}

/// `DROP_TO_ALERT` for managed groups.
public struct StatefulRuleGroupOverride: Codable, Hashable, Sendable {
    public var Action: String?

    public init(Action: String?) {
        self.Action = Action
    }
}

/// `DROP | CONTINUE | REJECT`: what happens to a flow the engine cannot follow.
public enum StreamExceptionPolicy: String, Codable, Hashable, Sendable {
    case DROP, CONTINUE, REJECT
}

/// How the stateful engine evaluates.
public struct StatefulEngineOptions: Codable, Hashable, Sendable {
    public var RuleOrder: RuleOrder?
    public var StreamExceptionPolicy: StreamExceptionPolicy?
    public var FlowTimeouts: FlowTimeouts?

    public init(RuleOrder: RuleOrder? = nil, StreamExceptionPolicy: StreamExceptionPolicy? = nil, FlowTimeouts: FlowTimeouts? = nil) {
        self.RuleOrder = RuleOrder
        self.StreamExceptionPolicy = StreamExceptionPolicy
        self.FlowTimeouts = FlowTimeouts
    }
}

/// Idle timeouts for new flows.
public struct FlowTimeouts: Codable, Hashable, Sendable {
    public var TcpIdleTimeoutSeconds: Int?

    public init(TcpIdleTimeoutSeconds: Int?) {
        self.TcpIdleTimeoutSeconds = TcpIdleTimeoutSeconds
    }
}

/// Policy-wide variables; `HOME_NET` overrides the default home network of every group.
public struct PolicyVariables: Codable, Hashable, Sendable {
    public var RuleVariables: [String: IPSet]?

    public init(RuleVariables: [String: IPSet]?) {
        self.RuleVariables = RuleVariables
    }
}

/// The metadata half of every policy response.
public struct FirewallPolicyResponse: Codable, Hashable, Sendable {
    public var FirewallPolicyName: String
    public var FirewallPolicyArn: String
    public var FirewallPolicyId: String
    public var Description: String?
    public var FirewallPolicyStatus: ResourceStatus
    public var Tags: [Tag]
    public var ConsumedStatelessRuleCapacity: Int
    public var ConsumedStatefulRuleCapacity: Int
    public var ConsumedStatefulDomainCapacity: Int
    public var NumberOfAssociations: Int
    public var EncryptionConfiguration: EncryptionConfiguration
    public var LastModifiedTime: Double

    public init(
        FirewallPolicyName: String, FirewallPolicyArn: String, FirewallPolicyId: String, Description: String?,
        FirewallPolicyStatus: ResourceStatus, Tags: [Tag], ConsumedStatelessRuleCapacity: Int,
        ConsumedStatefulRuleCapacity: Int, ConsumedStatefulDomainCapacity: Int, NumberOfAssociations: Int,
        LastModifiedTime: Double
    ) {
        self.FirewallPolicyName = FirewallPolicyName
        self.FirewallPolicyArn = FirewallPolicyArn
        self.FirewallPolicyId = FirewallPolicyId
        self.Description = Description
        self.FirewallPolicyStatus = FirewallPolicyStatus
        self.Tags = Tags
        self.ConsumedStatelessRuleCapacity = ConsumedStatelessRuleCapacity
        self.ConsumedStatefulRuleCapacity = ConsumedStatefulRuleCapacity
        self.ConsumedStatefulDomainCapacity = ConsumedStatefulDomainCapacity
        self.NumberOfAssociations = NumberOfAssociations
        self.EncryptionConfiguration = .awsOwned
        self.LastModifiedTime = LastModifiedTime
    }
}

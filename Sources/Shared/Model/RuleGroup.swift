/// `STATELESS | STATEFUL | STATEFUL_DOMAIN`.
public enum RuleGroupType: String, Codable, Hashable, Sendable {
    case STATELESS, STATEFUL, STATEFUL_DOMAIN

    /// The ARN resource type (`stateful-rulegroup`, …).
    public var arnResource: String {
        switch self {
        case .STATELESS: "stateless-rulegroup"
        case .STATEFUL: "stateful-rulegroup"
        case .STATEFUL_DOMAIN: "stateful-domain-rulegroup"
        }
    }
}

/// `DEFAULT_ACTION_ORDER | STRICT_ORDER`.
public enum RuleOrder: String, Codable, Hashable, Sendable {
    case DEFAULT_ACTION_ORDER, STRICT_ORDER
}

/// The body of a rule group: its rules and the variables they use.
public struct RuleGroup: Codable, Hashable, Sendable {
    public var RuleVariables: RuleVariables?
    public var ReferenceSets: ReferenceSets?
    public var RulesSource: RulesSource
    public var StatefulRuleOptions: StatefulRuleOptions?

    public init(
        RuleVariables: RuleVariables? = nil,
        ReferenceSets: ReferenceSets? = nil,
        RulesSource: RulesSource,
        StatefulRuleOptions: StatefulRuleOptions? = nil
    ) {
        self.RuleVariables = RuleVariables
        self.ReferenceSets = ReferenceSets
        self.RulesSource = RulesSource
        self.StatefulRuleOptions = StatefulRuleOptions
    }
}

/// IP and port variables (`$HOME_NET`, `$HTTP_PORTS`, …).
public struct RuleVariables: Codable, Hashable, Sendable {
    public var IPSets: [String: IPSet]?
    public var PortSets: [String: PortSet]?

    public init(IPSets: [String: IPSet]? = nil, PortSets: [String: PortSet]? = nil) {
        self.IPSets = IPSets
        self.PortSets = PortSets
    }
}

/// The value of an IP variable: a list of CIDRs (Suricata address syntax is accepted per entry).
public struct IPSet: Codable, Hashable, Sendable {
    public var Definition: [String]

    public init(Definition: [String]) {
        self.Definition = Definition
    }
}

/// The value of a port variable.
public struct PortSet: Codable, Hashable, Sendable {
    public var Definition: [String]?

    public init(Definition: [String]?) {
        self.Definition = Definition
    }
}

/// IP set references (`@NAME`) to prefix lists; accepted in the shape, resolved by no Rampart source yet.
public struct ReferenceSets: Codable, Hashable, Sendable {
    public var IPSetReferences: [String: IPSetReference]?

    public init(IPSetReferences: [String: IPSetReference]?) {
        self.IPSetReferences = IPSetReferences
    }
}

/// One `@NAME` reference.
public struct IPSetReference: Codable, Hashable, Sendable {
    public var ReferenceArn: String?

    public init(ReferenceArn: String?) {
        self.ReferenceArn = ReferenceArn
    }
}

/// Exactly one of the four rule sources.
public struct RulesSource: Codable, Hashable, Sendable {
    public var RulesString: String?
    public var RulesSourceList: RulesSourceList?
    public var StatefulRules: [StatefulRule]?
    public var StatelessRulesAndCustomActions: StatelessRulesAndCustomActions?

    public init(
        RulesString: String? = nil,
        RulesSourceList: RulesSourceList? = nil,
        StatefulRules: [StatefulRule]? = nil,
        StatelessRulesAndCustomActions: StatelessRulesAndCustomActions? = nil
    ) {
        self.RulesString = RulesString
        self.RulesSourceList = RulesSourceList
        self.StatefulRules = StatefulRules
        self.StatelessRulesAndCustomActions = StatelessRulesAndCustomActions
    }
}

/// `TLS_SNI | HTTP_HOST`.
public enum TargetType: String, Codable, Hashable, Sendable {
    case TLS_SNI, HTTP_HOST
}

/// `ALLOWLIST | DENYLIST | REJECTLIST | ALERTLIST`.
public enum GeneratedRulesType: String, Codable, Hashable, Sendable {
    case ALLOWLIST, DENYLIST, REJECTLIST, ALERTLIST
}

/// A domain list.
public struct RulesSourceList: Codable, Hashable, Sendable {
    public var Targets: [String]
    public var TargetTypes: [TargetType]
    public var GeneratedRulesType: GeneratedRulesType

    public init(Targets: [String], TargetTypes: [TargetType], GeneratedRulesType: GeneratedRulesType) {
        self.Targets = Targets
        self.TargetTypes = TargetTypes
        self.GeneratedRulesType = GeneratedRulesType
    }
}

/// `PASS | DROP | ALERT | REJECT` of a 5-tuple stateful rule.
public enum StatefulAction: String, Codable, Hashable, Sendable {
    case PASS, DROP, ALERT, REJECT
}

/// `FORWARD` (`->`) or `ANY` (`<>`).
public enum StatefulRuleDirection: String, Codable, Hashable, Sendable {
    case FORWARD, ANY
}

/// A 5-tuple stateful rule.
public struct StatefulRule: Codable, Hashable, Sendable {
    public var Action: StatefulAction
    public var Header: Header
    public var RuleOptions: [RuleOption]

    public init(Action: StatefulAction, Header: Header, RuleOptions: [RuleOption]) {
        self.Action = Action
        self.Header = Header
        self.RuleOptions = RuleOptions
    }
}

/// The header of a 5-tuple stateful rule.
public struct Header: Codable, Hashable, Sendable {
    public var `Protocol`: String
    public var Source: String
    public var SourcePort: String
    public var Direction: StatefulRuleDirection
    public var Destination: String
    public var DestinationPort: String

    public init(
        Protocol: String, Source: String, SourcePort: String,
        Direction: StatefulRuleDirection, Destination: String, DestinationPort: String
    ) {
        self.Protocol = Protocol
        self.Source = Source
        self.SourcePort = SourcePort
        self.Direction = Direction
        self.Destination = Destination
        self.DestinationPort = DestinationPort
    }
}

/// A Suricata option of a 5-tuple rule (`sid` with `["1"]`, …).
public struct RuleOption: Codable, Hashable, Sendable {
    public var Keyword: String
    public var Settings: [String]?

    public init(Keyword: String, Settings: [String]?) {
        self.Keyword = Keyword
        self.Settings = Settings
    }
}

/// Stateless rules and the custom actions they may name.
public struct StatelessRulesAndCustomActions: Codable, Hashable, Sendable {
    public var StatelessRules: [StatelessRule]
    public var CustomActions: [CustomAction]?

    public init(StatelessRules: [StatelessRule], CustomActions: [CustomAction]? = nil) {
        self.StatelessRules = StatelessRules
        self.CustomActions = CustomActions
    }
}

/// One stateless rule.
public struct StatelessRule: Codable, Hashable, Sendable {
    public var RuleDefinition: RuleDefinition
    public var Priority: Int

    public init(RuleDefinition: RuleDefinition, Priority: Int) {
        self.RuleDefinition = RuleDefinition
        self.Priority = Priority
    }
}

/// What a stateless rule matches and what it does.
public struct RuleDefinition: Codable, Hashable, Sendable {
    public var MatchAttributes: MatchAttributes
    public var Actions: [String]

    public init(MatchAttributes: MatchAttributes, Actions: [String]) {
        self.MatchAttributes = MatchAttributes
        self.Actions = Actions
    }
}

/// The match settings of a stateless rule; an omitted setting matches everything.
public struct MatchAttributes: Codable, Hashable, Sendable {
    public var Sources: [Address]?
    public var Destinations: [Address]?
    public var SourcePorts: [PortRange]?
    public var DestinationPorts: [PortRange]?
    public var Protocols: [Int]?
    public var TCPFlags: [TCPFlagField]?

    public init(
        Sources: [Address]? = nil, Destinations: [Address]? = nil,
        SourcePorts: [PortRange]? = nil, DestinationPorts: [PortRange]? = nil,
        Protocols: [Int]? = nil, TCPFlags: [TCPFlagField]? = nil
    ) {
        self.Sources = Sources
        self.Destinations = Destinations
        self.SourcePorts = SourcePorts
        self.DestinationPorts = DestinationPorts
        self.Protocols = Protocols
        self.TCPFlags = TCPFlags
    }
}

/// A custom stateless action: publishes a metric dimension when taken.
public struct CustomAction: Codable, Hashable, Sendable {
    public var ActionName: String
    public var ActionDefinition: ActionDefinition

    public init(ActionName: String, ActionDefinition: ActionDefinition) {
        self.ActionName = ActionName
        self.ActionDefinition = ActionDefinition
    }
}

/// The definition of a custom action.
public struct ActionDefinition: Codable, Hashable, Sendable {
    public var PublishMetricAction: PublishMetricAction?

    public init(PublishMetricAction: PublishMetricAction?) {
        self.PublishMetricAction = PublishMetricAction
    }
}

/// Publish a metric with one dimension.
public struct PublishMetricAction: Codable, Hashable, Sendable {
    public var Dimensions: [Dimension]

    public init(Dimensions: [Dimension]) {
        self.Dimensions = Dimensions
    }
}

/// A metric dimension value.
public struct Dimension: Codable, Hashable, Sendable {
    public var Value: String

    public init(Value: String) {
        self.Value = Value
    }
}

/// Rule-group options of stateful groups.
public struct StatefulRuleOptions: Codable, Hashable, Sendable {
    public var RuleOrder: RuleOrder?

    public init(RuleOrder: RuleOrder?) {
        self.RuleOrder = RuleOrder
    }
}

/// The metadata half of every rule-group response.
public struct RuleGroupResponse: Codable, Hashable, Sendable {
    public var RuleGroupArn: String
    public var RuleGroupName: String
    public var RuleGroupId: String
    public var Description: String?
    public var `Type`: RuleGroupType
    public var Capacity: Int
    public var RuleGroupStatus: ResourceStatus
    public var Tags: [Tag]
    public var ConsumedCapacity: Int
    public var NumberOfAssociations: Int
    public var EncryptionConfiguration: EncryptionConfiguration
    public var LastModifiedTime: Double

    public init(
        RuleGroupArn: String, RuleGroupName: String, RuleGroupId: String, Description: String?,
        Type: RuleGroupType, Capacity: Int, RuleGroupStatus: ResourceStatus, Tags: [Tag],
        ConsumedCapacity: Int, NumberOfAssociations: Int, LastModifiedTime: Double
    ) {
        self.RuleGroupArn = RuleGroupArn
        self.RuleGroupName = RuleGroupName
        self.RuleGroupId = RuleGroupId
        self.Description = Description
        self.Type = Type
        self.Capacity = Capacity
        self.RuleGroupStatus = RuleGroupStatus
        self.Tags = Tags
        self.ConsumedCapacity = ConsumedCapacity
        self.NumberOfAssociations = NumberOfAssociations
        self.EncryptionConfiguration = .awsOwned
        self.LastModifiedTime = LastModifiedTime
    }
}

/// CreateRuleGroup input.
public struct CreateRuleGroupRequest: Codable, Sendable {
    public var RuleGroupName: String
    public var `Type`: RuleGroupType
    public var Capacity: Int
    public var RuleGroup: RuleGroup?
    public var Rules: String?
    public var Description: String?
    public var Tags: [Tag]?
    public var DryRun: Bool?

    public init(
        RuleGroupName: String, Type: RuleGroupType, Capacity: Int, RuleGroup: RuleGroup? = nil,
        Rules: String? = nil, Description: String? = nil, Tags: [Tag]? = nil, DryRun: Bool? = nil
    ) {
        self.RuleGroupName = RuleGroupName
        self.Type = Type
        self.Capacity = Capacity
        self.RuleGroup = RuleGroup
        self.Rules = Rules
        self.Description = Description
        self.Tags = Tags
        self.DryRun = DryRun
    }
}

/// UpdateRuleGroup input (the group is named by the path).
public struct UpdateRuleGroupRequest: Codable, Sendable {
    public var UpdateToken: String
    public var RuleGroup: RuleGroup?
    public var Rules: String?
    public var Description: String?
    public var DryRun: Bool?

    public init(UpdateToken: String, RuleGroup: RuleGroup? = nil, Rules: String? = nil, Description: String? = nil, DryRun: Bool? = nil) {
        self.UpdateToken = UpdateToken
        self.RuleGroup = RuleGroup
        self.Rules = Rules
        self.Description = Description
        self.DryRun = DryRun
    }
}

/// Output of Create, Update and Describe RuleGroup.
public struct RuleGroupOutput: Codable, Sendable {
    public var UpdateToken: String
    public var RuleGroup: RuleGroup?
    public var RuleGroupResponse: RuleGroupResponse

    public init(UpdateToken: String, RuleGroup: RuleGroup?, RuleGroupResponse: RuleGroupResponse) {
        self.UpdateToken = UpdateToken
        self.RuleGroup = RuleGroup
        self.RuleGroupResponse = RuleGroupResponse
    }
}

/// DeleteRuleGroup output.
public struct DeleteRuleGroupOutput: Codable, Sendable {
    public var RuleGroupResponse: RuleGroupResponse

    public init(RuleGroupResponse: RuleGroupResponse) {
        self.RuleGroupResponse = RuleGroupResponse
    }
}

/// ListRuleGroups output.
public struct ListRuleGroupsOutput: Codable, Sendable {
    public var NextToken: String?
    public var RuleGroups: [ResourceSummary]

    public init(NextToken: String?, RuleGroups: [ResourceSummary]) {
        self.NextToken = NextToken
        self.RuleGroups = RuleGroups
    }
}

/// DescribeRuleGroupMetadata output: the group without its rules.
public struct DescribeRuleGroupMetadataOutput: Codable, Sendable {
    public var RuleGroupArn: String
    public var RuleGroupName: String
    public var Description: String?
    public var `Type`: RuleGroupType
    public var Capacity: Int
    public var StatefulRuleOptions: StatefulRuleOptions?
    public var LastModifiedTime: Double

    public init(RuleGroupArn: String, RuleGroupName: String, Description: String?, Type: RuleGroupType, Capacity: Int, StatefulRuleOptions: StatefulRuleOptions?, LastModifiedTime: Double) {
        self.RuleGroupArn = RuleGroupArn
        self.RuleGroupName = RuleGroupName
        self.Description = Description
        self.Type = Type
        self.Capacity = Capacity
        self.StatefulRuleOptions = StatefulRuleOptions
        self.LastModifiedTime = LastModifiedTime
    }
}

/// CreateFirewallPolicy input.
public struct CreateFirewallPolicyRequest: Codable, Sendable {
    public var FirewallPolicyName: String
    public var FirewallPolicy: FirewallPolicy
    public var Description: String?
    public var Tags: [Tag]?
    public var DryRun: Bool?

    public init(FirewallPolicyName: String, FirewallPolicy: FirewallPolicy, Description: String? = nil, Tags: [Tag]? = nil, DryRun: Bool? = nil) {
        self.FirewallPolicyName = FirewallPolicyName
        self.FirewallPolicy = FirewallPolicy
        self.Description = Description
        self.Tags = Tags
        self.DryRun = DryRun
    }
}

/// UpdateFirewallPolicy input (the policy is named by the path).
public struct UpdateFirewallPolicyRequest: Codable, Sendable {
    public var UpdateToken: String
    public var FirewallPolicy: FirewallPolicy
    public var Description: String?
    public var DryRun: Bool?

    public init(UpdateToken: String, FirewallPolicy: FirewallPolicy, Description: String? = nil, DryRun: Bool? = nil) {
        self.UpdateToken = UpdateToken
        self.FirewallPolicy = FirewallPolicy
        self.Description = Description
        self.DryRun = DryRun
    }
}

/// Output of Create, Update and Describe FirewallPolicy.
public struct FirewallPolicyOutput: Codable, Sendable {
    public var UpdateToken: String
    public var FirewallPolicy: FirewallPolicy?
    public var FirewallPolicyResponse: FirewallPolicyResponse

    public init(UpdateToken: String, FirewallPolicy: FirewallPolicy?, FirewallPolicyResponse: FirewallPolicyResponse) {
        self.UpdateToken = UpdateToken
        self.FirewallPolicy = FirewallPolicy
        self.FirewallPolicyResponse = FirewallPolicyResponse
    }
}

/// DeleteFirewallPolicy output.
public struct DeleteFirewallPolicyOutput: Codable, Sendable {
    public var FirewallPolicyResponse: FirewallPolicyResponse

    public init(FirewallPolicyResponse: FirewallPolicyResponse) {
        self.FirewallPolicyResponse = FirewallPolicyResponse
    }
}

/// ListFirewallPolicies output.
public struct ListFirewallPoliciesOutput: Codable, Sendable {
    public var NextToken: String?
    public var FirewallPolicies: [ResourceSummary]

    public init(NextToken: String?, FirewallPolicies: [ResourceSummary]) {
        self.NextToken = NextToken
        self.FirewallPolicies = FirewallPolicies
    }
}

/// CreateFirewall input.
public struct CreateFirewallRequest: Codable, Sendable {
    public var FirewallName: String
    public var FirewallPolicyArn: String
    public var VpcId: String?
    public var SubnetMappings: [SubnetMapping]?
    public var DeleteProtection: Bool?
    public var SubnetChangeProtection: Bool?
    public var FirewallPolicyChangeProtection: Bool?
    public var Description: String?
    public var Tags: [Tag]?

    public init(
        FirewallName: String, FirewallPolicyArn: String, VpcId: String? = nil, SubnetMappings: [SubnetMapping]? = nil,
        DeleteProtection: Bool? = nil, SubnetChangeProtection: Bool? = nil, FirewallPolicyChangeProtection: Bool? = nil,
        Description: String? = nil, Tags: [Tag]? = nil
    ) {
        self.FirewallName = FirewallName
        self.FirewallPolicyArn = FirewallPolicyArn
        self.VpcId = VpcId
        self.SubnetMappings = SubnetMappings
        self.DeleteProtection = DeleteProtection
        self.SubnetChangeProtection = SubnetChangeProtection
        self.FirewallPolicyChangeProtection = FirewallPolicyChangeProtection
        self.Description = Description
        self.Tags = Tags
    }
}

/// Output of Create, Describe and Delete Firewall.
public struct FirewallOutput: Codable, Sendable {
    public var UpdateToken: String?
    public var Firewall: Firewall
    public var FirewallStatus: FirewallStatus

    public init(UpdateToken: String?, Firewall: Firewall, FirewallStatus: FirewallStatus) {
        self.UpdateToken = UpdateToken
        self.Firewall = Firewall
        self.FirewallStatus = FirewallStatus
    }
}

/// ListFirewalls output.
public struct ListFirewallsOutput: Codable, Sendable {
    public var NextToken: String?
    public var Firewalls: [FirewallMetadata]

    public init(NextToken: String?, Firewalls: [FirewallMetadata]) {
        self.NextToken = NextToken
        self.Firewalls = Firewalls
    }
}

/// AssociateFirewallPolicy input (the firewall is named by the path).
public struct AssociateFirewallPolicyRequest: Codable, Sendable {
    public var UpdateToken: String?
    public var FirewallPolicyArn: String

    public init(UpdateToken: String? = nil, FirewallPolicyArn: String) {
        self.UpdateToken = UpdateToken
        self.FirewallPolicyArn = FirewallPolicyArn
    }
}

/// AssociateFirewallPolicy output.
public struct AssociateFirewallPolicyOutput: Codable, Sendable {
    public var FirewallArn: String
    public var FirewallName: String
    public var FirewallPolicyArn: String
    public var UpdateToken: String

    public init(FirewallArn: String, FirewallName: String, FirewallPolicyArn: String, UpdateToken: String) {
        self.FirewallArn = FirewallArn
        self.FirewallName = FirewallName
        self.FirewallPolicyArn = FirewallPolicyArn
        self.UpdateToken = UpdateToken
    }
}

/// UpdateFirewallDeleteProtection input.
public struct UpdateFirewallDeleteProtectionRequest: Codable, Sendable {
    public var UpdateToken: String?
    public var DeleteProtection: Bool

    public init(UpdateToken: String? = nil, DeleteProtection: Bool) {
        self.UpdateToken = UpdateToken
        self.DeleteProtection = DeleteProtection
    }
}

/// UpdateFirewallDeleteProtection output.
public struct UpdateFirewallDeleteProtectionOutput: Codable, Sendable {
    public var FirewallArn: String
    public var FirewallName: String
    public var DeleteProtection: Bool
    public var UpdateToken: String

    public init(FirewallArn: String, FirewallName: String, DeleteProtection: Bool, UpdateToken: String) {
        self.FirewallArn = FirewallArn
        self.FirewallName = FirewallName
        self.DeleteProtection = DeleteProtection
        self.UpdateToken = UpdateToken
    }
}

/// UpdateFirewallPolicyChangeProtection input.
public struct UpdateFirewallPolicyChangeProtectionRequest: Codable, Sendable {
    public var UpdateToken: String?
    public var FirewallPolicyChangeProtection: Bool

    public init(UpdateToken: String? = nil, FirewallPolicyChangeProtection: Bool) {
        self.UpdateToken = UpdateToken
        self.FirewallPolicyChangeProtection = FirewallPolicyChangeProtection
    }
}

/// UpdateFirewallPolicyChangeProtection output.
public struct UpdateFirewallPolicyChangeProtectionOutput: Codable, Sendable {
    public var FirewallArn: String
    public var FirewallName: String
    public var FirewallPolicyChangeProtection: Bool
    public var UpdateToken: String

    public init(FirewallArn: String, FirewallName: String, FirewallPolicyChangeProtection: Bool, UpdateToken: String) {
        self.FirewallArn = FirewallArn
        self.FirewallName = FirewallName
        self.FirewallPolicyChangeProtection = FirewallPolicyChangeProtection
        self.UpdateToken = UpdateToken
    }
}

/// UpdateFirewallDescription input; an absent description clears it.
public struct UpdateFirewallDescriptionRequest: Codable, Sendable {
    public var UpdateToken: String?
    public var Description: String?

    public init(UpdateToken: String? = nil, Description: String? = nil) {
        self.UpdateToken = UpdateToken
        self.Description = Description
    }
}

/// UpdateFirewallDescription output.
public struct UpdateFirewallDescriptionOutput: Codable, Sendable {
    public var FirewallArn: String
    public var FirewallName: String
    public var Description: String?
    public var UpdateToken: String

    public init(FirewallArn: String, FirewallName: String, Description: String?, UpdateToken: String) {
        self.FirewallArn = FirewallArn
        self.FirewallName = FirewallName
        self.Description = Description
        self.UpdateToken = UpdateToken
    }
}

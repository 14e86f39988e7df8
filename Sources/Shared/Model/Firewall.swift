/// A firewall: a policy bound to the workers that enforce it.
public struct Firewall: Codable, Hashable, Sendable {
    public var FirewallName: String
    public var FirewallArn: String
    public var FirewallPolicyArn: String
    public var VpcId: String?
    public var SubnetMappings: [SubnetMapping]
    public var DeleteProtection: Bool
    public var SubnetChangeProtection: Bool
    public var FirewallPolicyChangeProtection: Bool
    public var Description: String?
    public var FirewallId: String
    public var Tags: [Tag]
    public var EncryptionConfiguration: EncryptionConfiguration

    public init(
        FirewallName: String, FirewallArn: String, FirewallPolicyArn: String, VpcId: String?,
        SubnetMappings: [SubnetMapping], DeleteProtection: Bool, SubnetChangeProtection: Bool,
        FirewallPolicyChangeProtection: Bool, Description: String?, FirewallId: String, Tags: [Tag]
    ) {
        self.FirewallName = FirewallName
        self.FirewallArn = FirewallArn
        self.FirewallPolicyArn = FirewallPolicyArn
        self.VpcId = VpcId
        self.SubnetMappings = SubnetMappings
        self.DeleteProtection = DeleteProtection
        self.SubnetChangeProtection = SubnetChangeProtection
        self.FirewallPolicyChangeProtection = FirewallPolicyChangeProtection
        self.Description = Description
        self.FirewallId = FirewallId
        self.Tags = Tags
        self.EncryptionConfiguration = .awsOwned
    }
}

/// A subnet a firewall endpoint sits in (stored and shown back; Rampart binds workers instead).
public struct SubnetMapping: Codable, Hashable, Sendable {
    public var SubnetId: String
    public var IPAddressType: String?

    public init(SubnetId: String, IPAddressType: String?) {
        self.SubnetId = SubnetId
        self.IPAddressType = IPAddressType
    }
}

/// `PROVISIONING | DELETING | READY`.
public enum FirewallStatusValue: String, Codable, Hashable, Sendable {
    case PROVISIONING, DELETING, READY
}

/// `PENDING | IN_SYNC | CAPACITY_CONSTRAINED`.
public enum ConfigurationSyncState: String, Codable, Hashable, Sendable {
    case PENDING, IN_SYNC, CAPACITY_CONSTRAINED
}

/// Where a firewall's configuration stands on its workers.
public struct FirewallStatus: Codable, Hashable, Sendable {
    public var Status: FirewallStatusValue
    public var ConfigurationSyncStateSummary: ConfigurationSyncState
    public var SyncStates: [String: SyncState]

    public init(Status: FirewallStatusValue, ConfigurationSyncStateSummary: ConfigurationSyncState, SyncStates: [String: SyncState]) {
        self.Status = Status
        self.ConfigurationSyncStateSummary = ConfigurationSyncStateSummary
        self.SyncStates = SyncStates
    }
}

/// The state of one endpoint; Rampart reports one per worker, keyed by worker id.
public struct SyncState: Codable, Hashable, Sendable {
    public var Attachment: Attachment?
    public var Config: [String: PerObjectSyncState]

    public init(Attachment: Attachment?, Config: [String: PerObjectSyncState]) {
        self.Attachment = Attachment
        self.Config = Config
    }
}

/// An endpoint attachment.
public struct Attachment: Codable, Hashable, Sendable {
    public var SubnetId: String?
    public var EndpointId: String?
    public var Status: String
    public var StatusMessage: String?

    public init(SubnetId: String?, EndpointId: String?, Status: String, StatusMessage: String?) {
        self.SubnetId = SubnetId
        self.EndpointId = EndpointId
        self.Status = Status
        self.StatusMessage = StatusMessage
    }
}

/// The sync state of one policy, rule group or TLS configuration, keyed by its ARN.
public struct PerObjectSyncState: Codable, Hashable, Sendable {
    public var SyncStatus: String
    public var UpdateToken: String?

    public init(SyncStatus: String, UpdateToken: String?) {
        self.SyncStatus = SyncStatus
        self.UpdateToken = UpdateToken
    }
}

/// The list item of ListFirewalls.
public struct FirewallMetadata: Codable, Hashable, Sendable {
    public var FirewallName: String
    public var FirewallArn: String

    public init(FirewallName: String, FirewallArn: String) {
        self.FirewallName = FirewallName
        self.FirewallArn = FirewallArn
    }
}

/// A resource tag. Member names here and in every model type are the AWS wire names
/// (PascalCase), so the JSON of a Rampart resource is byte-for-byte the AWS shape and the REST and
/// AWS-protocol fronts share one encoding with no key mapping.
public struct Tag: Codable, Hashable, Sendable {
    public var Key: String
    public var Value: String?

    public init(Key: String, Value: String?) {
        self.Key = Key
        self.Value = Value
    }
}

/// The encryption settings AWS reports for every resource; Rampart encrypts with its own key.
public struct EncryptionConfiguration: Codable, Hashable, Sendable {
    public var KeyId: String?
    public var `Type`: String

    public init(KeyId: String?, Type: String) {
        self.KeyId = KeyId
        self.Type = Type
    }

    /// What AWS returns when nothing was requested.
    public static let awsOwned = EncryptionConfiguration(KeyId: "AWS_OWNED_KMS_KEY", Type: "AWS_OWNED_KMS_KEY")
}

/// `ACTIVE|DELETING|ERROR` of rule groups, policies and TLS inspection configurations.
public enum ResourceStatus: String, Codable, Hashable, Sendable {
    case ACTIVE, DELETING, ERROR
}

/// A name and ARN pair, the list item of ListRuleGroups, ListFirewallPolicies and ListTLSInspectionConfigurations.
public struct ResourceSummary: Codable, Hashable, Sendable {
    public var Name: String
    public var Arn: String

    public init(Name: String, Arn: String) {
        self.Name = Name
        self.Arn = Arn
    }
}

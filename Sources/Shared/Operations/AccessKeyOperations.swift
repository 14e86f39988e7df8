/// `POST /v1/access-keys` output: the only time the secret is ever shown.
public struct CreateAccessKeyOutput: Codable, Sendable {
    public var AccessKeyId: String
    public var SecretAccessKey: String
    public var CreatedAt: Double

    public init(AccessKeyId: String, SecretAccessKey: String, CreatedAt: Double) {
        self.AccessKeyId = AccessKeyId
        self.SecretAccessKey = SecretAccessKey
        self.CreatedAt = CreatedAt
    }
}

/// One access key in a listing: its id and when it was made, never its secret.
public struct AccessKeySummary: Codable, Sendable, Equatable {
    public var AccessKeyId: String
    public var CreatedAt: Double

    public init(AccessKeyId: String, CreatedAt: Double) {
        self.AccessKeyId = AccessKeyId
        self.CreatedAt = CreatedAt
    }
}

/// `GET /v1/access-keys` output.
public struct ListAccessKeysOutput: Codable, Sendable {
    public var AccessKeys: [AccessKeySummary]

    public init(AccessKeys: [AccessKeySummary]) {
        self.AccessKeys = AccessKeys
    }
}

/// TagResource input (Network Firewall).
public struct TagResourceRequest: Codable, Sendable {
    public var ResourceArn: String
    public var Tags: [Tag]
}

/// UntagResource input (Network Firewall).
public struct UntagResourceRequest: Codable, Sendable {
    public var ResourceArn: String
    public var TagKeys: [String]
}

/// ListTagsForResource input (Network Firewall).
public struct ListTagsForResourceRequest: Codable, Sendable {
    public var ResourceArn: String
    public var NextToken: String?
    public var MaxResults: Int?
}

/// ListTagsForResource output.
public struct ListTagsForResourceOutput: Codable, Sendable {
    public var NextToken: String?
    public var Tags: [Tag]

    public init(NextToken: String?, Tags: [Tag]) {
        self.NextToken = NextToken
        self.Tags = Tags
    }
}

/// AddTagsToCertificate and RemoveTagsFromCertificate input (ACM).
public struct CertificateTagsRequest: Codable, Sendable {
    public var CertificateArn: String
    public var Tags: [Tag]
}

/// ListTagsForCertificate output (ACM).
public struct ListTagsForCertificateOutput: Codable, Sendable {
    public var Tags: [Tag]

    public init(Tags: [Tag]) {
        self.Tags = Tags
    }
}

/// ImportCertificate input: PEM strings (the REST front takes them as text; the AWS front decodes
/// its base64 blobs into the same shape).
public struct ImportCertificateRequest: Codable, Sendable {
    public var Certificate: String
    public var PrivateKey: String
    public var CertificateChain: String?
    public var CertificateArn: String?
    public var Tags: [Tag]?

    public init(Certificate: String, PrivateKey: String, CertificateChain: String? = nil, CertificateArn: String? = nil, Tags: [Tag]? = nil) {
        self.Certificate = Certificate
        self.PrivateKey = PrivateKey
        self.CertificateChain = CertificateChain
        self.CertificateArn = CertificateArn
        self.Tags = Tags
    }
}

/// ImportCertificate output.
public struct ImportCertificateOutput: Codable, Sendable {
    public var CertificateArn: String

    public init(CertificateArn: String) {
        self.CertificateArn = CertificateArn
    }
}

/// DescribeCertificate output.
public struct DescribeCertificateOutput: Codable, Sendable {
    public var Certificate: CertificateDetail

    public init(Certificate: CertificateDetail) {
        self.Certificate = Certificate
    }
}

/// GetCertificate output: the certificate and its chain, never the key.
public struct GetCertificateOutput: Codable, Sendable {
    public var Certificate: String
    public var CertificateChain: String?

    public init(Certificate: String, CertificateChain: String?) {
        self.Certificate = Certificate
        self.CertificateChain = CertificateChain
    }
}

/// ListCertificates output.
public struct ListCertificatesOutput: Codable, Sendable {
    public var NextToken: String?
    public var CertificateSummaryList: [CertificateSummary]

    public init(NextToken: String?, CertificateSummaryList: [CertificateSummary]) {
        self.NextToken = NextToken
        self.CertificateSummaryList = CertificateSummaryList
    }
}

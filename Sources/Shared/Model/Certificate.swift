/// `CertificateDetail` of ACM's DescribeCertificate, for an imported certificate.
public struct CertificateDetail: Codable, Hashable, Sendable {
    public var CertificateArn: String
    public var DomainName: String?
    public var SubjectAlternativeNames: [String]
    public var Serial: String
    public var Subject: String
    public var Issuer: String
    public var CreatedAt: Double
    public var ImportedAt: Double
    public var Status: String
    public var NotBefore: Double
    public var NotAfter: Double
    public var KeyAlgorithm: String
    public var SignatureAlgorithm: String
    public var InUseBy: [String]
    public var `Type`: String
    public var KeyUsages: [KeyUsage]
    public var ExtendedKeyUsages: [ExtendedKeyUsage]
    public var RenewalEligibility: String
    /// Whether the certificate may sign others (basic constraints `CA:TRUE`); a Rampart extension
    /// that tells which certificates a TLS inspection configuration can use as its authority.
    public var IsCertificateAuthority: Bool

    public init(
        CertificateArn: String, DomainName: String?, SubjectAlternativeNames: [String], Serial: String,
        Subject: String, Issuer: String, CreatedAt: Double, ImportedAt: Double, Status: String,
        NotBefore: Double, NotAfter: Double, KeyAlgorithm: String, SignatureAlgorithm: String,
        InUseBy: [String], KeyUsages: [KeyUsage], ExtendedKeyUsages: [ExtendedKeyUsage],
        IsCertificateAuthority: Bool
    ) {
        self.CertificateArn = CertificateArn
        self.DomainName = DomainName
        self.SubjectAlternativeNames = SubjectAlternativeNames
        self.Serial = Serial
        self.Subject = Subject
        self.Issuer = Issuer
        self.CreatedAt = CreatedAt
        self.ImportedAt = ImportedAt
        self.Status = Status
        self.NotBefore = NotBefore
        self.NotAfter = NotAfter
        self.KeyAlgorithm = KeyAlgorithm
        self.SignatureAlgorithm = SignatureAlgorithm
        self.InUseBy = InUseBy
        self.Type = "IMPORTED"
        self.KeyUsages = KeyUsages
        self.ExtendedKeyUsages = ExtendedKeyUsages
        self.RenewalEligibility = "INELIGIBLE"
        self.IsCertificateAuthority = IsCertificateAuthority
    }
}

/// A key usage name (`DIGITAL_SIGNATURE`, …).
public struct KeyUsage: Codable, Hashable, Sendable {
    public var Name: String

    public init(Name: String) {
        self.Name = Name
    }
}

/// An extended key usage name (`TLS_WEB_SERVER_AUTHENTICATION`, …) and its OID.
public struct ExtendedKeyUsage: Codable, Hashable, Sendable {
    public var Name: String
    public var OID: String?

    public init(Name: String, OID: String?) {
        self.Name = Name
        self.OID = OID
    }
}

/// The list item of ListCertificates.
public struct CertificateSummary: Codable, Hashable, Sendable {
    public var CertificateArn: String
    public var DomainName: String?
    public var SubjectAlternativeNameSummaries: [String]
    public var HasAdditionalSubjectAlternativeNames: Bool
    public var Status: String
    public var `Type`: String
    public var KeyAlgorithm: String
    public var InUse: Bool
    public var NotBefore: Double
    public var NotAfter: Double
    public var CreatedAt: Double
    public var ImportedAt: Double

    public init(detail: CertificateDetail) {
        CertificateArn = detail.CertificateArn
        DomainName = detail.DomainName
        SubjectAlternativeNameSummaries = Array(detail.SubjectAlternativeNames.prefix(100))
        HasAdditionalSubjectAlternativeNames = detail.SubjectAlternativeNames.count > 100
        Status = detail.Status
        Type = detail.Type
        KeyAlgorithm = detail.KeyAlgorithm
        InUse = !detail.InUseBy.isEmpty
        NotBefore = detail.NotBefore
        NotAfter = detail.NotAfter
        CreatedAt = detail.CreatedAt
        ImportedAt = detail.ImportedAt
    }
}

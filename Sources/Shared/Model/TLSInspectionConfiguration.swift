/// Which TLS traffic is decrypted, with which certificates, and how revocation is checked.
public struct TLSInspectionConfiguration: Codable, Hashable, Sendable {
    public var ServerCertificateConfigurations: [ServerCertificateConfiguration]?

    public init(ServerCertificateConfigurations: [ServerCertificateConfiguration]?) {
        self.ServerCertificateConfigurations = ServerCertificateConfigurations
    }
}

/// One set of scopes with the certificates that serve them.
public struct ServerCertificateConfiguration: Codable, Hashable, Sendable {
    public var ServerCertificates: [ServerCertificate]?
    public var Scopes: [ServerCertificateScope]?
    public var CertificateAuthorityArn: String?
    public var CheckCertificateRevocationStatus: CheckCertificateRevocationStatusActions?

    public init(
        ServerCertificates: [ServerCertificate]? = nil, Scopes: [ServerCertificateScope]?,
        CertificateAuthorityArn: String? = nil,
        CheckCertificateRevocationStatus: CheckCertificateRevocationStatusActions? = nil
    ) {
        self.ServerCertificates = ServerCertificates
        self.Scopes = Scopes
        self.CertificateAuthorityArn = CertificateAuthorityArn
        self.CheckCertificateRevocationStatus = CheckCertificateRevocationStatus
    }
}

/// A server certificate for inbound inspection.
public struct ServerCertificate: Codable, Hashable, Sendable {
    public var ResourceArn: String?

    public init(ResourceArn: String?) {
        self.ResourceArn = ResourceArn
    }
}

/// The traffic a configuration decrypts; omitted members match everything.
public struct ServerCertificateScope: Codable, Hashable, Sendable {
    public var Sources: [Address]?
    public var Destinations: [Address]?
    public var SourcePorts: [PortRange]?
    public var DestinationPorts: [PortRange]?
    public var Protocols: [Int]?

    public init(
        Sources: [Address]? = nil, Destinations: [Address]? = nil, SourcePorts: [PortRange]? = nil,
        DestinationPorts: [PortRange]? = nil, Protocols: [Int]? = nil
    ) {
        self.Sources = Sources
        self.Destinations = Destinations
        self.SourcePorts = SourcePorts
        self.DestinationPorts = DestinationPorts
        self.Protocols = Protocols
    }
}

/// `PASS | DROP | REJECT` for a revoked or unknown server certificate.
public enum RevocationCheckAction: String, Codable, Hashable, Sendable {
    case PASS, DROP, REJECT
}

/// What to do with revoked and unknown server certificates.
public struct CheckCertificateRevocationStatusActions: Codable, Hashable, Sendable {
    public var RevokedStatusAction: RevocationCheckAction?
    public var UnknownStatusAction: RevocationCheckAction?

    public init(RevokedStatusAction: RevocationCheckAction?, UnknownStatusAction: RevocationCheckAction?) {
        self.RevokedStatusAction = RevokedStatusAction
        self.UnknownStatusAction = UnknownStatusAction
    }
}

/// Certificate metadata echoed in TLS inspection configuration responses.
public struct TlsCertificateData: Codable, Hashable, Sendable {
    public var CertificateArn: String?
    public var CertificateSerial: String?
    public var Status: String?
    public var StatusMessage: String?

    public init(CertificateArn: String?, CertificateSerial: String?, Status: String?, StatusMessage: String?) {
        self.CertificateArn = CertificateArn
        self.CertificateSerial = CertificateSerial
        self.Status = Status
        self.StatusMessage = StatusMessage
    }
}

/// The metadata half of every TLS inspection configuration response.
public struct TLSInspectionConfigurationResponse: Codable, Hashable, Sendable {
    public var TLSInspectionConfigurationArn: String
    public var TLSInspectionConfigurationName: String
    public var TLSInspectionConfigurationId: String
    public var TLSInspectionConfigurationStatus: ResourceStatus
    public var Description: String?
    public var Tags: [Tag]
    public var LastModifiedTime: Double
    public var NumberOfAssociations: Int
    public var EncryptionConfiguration: EncryptionConfiguration
    public var Certificates: [TlsCertificateData]
    public var CertificateAuthority: TlsCertificateData?

    public init(
        TLSInspectionConfigurationArn: String, TLSInspectionConfigurationName: String,
        TLSInspectionConfigurationId: String, TLSInspectionConfigurationStatus: ResourceStatus,
        Description: String?, Tags: [Tag], LastModifiedTime: Double, NumberOfAssociations: Int,
        Certificates: [TlsCertificateData], CertificateAuthority: TlsCertificateData?
    ) {
        self.TLSInspectionConfigurationArn = TLSInspectionConfigurationArn
        self.TLSInspectionConfigurationName = TLSInspectionConfigurationName
        self.TLSInspectionConfigurationId = TLSInspectionConfigurationId
        self.TLSInspectionConfigurationStatus = TLSInspectionConfigurationStatus
        self.Description = Description
        self.Tags = Tags
        self.LastModifiedTime = LastModifiedTime
        self.NumberOfAssociations = NumberOfAssociations
        self.EncryptionConfiguration = .awsOwned
        self.Certificates = Certificates
        self.CertificateAuthority = CertificateAuthority
    }
}

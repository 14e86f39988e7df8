public import Shared
public import X509
import SwiftASN1

/// A snapshot's TLS inspection section compiled for the TLS engine: scopes, the parsed inspection CAs
/// and server certificates, the revocation actions, session holding and the upstream trust roots.
/// Built with the snapshot, so that a bad certificate or key is a `nack`, never a failure mid-connection.
public struct TLSInspectionPlan: Sendable {
    /// One server-certificate configuration.
    public struct Configuration: Sendable {
        /// Egress: the CA that signs minted leaves.
        public var authority: InspectionAuthority?
        /// Inbound: the certificates presented to clients, in the order given.
        public var serverCertificates: [InspectionAuthority]
        /// nil when revocation is not checked.
        public var revokedStatusAction: RevocationCheckAction?
        public var unknownStatusAction: RevocationCheckAction?

        /// Whether `CheckCertificateRevocationStatus` is set.
        public var checksRevocation: Bool { revokedStatusAction != nil || unknownStatusAction != nil }
    }

    public let scopes: TLSScopeMatcher
    public let configurations: [Configuration]
    /// `EnableTLSSessionHolding`.
    public let sessionHolding: Bool
    /// The certificates added to the system trust store for upstream verification.
    public let additionalTrustRoots: [Certificate]

    /// No TLS inspection.
    public static let none = TLSInspectionPlan(scopes: .empty, configurations: [], sessionHolding: false, additionalTrustRoots: [])

    init(scopes: TLSScopeMatcher, configurations: [Configuration], sessionHolding: Bool, additionalTrustRoots: [Certificate]) {
        self.scopes = scopes
        self.configurations = configurations
        self.sessionHolding = sessionHolding
        self.additionalTrustRoots = additionalTrustRoots
    }

    /// Compiles `section` (nil: no inspection).
    public init(_ section: TLSInspectionSection?) throws(TLSInspectionError) {
        guard let section else {
            self = .none
            return
        }
        scopes = try TLSScopeMatcher(section)
        var configurations: [Configuration] = []
        for (index, entry) in section.configurations.enumerated() {
            let authority = try entry.authority.map { material throws(TLSInspectionError) in try InspectionAuthority(material) }
            var serverCertificates: [InspectionAuthority] = []
            for material in entry.serverCertificates { serverCertificates.append(try InspectionAuthority(material)) }
            guard authority != nil || !serverCertificates.isEmpty else {
                throw TLSInspectionError(
                    code: .invalidConfiguration,
                    message: "ServerCertificateConfigurations[\(index)] has neither CertificateAuthorityArn nor ServerCertificates"
                )
            }
            configurations.append(
                Configuration(
                    authority: authority, serverCertificates: serverCertificates,
                    revokedStatusAction: entry.revokedStatusAction, unknownStatusAction: entry.unknownStatusAction
                )
            )
        }
        self.configurations = configurations
        sessionHolding = section.sessionHolding
        additionalTrustRoots = try InspectionAuthority.certificates(inPEM: section.upstreamTrustBundlePEM, named: "the upstream trust bundle")
    }

    /// Whether the snapshot decrypts anything.
    public var isEnabled: Bool { !scopes.isEmpty }
}

import GRDB
import Shared

/// The checks of reference §6: scopes well formed and TCP only, at least one of server
/// certificates and a CA, the CA an imported certificate authority, revocation checks only with a
/// CA. Returns the certificate ARNs the configuration uses.
enum TLSInspectionValidation {
    static let maximumServerCertificates = 10

    static func validate(_ db: Database, _ configuration: TLSInspectionConfiguration, arns: ARNBuilder) throws -> [String] {
        let entries = configuration.ServerCertificateConfigurations ?? []
        if entries.count != 1 {
            throw APIError.invalidParameter("ServerCertificateConfigurations", "must hold exactly one configuration", value: "\(entries.count)", context: "TLSInspectionConfiguration.ServerCertificateConfigurations")
        }
        var certificates: [String] = []
        for (index, entry) in entries.enumerated() {
            let context = "ServerCertificateConfigurations[\(index)]"
            let scopes = entry.Scopes ?? []
            if scopes.isEmpty {
                throw APIError.invalidParameter("Scopes", "cannot be null or empty", context: "\(context).Scopes")
            }
            for (scopeIndex, scope) in scopes.enumerated() {
                let scopeContext = "\(context).Scopes[\(scopeIndex)]"
                try FieldValidation.addresses(scope.Sources, context: "\(scopeContext).Sources")
                try FieldValidation.addresses(scope.Destinations, context: "\(scopeContext).Destinations")
                try FieldValidation.portRanges(scope.SourcePorts, context: "\(scopeContext).SourcePorts")
                try FieldValidation.portRanges(scope.DestinationPorts, context: "\(scopeContext).DestinationPorts")
                if let protocols = scope.Protocols, protocols.contains(where: { $0 != 6 }) {
                    throw APIError.invalidParameter("Protocols", "is unsupported: only 6 (TCP) can be inspected", value: protocols.map(String.init).joined(separator: ","), context: "\(scopeContext).Protocols")
                }
            }
            let servers = (entry.ServerCertificates ?? []).compactMap(\.ResourceArn)
            if servers.count > maximumServerCertificates {
                throw APIError.invalidParameter("ServerCertificates", "Certificates limit exceeded", value: "\(servers.count)", context: "\(context).ServerCertificates")
            }
            if servers.isEmpty, entry.CertificateAuthorityArn == nil {
                throw APIError.invalidRequest("ServerCertificates or CertificateAuthorityArn is required. You can specify either, or both.")
            }
            if entry.CheckCertificateRevocationStatus != nil, entry.CertificateAuthorityArn == nil {
                throw APIError.invalidRequest("CertificateAuthorityArn is required when enabling CheckCertificateRevocationStatus.")
            }
            for arn in servers {
                _ = try certificate(db, arn: arn, arns: arns, field: "ResourceArn", context: "\(context).ServerCertificates")
                certificates.append(arn)
            }
            if let authorityArn = entry.CertificateAuthorityArn {
                let authority = try certificate(db, arn: authorityArn, arns: arns, field: "CertificateAuthorityArn", context: "\(context).CertificateAuthorityArn")
                if !authority.detail.IsCertificateAuthority {
                    throw APIError.invalidParameter("CertificateAuthorityArn", "is not a certificate authority (its basic constraints do not say CA:TRUE)", value: authorityArn, context: "\(context).CertificateAuthorityArn")
                }
                certificates.append(authorityArn)
            }
        }
        return certificates
    }

    private static func certificate(_ db: Database, arn: String, arns: ARNBuilder, field: String, context: String) throws -> CertificateRecord {
        guard arns.certificateId(arn) != nil else {
            throw APIError.invalidParameter(field, "is not a certificate ARN of this region and account", value: arn, context: context)
        }
        guard let record = try CertificateRecord.fetch(db, arn: arn) else {
            throw APIError.invalidParameter(field, "does not name an imported certificate", value: arn, context: context)
        }
        return record
    }
}

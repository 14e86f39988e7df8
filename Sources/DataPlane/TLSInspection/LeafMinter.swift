public import Crypto
import Foundation
public import X509

/// Mints the certificate the client sees for an intercepted connection: the server's subject and
/// subject alternative names, signed by the configuration's inspection CA, over one P-256 key the worker
/// generates at start (a key per leaf would cost a key generation per new name for nothing: the client
/// trusts the CA, not the key).
///
/// Validity is the server certificate's, clipped to the CA's, so a leaf never outlives what it stands
/// for. A server certificate without SANs gets the SNI as its only SAN, since clients check SANs only.
public struct LeafMinter: Sendable {
    /// The key of every minted leaf.
    public let leafKey: P256.Signing.PrivateKey

    public init(leafKey: P256.Signing.PrivateKey = P256.Signing.PrivateKey()) {
        self.leafKey = leafKey
    }

    /// A leaf for `serverName` standing for `upstream`, issued by `authority`.
    public func mint(for upstream: Certificate, serverName: String, authority: InspectionAuthority) throws(TLSInspectionError) -> Certificate {
        let notBefore = max(upstream.notValidBefore, authority.certificate.notValidBefore)
        let notAfter = min(upstream.notValidAfter, authority.certificate.notValidAfter)
        guard notBefore < notAfter else {
            throw TLSInspectionError(
                code: .minting, message: "the server certificate's validity lies outside the inspection CA's (\(authority.arn))"
            )
        }
        var names: [GeneralName] = []
        if let sans = try? upstream.extensions.subjectAlternativeNames {
            for name in sans {
                switch name {
                case .dnsName, .ipAddress: names.append(name)
                default: break
                }
            }
        }
        if names.isEmpty { names = [.dnsName(serverName)] }
        let publicKey = Certificate.PublicKey(leafKey.publicKey)
        do {
            let authorityKeyID = (try? authority.certificate.extensions.subjectKeyIdentifier)?.keyIdentifier
                ?? SubjectKeyIdentifier(hash: authority.certificate.publicKey).keyIdentifier
            let extensions = try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(names)
                SubjectKeyIdentifier(hash: publicKey)
                AuthorityKeyIdentifier(keyIdentifier: authorityKeyID)
            }
            return try authority.issue(
                serialNumber: Certificate.SerialNumber(), publicKey: publicKey, notValidBefore: notBefore,
                notValidAfter: notAfter, subject: upstream.subject, extensions: extensions
            )
        } catch {
            throw TLSInspectionError(code: .minting, message: "cannot sign a leaf for \(serverName) with \(authority.arn): \(error)")
        }
    }
}

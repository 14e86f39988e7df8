import Crypto
import Foundation
import Shared
import SwiftASN1
import X509

/// Certificates made in memory for the TLS engine's tests: a CA and leaves it signs, with P-256 keys.
struct TestCertificates {
    struct Issued {
        var certificate: Certificate
        var key: P256.Signing.PrivateKey

        var pem: String { (try? certificate.serializeAsPEM().pemString) ?? "" }
        var keyPEM: String { key.pemRepresentation }
        var der: [UInt8] {
            var serializer = DER.Serializer()
            try? serializer.serialize(certificate)
            return serializer.serializedBytes
        }
    }

    static let now = Date()

    /// A self-signed CA named `name`.
    static func authority(_ name: String, notAfter: Date = now.addingTimeInterval(86_400 * 30)) throws -> Issued {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName { CommonName(name) }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: notAfter, issuer: subject, subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: Certificate.PublicKey(key.publicKey))
            },
            issuerPrivateKey: .init(key)
        )
        return Issued(certificate: certificate, key: key)
    }

    /// A server leaf for `names` (DNS SANs; none when empty) signed by `issuer`.
    static func leaf(
        _ names: [String], commonName: String? = nil, issuer: Issued, notBefore: Date = now.addingTimeInterval(-3600),
        notAfter: Date = now.addingTimeInterval(86_400 * 10), ipAddresses: [[UInt8]] = []
    ) throws -> Issued {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName {
            OrganizationName("Rampart Tests")
            CommonName(commonName ?? names.first ?? "no-name")
        }
        let sans = names.map { GeneralName.dnsName($0) } + ipAddresses.map { GeneralName.ipAddress(ASN1OctetString(contentBytes: $0[...])) }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey), notValidBefore: notBefore,
            notValidAfter: notAfter, issuer: issuer.certificate.subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                try ExtendedKeyUsage([.serverAuth])
                if !sans.isEmpty { SubjectAlternativeNames(sans) }
            },
            issuerPrivateKey: .init(issuer.key)
        )
        return Issued(certificate: certificate, key: key)
    }

    /// `issued` as snapshot material under `arn`.
    static func material(_ issued: Issued, arn: String = "arn:aws:acm:us-east-1:111111111111:certificate/ca") -> CertificateMaterial {
        CertificateMaterial(arn: arn, certificatePEM: issued.pem, chainPEM: nil, privateKeyPEM: issued.keyPEM)
    }
}

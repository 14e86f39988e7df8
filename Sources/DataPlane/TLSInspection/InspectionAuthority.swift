import Foundation
public import Shared
public import X509
import Crypto
import SwiftASN1

/// The certificate authority of one TLS inspection configuration (its `CertificateAuthorityArn`), parsed
/// once per snapshot: the certificate that signs minted leaves, its private key, and the chain above it
/// that the client is sent after the leaf.
public struct InspectionAuthority: Sendable {
    public let certificate: Certificate
    let privateKey: Certificate.PrivateKey
    /// The certificate's DER bytes, then its imported chain's: what follows the leaf in the client handshake.
    public let chainDER: [[UInt8]]
    /// The ARN of the imported certificate, for events and errors.
    public let arn: String
    /// The ARN and the certificate's SHA-256: tells a re-imported certificate under the same ARN apart.
    public let identity: String

    /// Parses `material`; an error names the ARN and what is wrong, never the key's bytes.
    public init(_ material: CertificateMaterial) throws(TLSInspectionError) {
        arn = material.arn
        do {
            certificate = try Certificate(pemEncoded: material.certificatePEM)
        } catch {
            throw TLSInspectionError(code: .invalidConfiguration, message: "certificate \(material.arn) is not a PEM certificate")
        }
        do {
            privateKey = try Certificate.PrivateKey(pemEncoded: material.privateKeyPEM)
        } catch {
            throw TLSInspectionError(
                code: .invalidConfiguration, message: "the private key of \(material.arn) is not a supported PEM private key"
            )
        }
        guard privateKey.publicKey == certificate.publicKey else {
            throw TLSInspectionError(
                code: .invalidConfiguration, message: "the private key of \(material.arn) does not match its certificate"
            )
        }
        // The imported chain (intermediates up to, not necessarily including, the root), in PEM order.
        let chain = try Self.certificates(inPEM: material.chainPEM, named: "the chain of \(material.arn)")
        do {
            chainDER = try ([certificate] + chain).map { try $0.derBytes() }
        } catch {
            throw TLSInspectionError(code: .invalidConfiguration, message: "certificate \(material.arn) cannot be re-encoded")
        }
        identity = material.arn + "#" + SHA256.hash(data: chainDER[0]).prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    /// The private key as DER (PKCS#8, SEC1 or PKCS#1), for the TLS library; never logged.
    func privateKeyDER() throws -> [UInt8] {
        try privateKey.serializeAsPEM().derBytes
    }

    /// Signs `tbs` parts into a leaf issued by this authority.
    func issue(
        serialNumber: Certificate.SerialNumber, publicKey: Certificate.PublicKey, notValidBefore: Date, notValidAfter: Date,
        subject: DistinguishedName, extensions: Certificate.Extensions
    ) throws -> Certificate {
        try Certificate(
            version: .v3, serialNumber: serialNumber, publicKey: publicKey, notValidBefore: notValidBefore,
            notValidAfter: notValidAfter, issuer: certificate.subject, subject: subject, extensions: extensions,
            issuerPrivateKey: privateKey
        )
    }

    /// The certificates of a PEM bundle (none for nil or empty text); an error names the bundle.
    static func certificates(inPEM text: String?, named name: String) throws(TLSInspectionError) -> [Certificate] {
        guard let text, !text.isEmpty else { return [] }
        do {
            return try PEMDocument.parseMultiple(pemString: text).map { try Certificate(pemDocument: $0) }
        } catch {
            throw TLSInspectionError(code: .invalidConfiguration, message: "\(name) is not PEM certificates: \(error)")
        }
    }
}

import HTTPTypes
import Crypto
import _CryptoExtras
import SwiftASN1
import Foundation
import Shared
import X509

/// A PEM certificate, key and chain checked the way ACM's ImportCertificate checks them: each part
/// parses, the key matches the certificate, the algorithms are ones ACM accepts, and the
/// certificate is valid now. Errors name the member that is wrong and never echo key material.
struct ImportedCertificate {
    let certificate: Certificate
    let chain: [Certificate]
    let keyAlgorithm: String

    /// The key algorithms ACM imports, by their DescribeCertificate spelling.
    static let acceptedAlgorithms: Set<String> = ["RSA-1024", "RSA-2048", "RSA-3072", "RSA-4096", "EC-prime256v1", "EC-secp384r1", "EC-secp521r1"]

    init(certificatePEM: String, privateKeyPEM: String, chainPEM: String?, now: Date) throws {
        guard certificatePEM.contains("-----BEGIN CERTIFICATE-----") else {
            throw APIError(.validation, "Certificate is not a PEM-encoded X.509 certificate (expected a -----BEGIN CERTIFICATE----- block)", status: .badRequest)
        }
        do {
            certificate = try Certificate(pemEncoded: certificatePEM)
        } catch {
            throw APIError(.validation, "Certificate could not be parsed as an X.509 certificate: \(error)", status: .badRequest)
        }
        guard privateKeyPEM.contains("PRIVATE KEY-----") else {
            throw APIError(.validation, "PrivateKey: Passed PEM was not a private key (expected a -----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY block)", status: .badRequest)
        }
        if privateKeyPEM.contains("ENCRYPTED") {
            throw APIError(.validation, "PrivateKey must not be encrypted", status: .badRequest)
        }
        let privateKey: Certificate.PrivateKey
        do {
            privateKey = try Certificate.PrivateKey(pemEncoded: privateKeyPEM)
        } catch {
            throw APIError(.validation, "PrivateKey could not be parsed (PKCS#8, PKCS#1 RSA or SEC1 EC keys are accepted)", status: .badRequest)
        }
        guard privateKey.publicKey == certificate.publicKey else {
            throw APIError(.validation, "PrivateKey does not match the public key of Certificate", status: .badRequest)
        }
        keyAlgorithm = try Self.keyAlgorithm(of: certificate.publicKey)
        guard Self.acceptedAlgorithms.contains(keyAlgorithm) else {
            throw APIError(.validation, "Certificate key algorithm \(keyAlgorithm) is not supported; use RSA 1024-4096 or EC P-256/P-384/P-521", status: .badRequest)
        }
        guard certificate.version == .v3 else {
            throw APIError(.validation, "Certificate must be X.509 version 3", status: .badRequest)
        }
        guard now >= certificate.notValidBefore else {
            throw APIError(.validation, "Certificate is not valid yet (NotBefore \(certificate.notValidBefore))", status: .badRequest)
        }
        guard now <= certificate.notValidAfter else {
            throw APIError(.validation, "Certificate has expired (NotAfter \(certificate.notValidAfter))", status: .badRequest)
        }
        var chain: [Certificate] = []
        if let chainPEM, !chainPEM.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            let blocks = Self.pemBlocks(chainPEM)
            if blocks.isEmpty {
                throw APIError(.validation, "CertificateChain holds no PEM certificate block", status: .badRequest)
            }
            for (index, block) in blocks.enumerated() {
                do {
                    chain.append(try Certificate(pemEncoded: block))
                } catch {
                    throw APIError(.validation, "CertificateChain certificate \(index + 1) could not be parsed: \(error)", status: .badRequest)
                }
            }
        }
        self.chain = chain
    }

    /// The certificate re-encoded as canonical PEM (64-character base64 lines), as ACM returns it.
    func certificatePEM() throws -> String {
        try certificate.serializeAsPEM().pemString + "\n"
    }

    /// The chain re-encoded as canonical PEM, or nil when none was imported.
    func chainPEM() throws -> String? {
        chain.isEmpty ? nil : try chain.map { try $0.serializeAsPEM().pemString + "\n" }.joined()
    }

    /// Each `-----BEGIN CERTIFICATE-----` … `-----END CERTIFICATE-----` block of a PEM bundle.
    static func pemBlocks(_ text: String) -> [String] {
        var blocks: [String] = []
        var rest = Substring(text)
        while let begin = rest.range(of: "-----BEGIN CERTIFICATE-----"), let end = rest.range(of: "-----END CERTIFICATE-----", range: begin.upperBound..<rest.endIndex) {
            blocks.append(String(rest[begin.lowerBound..<end.upperBound]))
            rest = rest[end.upperBound...]
        }
        return blocks
    }

    static func keyAlgorithm(of key: Certificate.PublicKey) throws -> String {
        if P256.Signing.PublicKey(key) != nil { return "EC-prime256v1" }
        if P384.Signing.PublicKey(key) != nil { return "EC-secp384r1" }
        if P521.Signing.PublicKey(key) != nil { return "EC-secp521r1" }
        if let rsa = _RSA.Signing.PublicKey(key) { return "RSA-\(rsa.keySizeInBits)" }
        throw APIError(.validation, "Certificate public key algorithm is not supported; use RSA or EC P-256/P-384/P-521", status: .badRequest)
    }

    /// The `CertificateDetail` ACM reports for this certificate.
    func detail(arn: String, createdAt: Double, importedAt: Double) throws -> CertificateDetail {
        var names: [String] = []
        if let alternatives = try? certificate.extensions.subjectAlternativeNames {
            for name in alternatives {
                switch name {
                case .dnsName(let dns): names.append(dns)
                case .ipAddress(let octets): names.append(Self.ipText(Array(octets.bytes)))
                default: break
                }
            }
        }
        let commonName = certificate.subject.description.split(separator: ",").first { $0.hasPrefix("CN=") }.map { String($0.dropFirst(3)) }
        let domain = commonName ?? names.first
        if let domain, !names.contains(domain) { names.insert(domain, at: 0) }
        let isCA: Bool
        if case .isCertificateAuthority = try? certificate.extensions.basicConstraints { isCA = true } else { isCA = false }
        return CertificateDetail(
            CertificateArn: arn, DomainName: domain, SubjectAlternativeNames: names,
            Serial: certificate.serialNumber.bytes.map { String(format: "%02x", $0) }.joined(separator: ":"),
            Subject: certificate.subject.description, Issuer: certificate.issuer.description,
            CreatedAt: createdAt, ImportedAt: importedAt, Status: "ISSUED",
            NotBefore: certificate.notValidBefore.timeIntervalSince1970, NotAfter: certificate.notValidAfter.timeIntervalSince1970,
            KeyAlgorithm: keyAlgorithm, SignatureAlgorithm: Self.signatureName(certificate.signatureAlgorithm),
            InUseBy: [], KeyUsages: keyUsages(), ExtendedKeyUsages: extendedKeyUsages(), IsCertificateAuthority: isCA
        )
    }

    private func keyUsages() -> [Shared.KeyUsage] {
        guard let usage = try? certificate.extensions.keyUsage else { return [] }
        let flags: [(Bool, String)] = [
            (usage.digitalSignature, "DIGITAL_SIGNATURE"), (usage.nonRepudiation, "NON_REPUDIATION"),
            (usage.keyEncipherment, "KEY_ENCIPHERMENT"), (usage.dataEncipherment, "DATA_ENCIPHERMENT"),
            (usage.keyAgreement, "KEY_AGREEMENT"), (usage.keyCertSign, "CERTIFICATE_SIGNING"),
            (usage.cRLSign, "CRL_SIGNING"), (usage.encipherOnly, "ENCIPHER_ONLY"), (usage.decipherOnly, "DECIPHER_ONLY"),
        ]
        return flags.filter(\.0).map { Shared.KeyUsage(Name: $0.1) }
    }

    private func extendedKeyUsages() -> [Shared.ExtendedKeyUsage] {
        guard let usages = try? certificate.extensions.extendedKeyUsage else { return [] }
        let known: [(X509.ExtendedKeyUsage.Usage, String, String)] = [
            (.serverAuth, "TLS_WEB_SERVER_AUTHENTICATION", "1.3.6.1.5.5.7.3.1"),
            (.clientAuth, "TLS_WEB_CLIENT_AUTHENTICATION", "1.3.6.1.5.5.7.3.2"),
            (.codeSigning, "CODE_SIGNING", "1.3.6.1.5.5.7.3.3"),
            (.emailProtection, "EMAIL_PROTECTION", "1.3.6.1.5.5.7.3.4"),
            (.timeStamping, "TIME_STAMPING", "1.3.6.1.5.5.7.3.8"),
            (.ocspSigning, "OCSP_SIGNING", "1.3.6.1.5.5.7.3.9"),
            (.any, "ANY", "2.5.29.37.0"),
        ]
        return usages.map { usage in
            if let match = known.first(where: { $0.0 == usage }) { return Shared.ExtendedKeyUsage(Name: match.1, OID: match.2) }
            return Shared.ExtendedKeyUsage(Name: "CUSTOM", OID: "\(usage)")
        }
    }

    private static func signatureName(_ algorithm: Certificate.SignatureAlgorithm) -> String {
        switch algorithm {
        case .ecdsaWithSHA256: "SHA256WITHECDSA"
        case .ecdsaWithSHA384: "SHA384WITHECDSA"
        case .ecdsaWithSHA512: "SHA512WITHECDSA"
        case .sha1WithRSAEncryption: "SHA1WITHRSA"
        case .sha256WithRSAEncryption: "SHA256WITHRSA"
        case .sha384WithRSAEncryption: "SHA384WITHRSA"
        case .sha512WithRSAEncryption: "SHA512WITHRSA"
        case .ed25519: "ED25519"
        default: "\(algorithm)"
        }
    }

    private static func ipText(_ bytes: [UInt8]) -> String {
        if let address = IPAddress(networkOrder: bytes) { return address.description }
        return bytes.map { String(format: "%02x", $0) }.joined()
    }
}

/// ACM's certificate status, derived from validity at read time.
enum CertificateStatus {
    static func current(_ detail: CertificateDetail, now: Double) -> String {
        now > detail.NotAfter ? "EXPIRED" : "ISSUED"
    }
}

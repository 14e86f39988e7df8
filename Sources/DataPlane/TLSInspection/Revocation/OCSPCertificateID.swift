import Crypto
import SwiftASN1

/// An OCSP CertID (RFC 6960 section 4.1.1): a hash of the issuer's name and of its public key, and the
/// certificate's serial number. Requests use SHA-1, which every responder understands; a response's
/// CertID may use SHA-1 or SHA-2 and is matched by recomputing the hashes with its algorithm.
struct OCSPCertificateID: Hashable, Sendable {
    var hashAlgorithm: ASN1ObjectIdentifier
    var issuerNameHash: [UInt8]
    var issuerKeyHash: [UInt8]
    /// The serial number's INTEGER content bytes.
    var serialNumber: [UInt8]

    init(hashAlgorithm: ASN1ObjectIdentifier, issuerNameHash: [UInt8], issuerKeyHash: [UInt8], serialNumber: [UInt8]) {
        self.hashAlgorithm = hashAlgorithm
        self.issuerNameHash = issuerNameHash
        self.issuerKeyHash = issuerKeyHash
        self.serialNumber = serialNumber
    }

    /// The CertID of the certificate with `serialNumber` issued by `issuer`, hashed with `hashAlgorithm`
    /// (nil when that is not SHA-1 or SHA-2).
    init?(serialNumber: [UInt8], issuer: CertificateFields, hashAlgorithm: ASN1ObjectIdentifier = RevocationOID.sha1) {
        guard let nameHash = Self.hash(issuer.subject, with: hashAlgorithm),
              let keyHash = Self.hash(issuer.subjectPublicKey, with: hashAlgorithm) else { return nil }
        self.init(hashAlgorithm: hashAlgorithm, issuerNameHash: nameHash, issuerKeyHash: keyHash, serialNumber: serialNumber)
    }

    /// Reads `CertID ::= SEQUENCE { hashAlgorithm, issuerNameHash, issuerKeyHash, serialNumber }`.
    init(derEncoded node: ASN1Node) throws {
        self = try DER.sequence(node, identifier: .sequence) { nodes in
            guard let algorithmNode = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "empty CertID") }
            let algorithm = try DER.sequence(algorithmNode, identifier: .sequence) { fields in
                let oid = try ASN1ObjectIdentifier(derEncoded: &fields)
                while fields.next() != nil {}
                return oid
            }
            let nameHash = try ASN1OctetString(derEncoded: &nodes).bytes
            let keyHash = try ASN1OctetString(derEncoded: &nodes).bytes
            guard let serial = nodes.next(), serial.identifier == .integer, case .primitive(let serialBytes) = serial.content else {
                throw ASN1Error.invalidASN1Object(reason: "CertID without a serial number")
            }
            return OCSPCertificateID(
                hashAlgorithm: algorithm, issuerNameHash: Array(nameHash), issuerKeyHash: Array(keyHash),
                serialNumber: Array(serialBytes)
            )
        }
    }

    /// Whether this CertID, whatever its hash algorithm, names the certificate `serialNumber` of `issuer`.
    func identifies(serialNumber: [UInt8], issuer: CertificateFields) -> Bool {
        guard serialNumber == self.serialNumber,
              let expected = OCSPCertificateID(serialNumber: serialNumber, issuer: issuer, hashAlgorithm: hashAlgorithm)
        else { return false }
        return expected.issuerNameHash == issuerNameHash && expected.issuerKeyHash == issuerKeyHash
    }

    func serialize(into coder: inout DER.Serializer) throws {
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.appendConstructedNode(identifier: .sequence) { algorithm in
                try algorithm.serialize(hashAlgorithm)
                try algorithm.serialize(ASN1Null())
            }
            try coder.serialize(ASN1OctetString(contentBytes: issuerNameHash[...]))
            try coder.serialize(ASN1OctetString(contentBytes: issuerKeyHash[...]))
            coder.appendPrimitiveNode(identifier: .integer) { $0.append(contentsOf: serialNumber) }
        }
    }

    private static func hash(_ bytes: [UInt8], with algorithm: ASN1ObjectIdentifier) -> [UInt8]? {
        switch algorithm {
        case RevocationOID.sha1: Array(Insecure.SHA1.hash(data: bytes))
        case RevocationOID.sha256: Array(SHA256.hash(data: bytes))
        case RevocationOID.sha384: Array(SHA384.hash(data: bytes))
        case RevocationOID.sha512: Array(SHA512.hash(data: bytes))
        default: nil
        }
    }
}

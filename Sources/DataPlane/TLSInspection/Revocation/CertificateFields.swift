import SwiftASN1
import X509

/// The exact bytes of a certificate that OCSP and CRLs identify it by, read from its DER
/// `tbsCertificate` (RFC 5280 section 4.1) rather than re-encoded: the serial number's INTEGER content,
/// the subject Name's DER (an OCSP CertID's issuerNameHash covers it) and the subjectPublicKey BIT
/// STRING's content (the issuerKeyHash covers it).
struct CertificateFields: Hashable, Sendable {
    var serialNumber: [UInt8]
    var subject: [UInt8]
    var subjectPublicKey: [UInt8]

    init(_ certificate: Certificate) throws {
        let root = try DER.parse(certificate.tbsCertificateBytes)
        (serialNumber, subject, subjectPublicKey) = try DER.sequence(root, identifier: .sequence) { nodes in
            _ = try DER.optionalExplicitlyTagged(&nodes, tagNumber: 0, tagClass: .contextSpecific) { $0 }
            guard let serial = nodes.next(), serial.identifier == .integer, case .primitive(let serialBytes) = serial.content,
                  nodes.next() != nil, // signature
                  nodes.next() != nil, // issuer
                  nodes.next() != nil, // validity
                  let subject = nodes.next(), subject.identifier == .sequence,
                  let keyInfo = nodes.next()
            else { throw ASN1Error.invalidASN1Object(reason: "truncated tbsCertificate") }
            let key = try DER.sequence(keyInfo, identifier: .sequence) { fields in
                guard fields.next() != nil, let bits = fields.next() else {
                    throw ASN1Error.invalidASN1Object(reason: "truncated subjectPublicKeyInfo")
                }
                return try ASN1BitString(derEncoded: bits).bytes
            }
            while nodes.next() != nil {} // unique identifiers, extensions
            return (Array(serialBytes), Array(subject.encodedBytes), Array(key))
        }
    }

    /// `10:0A:FF`: the serial's content bytes in upper-case hex, as `openssl` prints them.
    static func hex(_ bytes: some Collection<UInt8>) -> String {
        let digits = Array("0123456789ABCDEF")
        return bytes.map { String([digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]]) }.joined(separator: ":")
    }
}

import Foundation
import SwiftASN1
import X509

/// A parsed X.509 CRL (RFC 5280 section 5), DER or PEM: the signed bytes and signature, issuer,
/// validity, the revoked serial numbers, and what in it this checker cannot honour. Parsing checks
/// structure only; ``CertificateRevocationList/validate(issuer:url:now:clockSkew:)`` decides whether
/// to believe it.
///
/// A CRL is used only when it is complete for the certificate: a delta CRL, an indirect CRL, one
/// limited to some revocation reasons, to CA or attribute certificates, or with another critical
/// extension is refused, since its silence about a serial would not mean "good".
struct CertificateRevocationList: Sendable {
    /// One revoked certificate.
    struct Entry: Sendable, Hashable {
        var revocationDate: Date
        var reason: CRLReason?
    }

    var signature: RevocationSignature
    var issuer: DistinguishedName
    var thisUpdate: Date
    var nextUpdate: Date?
    /// By serial number (INTEGER content bytes).
    var revoked: [[UInt8]: Entry] = [:]
    /// The first reason the CRL cannot be used, if any.
    var unsupportedFeature: String?
    /// The URIs of the Issuing Distribution Point's fullName: where this CRL says it is published.
    var publishedAt: [String] = []

    init(bytes: [UInt8]) throws {
        var der = bytes
        if let first = bytes.first(where: { !$0.isASCIIWhitespace }), first == UInt8(ascii: "-") {
            der = try PEMDocument(pemString: String(decoding: bytes, as: UTF8.self)).derBytes
        }
        var parsed: (RevocationSignature, ASN1Node)?
        try DER.sequence(try DER.parse(der), identifier: .sequence) { nodes in
            guard let tbs = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "empty CertificateList") }
            parsed = (try RevocationSignature(signedBytes: tbs.encodedBytes, reading: &nodes), tbs)
        }
        guard let parsed else { throw ASN1Error.invalidASN1Object(reason: "empty CertificateList") }
        self.signature = parsed.0
        (issuer, thisUpdate, nextUpdate) = (DistinguishedName(), Date(timeIntervalSince1970: 0), nil)
        try readTBSCertList(parsed.1)
    }

    /// `TBSCertList ::= SEQUENCE { version OPTIONAL, signature, issuer, thisUpdate, nextUpdate OPTIONAL,
    /// revokedCertificates SEQUENCE OF … OPTIONAL, crlExtensions [0] EXPLICIT OPTIONAL }`.
    private mutating func readTBSCertList(_ node: ASN1Node) throws {
        try DER.sequence(node, identifier: .sequence) { nodes in
            if Self.peek(nodes)?.identifier == .integer { _ = nodes.next() }
            guard nodes.next() != nil, let issuerNode = nodes.next(), let thisUpdateNode = nodes.next() else {
                throw ASN1Error.invalidASN1Object(reason: "truncated TBSCertList")
            }
            issuer = try DistinguishedName(derEncoded: issuerNode)
            thisUpdate = try ASN1Time.date(thisUpdateNode)
            if let next = Self.peek(nodes), next.identifier == .utcTime || next.identifier == .generalizedTime {
                nextUpdate = try ASN1Time.date(nodes.next()!)
            }
            if Self.peek(nodes)?.identifier == .sequence, let entries = nodes.next() {
                try readEntries(entries)
            }
            _ = try DER.optionalExplicitlyTagged(&nodes, tagNumber: 0, tagClass: .contextSpecific) { extensions in
                for item in try DER.sequence(of: Certificate.Extension.self, identifier: .sequence, rootNode: extensions) {
                    try readExtension(item)
                }
            }
        }
    }

    /// `SEQUENCE { userCertificate INTEGER, revocationDate Time, crlEntryExtensions OPTIONAL }` each.
    private mutating func readEntries(_ node: ASN1Node) throws {
        try DER.sequence(node, identifier: .sequence) { entries in
            while let entry = entries.next() {
                try DER.sequence(entry, identifier: .sequence) { fields in
                    guard let serial = fields.next(), serial.identifier == .integer,
                          case .primitive(let serialBytes) = serial.content, let dateNode = fields.next()
                    else { throw ASN1Error.invalidASN1Object(reason: "truncated revokedCertificates entry") }
                    var reason: CRLReason?
                    if let extensions = fields.next() {
                        for item in try DER.sequence(of: Certificate.Extension.self, identifier: .sequence, rootNode: extensions) {
                            if item.oid == RevocationOID.crlReason {
                                reason = CRLReason(code: try Int(derEncoded: try DER.parse(item.value), withIdentifier: .enumerated))
                            } else if item.critical && item.oid != RevocationOID.invalidityDate {
                                unsupportedFeature = unsupportedFeature ?? "critical entry extension \(item.oid)"
                            }
                        }
                    }
                    revoked[Array(serialBytes)] = Entry(revocationDate: try ASN1Time.date(dateNode), reason: reason)
                }
            }
        }
    }

    private mutating func readExtension(_ item: Certificate.Extension) throws {
        switch item.oid {
        case RevocationOID.crlNumber, RevocationOID.authorityKeyIdentifier, RevocationOID.freshestCRL,
             RevocationOID.authorityInformationAccess:
            return
        case RevocationOID.deltaCRLIndicator:
            unsupportedFeature = unsupportedFeature ?? "delta CRL"
        case RevocationOID.issuingDistributionPoint:
            try readIssuingDistributionPoint(try DER.parse(item.value))
        default:
            if item.critical { unsupportedFeature = unsupportedFeature ?? "critical extension \(item.oid)" }
        }
    }

    /// `IssuingDistributionPoint ::= SEQUENCE { distributionPoint [0], onlyContainsUserCerts [1],
    /// onlyContainsCACerts [2], onlySomeReasons [3], indirectCRL [4], onlyContainsAttributeCerts [5] }`,
    /// implicitly tagged booleans that DER writes only when true.
    private mutating func readIssuingDistributionPoint(_ node: ASN1Node) throws {
        try DER.sequence(node, identifier: .sequence) { fields in
            while let field = fields.next() {
                guard field.identifier.tagClass == .contextSpecific else { throw ASN1Error.unexpectedFieldType(field.identifier) }
                let isTrue: Bool = if case .primitive(let bytes) = field.content { bytes.contains { $0 != 0 } } else { false }
                switch field.identifier.tagNumber {
                case 0: publishedAt = try DistributionPointName.uris(in: field)
                case 2 where isTrue: unsupportedFeature = unsupportedFeature ?? "CA certificates only"
                case 3: unsupportedFeature = unsupportedFeature ?? "some reasons only"
                case 4 where isTrue: unsupportedFeature = unsupportedFeature ?? "indirect CRL"
                case 5 where isTrue: unsupportedFeature = unsupportedFeature ?? "attribute certificates only"
                default: break
                }
            }
        }
    }

    private static func peek(_ nodes: ASN1NodeCollection.Iterator) -> ASN1Node? {
        var copy = nodes
        return copy.next()
    }
}

extension UInt8 {
    fileprivate var isASCIIWhitespace: Bool { self == 0x20 || self == 0x09 || self == 0x0A || self == 0x0D }
}

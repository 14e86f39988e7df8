import SwiftASN1
import X509

/// Where a certificate says its revocation status is published: OCSP responders from its Authority
/// Information Access extension (id-ad-ocsp) and CRLs from its CRL Distribution Points extension
/// (RFC 5280 sections 4.2.2.1 and 4.2.1.13), in certificate order, URLs of any scheme. Distribution
/// points limited to some reasons or naming another CRL issuer are left out: such CRLs alone cannot
/// say a certificate is good.
struct RevocationLocations: Hashable, Sendable {
    var ocsp: [String] = []
    var crl: [String] = []

    /// The locations of `certificate`; an extension that does not parse contributes none.
    init(_ certificate: Certificate) {
        if let access = try? certificate.extensions.authorityInformationAccess {
            for description in access where description.method == .ocspServer {
                if case .uniformResourceIdentifier(let uri) = description.location { ocsp.append(uri) }
            }
        }
        if let points = certificate.extensions[oid: RevocationOID.crlDistributionPoints],
           let uris = try? Self.distributionPointURIs(points.value) {
            crl = uris
        }
    }

    init(ocsp: [String], crl: [String]) {
        self.ocsp = ocsp
        self.crl = crl
    }

    /// `CRLDistributionPoints ::= SEQUENCE OF DistributionPoint`, `DistributionPoint ::= SEQUENCE {
    /// distributionPoint [0] OPTIONAL, reasons [1] OPTIONAL, cRLIssuer [2] OPTIONAL }`.
    private static func distributionPointURIs(_ value: ArraySlice<UInt8>) throws -> [String] {
        try DER.sequence(try DER.parse(value), identifier: .sequence) { points in
            var uris: [String] = []
            while let point = points.next() {
                try DER.sequence(point, identifier: .sequence) { fields in
                    var names: [String] = []
                    var partial = false
                    while let field = fields.next() {
                        switch (field.identifier.tagClass, field.identifier.tagNumber) {
                        case (.contextSpecific, 0): names = try DistributionPointName.uris(in: field)
                        case (.contextSpecific, 1), (.contextSpecific, 2): partial = true
                        default: throw ASN1Error.unexpectedFieldType(field.identifier)
                        }
                    }
                    if !partial { uris.append(contentsOf: names) }
                }
            }
            return uris
        }
    }
}

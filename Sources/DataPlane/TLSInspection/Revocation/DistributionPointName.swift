import SwiftASN1

/// `DistributionPointName ::= CHOICE { fullName [0] GeneralNames, nameRelativeToCRLIssuer [1] … }`
/// (RFC 5280 section 4.2.1.13), as it appears in a certificate's CRL Distribution Points and a CRL's
/// Issuing Distribution Point: only the URIs of a fullName matter here.
enum DistributionPointName {
    /// The `uniformResourceIdentifier [6] IA5String` names of the fullName in `node`, the
    /// `distributionPoint [0]` field that wraps the CHOICE (explicitly, a CHOICE being untaggable).
    static func uris(in node: ASN1Node) throws -> [String] {
        try DER.explicitlyTagged(node, tagNumber: 0, tagClass: .contextSpecific) { choice in
            guard choice.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific),
                  case .constructed(let names) = choice.content
            else { return [] } // nameRelativeToCRLIssuer: no URL
            return names.compactMap { name in
                guard name.identifier == ASN1Identifier(tagWithNumber: 6, tagClass: .contextSpecific),
                      case .primitive(let bytes) = name.content, bytes.allSatisfy({ $0 < 0x80 })
                else { return nil }
                return String(decoding: bytes, as: UTF8.self)
            }
        }
    }
}

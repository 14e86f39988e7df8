import Foundation
import SwiftASN1

/// One certificate's entry in an OCSP response (RFC 6960 section 4.2.1, `SingleResponse`).
struct OCSPSingleResponse: Sendable {
    /// What the responder says about the certificate.
    enum Status: Sendable, Hashable {
        case good
        case revoked(at: Date, reason: CRLReason?)
        case unknown
    }

    var certificateID: OCSPCertificateID
    var status: Status
    var thisUpdate: Date
    var nextUpdate: Date?

    /// Reads `SingleResponse ::= SEQUENCE { certID, certStatus, thisUpdate, nextUpdate [0] EXPLICIT
    /// OPTIONAL, singleExtensions [1] EXPLICIT OPTIONAL }`; certStatus is `good [0] IMPLICIT NULL`,
    /// `revoked [1] IMPLICIT RevokedInfo` or `unknown [2] IMPLICIT NULL`.
    init(derEncoded node: ASN1Node) throws {
        self = try DER.sequence(node, identifier: .sequence) { nodes in
            guard let idNode = nodes.next(), let statusNode = nodes.next(), let thisUpdateNode = nodes.next() else {
                throw ASN1Error.invalidASN1Object(reason: "truncated SingleResponse")
            }
            let status: Status
            switch (statusNode.identifier.tagClass, statusNode.identifier.tagNumber) {
            case (.contextSpecific, 0): status = .good
            case (.contextSpecific, 1):
                status = try DER.sequence(statusNode, identifier: statusNode.identifier) { info in
                    guard let timeNode = info.next() else { throw ASN1Error.invalidASN1Object(reason: "empty RevokedInfo") }
                    let time = ASN1Time.date(try GeneralizedTime(derEncoded: timeNode))
                    let reason = try DER.optionalExplicitlyTagged(&info, tagNumber: 0, tagClass: .contextSpecific) {
                        CRLReason(code: try Int(derEncoded: $0, withIdentifier: .enumerated))
                    }
                    return .revoked(at: time, reason: reason)
                }
            case (.contextSpecific, 2): status = .unknown
            default: throw ASN1Error.unexpectedFieldType(statusNode.identifier)
            }
            let thisUpdate = ASN1Time.date(try GeneralizedTime(derEncoded: thisUpdateNode))
            let nextUpdate = try DER.optionalExplicitlyTagged(&nodes, tagNumber: 0, tagClass: .contextSpecific) {
                ASN1Time.date(try GeneralizedTime(derEncoded: $0))
            }
            _ = try DER.optionalExplicitlyTagged(&nodes, tagNumber: 1, tagClass: .contextSpecific) { $0 }
            return OCSPSingleResponse(
                certificateID: try OCSPCertificateID(derEncoded: idNode), status: status,
                thisUpdate: thisUpdate, nextUpdate: nextUpdate
            )
        }
    }

    init(certificateID: OCSPCertificateID, status: Status, thisUpdate: Date, nextUpdate: Date?) {
        self.certificateID = certificateID
        self.status = status
        self.thisUpdate = thisUpdate
        self.nextUpdate = nextUpdate
    }
}

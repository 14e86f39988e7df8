import Foundation
import SwiftASN1
import X509

/// A parsed OCSP response (RFC 6960 section 4.2.1): its status and, when that is `successful`, the
/// BasicOCSPResponse with its signed bytes, entries, nonce and the certificates that may have signed it.
/// Parsing checks structure only; ``OCSPResponseValidator`` decides whether to believe it.
struct OCSPResponse: Sendable {
    /// `OCSPResponseStatus`: 0 successful, 1 malformedRequest, 2 internalError, 3 tryLater,
    /// 5 sigRequired, 6 unauthorized.
    var responseStatus: Int
    /// The signed part and signature; nil unless the status is successful.
    var signature: RevocationSignature?
    var producedAt: Date?
    var responses: [OCSPSingleResponse] = []
    /// The nonce extension's value, if the responder sent one.
    var nonceExtensionValue: [UInt8]?
    /// The `certs` of the BasicOCSPResponse: candidates for a delegated responder.
    var certificates: [Certificate] = []

    /// The status's name in the RFC.
    var responseStatusName: String {
        switch responseStatus {
        case 0: "successful"
        case 1: "malformedRequest"
        case 2: "internalError"
        case 3: "tryLater"
        case 5: "sigRequired"
        case 6: "unauthorized"
        default: "status \(responseStatus)"
        }
    }

    init(derEncoded bytes: [UInt8]) throws {
        var basicBytes: ArraySlice<UInt8>?
        responseStatus = try DER.sequence(try DER.parse(bytes), identifier: .sequence) { nodes in
            guard let statusNode = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "empty OCSPResponse") }
            let status = try Int(derEncoded: statusNode, withIdentifier: .enumerated)
            basicBytes = try DER.optionalExplicitlyTagged(&nodes, tagNumber: 0, tagClass: .contextSpecific) { node in
                try DER.sequence(node, identifier: .sequence) { fields in
                    let type = try ASN1ObjectIdentifier(derEncoded: &fields)
                    guard type == RevocationOID.ocspBasicResponse else {
                        throw ASN1Error.invalidASN1Object(reason: "response type \(type) is not id-pkix-ocsp-basic")
                    }
                    return try ASN1OctetString(derEncoded: &fields).bytes
                }
            }
            return status
        }
        guard responseStatus == 0 else { return }
        guard let basicBytes else { throw ASN1Error.invalidASN1Object(reason: "successful response without responseBytes") }
        try readBasicResponse(basicBytes)
    }

    /// `BasicOCSPResponse ::= SEQUENCE { tbsResponseData, signatureAlgorithm, signature,
    /// certs [0] EXPLICIT SEQUENCE OF Certificate OPTIONAL }`.
    private mutating func readBasicResponse(_ bytes: ArraySlice<UInt8>) throws {
        let (signature, data, certificates) = try DER.sequence(try DER.parse(bytes), identifier: .sequence) { nodes in
            guard let data = nodes.next() else { throw ASN1Error.invalidASN1Object(reason: "empty BasicOCSPResponse") }
            let signature = try RevocationSignature(signedBytes: data.encodedBytes, reading: &nodes)
            let certificates = try DER.optionalExplicitlyTagged(&nodes, tagNumber: 0, tagClass: .contextSpecific) {
                try DER.sequence(of: Certificate.self, identifier: .sequence, rootNode: $0)
            }
            return (signature, data, certificates ?? [])
        }
        self.signature = signature
        self.certificates = certificates
        try readResponseData(data)
    }

    /// `ResponseData ::= SEQUENCE { version [0] EXPLICIT DEFAULT v1, responderID, producedAt,
    /// responses SEQUENCE OF SingleResponse, responseExtensions [1] EXPLICIT Extensions OPTIONAL }`.
    private mutating func readResponseData(_ node: ASN1Node) throws {
        let (producedAt, responses, extensions) = try DER.sequence(node, identifier: .sequence) { nodes in
            _ = try DER.optionalExplicitlyTagged(&nodes, tagNumber: 0, tagClass: .contextSpecific) { $0 }
            guard let responder = nodes.next(), responder.identifier.tagClass == .contextSpecific,
                  let producedAtNode = nodes.next(), let responsesNode = nodes.next()
            else { throw ASN1Error.invalidASN1Object(reason: "truncated ResponseData") }
            let producedAt = ASN1Time.date(try GeneralizedTime(derEncoded: producedAtNode))
            let responses = try DER.sequence(responsesNode, identifier: .sequence) { entries in
                var responses: [OCSPSingleResponse] = []
                while let entry = entries.next() { responses.append(try OCSPSingleResponse(derEncoded: entry)) }
                return responses
            }
            let extensions = try DER.optionalExplicitlyTagged(&nodes, tagNumber: 1, tagClass: .contextSpecific) {
                try DER.sequence(of: Certificate.Extension.self, identifier: .sequence, rootNode: $0)
            }
            return (producedAt, responses, extensions ?? [])
        }
        self.producedAt = producedAt
        self.responses = responses
        self.nonceExtensionValue = extensions.first { $0.oid == RevocationOID.ocspNonce }.map { Array($0.value) }
    }
}

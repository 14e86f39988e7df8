import SwiftASN1

/// An unsigned OCSP request for one certificate (RFC 6960 section 4.1), optionally with a nonce
/// (section 4.4.1) that the responder echoes, so a replayed response is refused.
struct OCSPRequest: Sendable {
    var certificateID: OCSPCertificateID
    /// The nonce extension's value (an OCTET STRING holding the random bytes), as sent; a response's
    /// nonce extension must carry the same bytes.
    var nonceExtensionValue: [UInt8]?

    init(certificateID: OCSPCertificateID, nonce: [UInt8]?) {
        self.certificateID = certificateID
        self.nonceExtensionValue = nonce.map { bytes in
            var coder = DER.Serializer()
            coder.appendPrimitiveNode(identifier: .octetString) { $0.append(contentsOf: bytes) }
            return coder.serializedBytes
        }
    }

    /// `OCSPRequest ::= SEQUENCE { tbsRequest TBSRequest }` in DER, ready to POST as
    /// `application/ocsp-request`.
    func derEncoded() throws -> [UInt8] {
        var coder = DER.Serializer()
        try coder.appendConstructedNode(identifier: .sequence) { request in
            try request.appendConstructedNode(identifier: .sequence) { tbs in
                try tbs.appendConstructedNode(identifier: .sequence) { list in
                    try list.appendConstructedNode(identifier: .sequence) { single in
                        try certificateID.serialize(into: &single)
                    }
                }
                if let nonceExtensionValue {
                    try tbs.serialize(explicitlyTaggedWithTagNumber: 2, tagClass: .contextSpecific) { extensions in
                        try extensions.appendConstructedNode(identifier: .sequence) { sequence in
                            try sequence.appendConstructedNode(identifier: .sequence) { nonce in
                                try nonce.serialize(RevocationOID.ocspNonce)
                                try nonce.serialize(ASN1OctetString(contentBytes: nonceExtensionValue[...]))
                            }
                        }
                    }
                }
            }
        }
        return coder.serializedBytes
    }
}

import SwiftASN1
import X509

/// A signed structure of an OCSP response or CRL: the exact bytes signed, the algorithm's object
/// identifier and the signature BIT STRING's content. Verification goes through swift-certificates'
/// public key API, which handles ECDSA (DER signatures), RSA PKCS#1 v1.5 and Ed25519.
struct RevocationSignature: Sendable {
    var signedBytes: ArraySlice<UInt8>
    var algorithm: ASN1ObjectIdentifier
    var signature: ArraySlice<UInt8>

    /// Reads `signatureAlgorithm AlgorithmIdentifier, signature BIT STRING` from `nodes`.
    init(signedBytes: ArraySlice<UInt8>, reading nodes: inout ASN1NodeCollection.Iterator) throws {
        guard let algorithmNode = nodes.next(), let signatureNode = nodes.next() else {
            throw ASN1Error.invalidASN1Object(reason: "missing signature")
        }
        self.signedBytes = signedBytes
        self.algorithm = try DER.sequence(algorithmNode, identifier: .sequence) { fields in
            let oid = try ASN1ObjectIdentifier(derEncoded: &fields)
            while fields.next() != nil {} // parameters
            return oid
        }
        self.signature = try ASN1BitString(derEncoded: signatureNode).bytes
    }

    /// The algorithm as swift-certificates names it, nil for one it cannot verify (RSA-PSS, DSA, …).
    var certificateAlgorithm: Certificate.SignatureAlgorithm? {
        switch algorithm {
        case [1, 2, 840, 10045, 4, 3, 2]: .ecdsaWithSHA256
        case [1, 2, 840, 10045, 4, 3, 3]: .ecdsaWithSHA384
        case [1, 2, 840, 10045, 4, 3, 4]: .ecdsaWithSHA512
        case [1, 2, 840, 113549, 1, 1, 5]: .sha1WithRSAEncryption
        case [1, 2, 840, 113549, 1, 1, 11]: .sha256WithRSAEncryption
        case [1, 2, 840, 113549, 1, 1, 12]: .sha384WithRSAEncryption
        case [1, 2, 840, 113549, 1, 1, 13]: .sha512WithRSAEncryption
        case [1, 3, 101, 112]: .ed25519
        default: nil
        }
    }

    /// Whether `key`'s private half made this signature.
    func isValid(for key: Certificate.PublicKey) -> Bool {
        guard let algorithm = certificateAlgorithm else { return false }
        return key.isValidSignature(signature, for: signedBytes, signatureAlgorithm: algorithm)
    }
}

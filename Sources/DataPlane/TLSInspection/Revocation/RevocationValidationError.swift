import Foundation
import SwiftASN1

/// Why an OCSP response or a CRL that arrived is not believed. The descriptions follow the source in a
/// reason: `OCSP responder http://…/: expired at 2026-01-02T03:04:05.000000+0000`.
enum RevocationValidationError: Error, Hashable, CustomStringConvertible {
    /// The bytes are not a well-formed response or CRL.
    case malformed(String)
    /// The OCSP responder answered with a status other than successful (tryLater, unauthorized, …).
    case responseStatus(String)
    /// Signed with an algorithm this checker cannot verify.
    case unsupportedSignatureAlgorithm(ASN1ObjectIdentifier)
    /// The signature verifies with neither the issuer's key nor an authorized responder's.
    case badSignature
    /// The signer is a certificate in the response that the issuer did not authorize to sign OCSP
    /// (not issued by it, no id-kp-OCSPSigning, or outside its validity).
    case unauthorizedResponder
    /// The response echoes a different nonce from the request's.
    case nonceMismatch
    /// No entry of the response is for this certificate (another serial, another issuer).
    case noMatchingResponse(serial: String)
    /// thisUpdate lies in the future beyond the allowed clock skew.
    case notYetValid(Date)
    /// nextUpdate has passed.
    case expired(Date)
    /// No nextUpdate, and thisUpdate is older than the longest an answer is kept.
    case stale(Date)
    /// The CRL names another issuer than the certificate's.
    case otherIssuer
    /// The CRL has a critical extension whose meaning is not implemented (or that makes it partial:
    /// a delta CRL, an indirect CRL, one limited to some reasons or to CA certificates).
    case unsupportedCRL(String)

    var description: String {
        switch self {
        case .malformed(let detail): "malformed (\(detail))"
        case .responseStatus(let status): "response status \(status)"
        case .unsupportedSignatureAlgorithm(let oid): "signature algorithm \(oid) not supported"
        case .badSignature: "signature does not verify with the issuer's key or an authorized responder's"
        case .unauthorizedResponder: "signed by a certificate the issuer did not authorize for OCSP signing"
        case .nonceMismatch: "nonce does not match the request's"
        case .noMatchingResponse(let serial): "no response for serial \(serial)"
        case .notYetValid(let date): "not valid before \(ASN1Time.text(date))"
        case .expired(let date): "expired at \(ASN1Time.text(date))"
        case .stale(let date): "stale: produced \(ASN1Time.text(date)) without a nextUpdate"
        case .otherIssuer: "issued by another CA"
        case .unsupportedCRL(let detail): "unsupported CRL (\(detail))"
        }
    }

    /// `.malformed` with a short detail taken from a parse error.
    static func malformed(reading error: any Error) -> Self {
        if let error = error as? ASN1Error {
            return .malformed("\(error.code)")
        }
        return .malformed(String(String(describing: error).prefix(120)))
    }
}

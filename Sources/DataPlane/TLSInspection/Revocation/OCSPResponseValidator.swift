import Foundation
import X509

/// Decides whether to believe an OCSP response about one certificate (RFC 6960 sections 3.2 and 4.2.2.2):
/// the response is successful; it is signed by the issuer, or by a responder certificate included in
/// it that the issuer signed and marked id-kp-OCSPSigning and that is within its validity; any nonce
/// echoes the request's; an entry names this certificate; and that entry is current
/// (``RevocationFreshness``).
struct OCSPResponseValidator {
    var request: OCSPRequest
    var issuer: Certificate
    var issuerFields: CertificateFields
    var now: Date
    var freshness: RevocationFreshness

    /// The entry for the requested certificate, once everything above holds.
    func validate(_ bytes: [UInt8]) throws(RevocationValidationError) -> OCSPSingleResponse {
        let response: OCSPResponse
        do {
            response = try OCSPResponse(derEncoded: bytes)
        } catch {
            throw .malformed(reading: error)
        }
        guard response.responseStatus == 0, let signature = response.signature else {
            throw .responseStatus(response.responseStatusName)
        }
        try verifySigner(signature, certificates: response.certificates)
        if let sent = request.nonceExtensionValue, let echoed = response.nonceExtensionValue, sent != echoed {
            throw .nonceMismatch
        }
        let serial = request.certificateID.serialNumber
        guard let entry = response.responses.first(where: {
            $0.certificateID.identifies(serialNumber: serial, issuer: issuerFields)
        }) else {
            throw .noMatchingResponse(serial: CertificateFields.hex(serial))
        }
        try freshness.check(thisUpdate: entry.thisUpdate, nextUpdate: entry.nextUpdate, now: now)
        return entry
    }

    private func verifySigner(_ signature: RevocationSignature, certificates: [Certificate]) throws(RevocationValidationError) {
        guard signature.certificateAlgorithm != nil else { throw .unsupportedSignatureAlgorithm(signature.algorithm) }
        if signature.isValid(for: issuer.publicKey) { return }
        var signedByUnauthorized = false
        for candidate in certificates.prefix(4) where signature.isValid(for: candidate.publicKey) {
            if isAuthorizedResponder(candidate) { return }
            signedByUnauthorized = true
        }
        throw signedByUnauthorized ? .unauthorizedResponder : .badSignature
    }

    /// A delegated responder: issued and signed by the issuer, id-kp-OCSPSigning, currently valid.
    private func isAuthorizedResponder(_ candidate: Certificate) -> Bool {
        guard candidate.issuer == issuer.subject,
              issuer.publicKey.isValidSignature(candidate.signature, for: candidate),
              let usages = try? candidate.extensions.extendedKeyUsage,
              usages.contains(.ocspSigning)
        else { return false }
        return freshness.covers(notBefore: candidate.notValidBefore, notAfter: candidate.notValidAfter, now: now)
    }
}

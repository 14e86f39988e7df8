import Foundation
import X509

extension CertificateRevocationList {
    /// Checks that this CRL, fetched from `url`, speaks for `issuer`'s certificates: it names the
    /// issuer, the issuer's key signed it, it is complete (nothing in ``unsupportedFeature``), any
    /// Issuing Distribution Point names `url` (a partition served in another's place would be silent
    /// about the serials it lacks), and it is current.
    func validate(issuer: Certificate, url: String, now: Date, freshness: RevocationFreshness) throws(RevocationValidationError) {
        guard self.issuer == issuer.subject else { throw .otherIssuer }
        guard signature.certificateAlgorithm != nil else { throw .unsupportedSignatureAlgorithm(signature.algorithm) }
        guard signature.isValid(for: issuer.publicKey) else { throw .badSignature }
        if let unsupportedFeature { throw .unsupportedCRL(unsupportedFeature) }
        if !publishedAt.isEmpty, !publishedAt.contains(url) {
            throw .unsupportedCRL("its issuing distribution point is another URL")
        }
        try freshness.check(thisUpdate: thisUpdate, nextUpdate: nextUpdate, now: now)
    }
}

public import Foundation
@_spi(FixedExpiryValidationTime) public import X509

/// Verifies the certificate chain an upstream server presents against the system trust store plus the
/// operator's bundle (`rampart serve --upstream-trust-bundle`), with RFC 5280's rules (signatures,
/// validity at `now`, basic constraints, key usage, name constraints). The server's name is checked
/// separately (``ServerIdentity``) so that a mismatch is reported as such.
public struct UpstreamVerifier: Sendable {
    /// The result of a verification.
    public enum Result: Sendable {
        /// The chain from the server's leaf to a trusted root.
        case trusted([Certificate])
        /// Why no trusted chain exists (for events; no key material).
        case untrusted(String)
    }

    let roots: CertificateStore

    /// A verifier trusting the system store plus `additionalRoots`.
    public init(additionalRoots: [Certificate]) {
        roots = CertificateStore.systemTrustRoots.appending(contentsOf: additionalRoots)
    }

    /// Verifies `presented` (the server's leaf first, then what it sent with it).
    public func verify(presented: [Certificate], now: Date) async -> Result {
        guard let leaf = presented.first else { return .untrusted("the server sent no certificate") }
        var verifier = Verifier(rootCertificates: roots) {
            RFC5280Policy(fixedExpiryValidationTime: now)
        }
        let result = await verifier.validate(leaf: leaf, intermediates: CertificateStore(presented.dropFirst()))
        switch result {
        case .validCertificate(let chain):
            return .trusted(Array(chain))
        case .couldNotValidate(let failures):
            if let failure = failures.first {
                return .untrusted("certificate chain not trusted: \(failure.policyFailureReason)")
            }
            return .untrusted("certificate chain not trusted: no path from \(leaf.issuer) to a trusted root")
        }
    }
}

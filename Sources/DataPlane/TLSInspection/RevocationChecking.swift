import X509

/// What the TLS engine needs of revocation checking: ``RevocationChecker`` in a worker; tests substitute
/// their own.
protocol RevocationChecking: Sendable {
    /// `certificate`'s status, `issuer` being the certificate that signed it.
    func check(_ certificate: Certificate, issuer: Certificate) async -> RevocationResult
}

extension RevocationChecker: RevocationChecking {}

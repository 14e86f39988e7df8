/// A revocation check's status, which source decided it and why, for events and logs.
public struct RevocationResult: Sendable, Hashable {
    /// The decision.
    public var status: RevocationStatus
    /// Where the decision came from: `"ocsp"`, `"crl"`, or `"none"` when no source answered.
    public var source: String
    /// A human reason for events, naming the URLs asked and what each said, for example
    /// `OCSP responder http://198.19.0.2:8888/: revoked (keyCompromise) at 2026-01-02T03:04:05.000000+0000` or
    /// `no OCSP or CRL location in the certificate`. Never key material or whole certificates.
    public var reason: String

    /// A result with the given fields.
    public init(status: RevocationStatus, source: String, reason: String) {
        self.status = status
        self.source = source
        self.reason = reason
    }
}

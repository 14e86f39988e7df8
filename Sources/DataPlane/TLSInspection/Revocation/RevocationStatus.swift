/// The outcome of a revocation check: what the certificate's issuer says about it, or that nothing
/// usable was learnt (no location, unreachable responder, an answer that fails verification, or the
/// responder's own "unknown").
///
/// TLS inspection applies `RevokedStatusAction` to `.revoked` and `UnknownStatusAction` to `.unknown`.
public enum RevocationStatus: String, Sendable, Hashable {
    /// The issuer vouches that the certificate is not revoked.
    case good
    /// The issuer has revoked the certificate.
    case revoked
    /// No source gave a verified answer.
    case unknown
}

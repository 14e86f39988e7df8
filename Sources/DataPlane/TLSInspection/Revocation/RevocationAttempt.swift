import Foundation

/// What asking one source (an OCSP responder or a CRL URL) produced: a verified status, or none, with
/// the reason phrase and how long the outcome may be kept.
struct RevocationAttempt: Sendable {
    /// `.good` or `.revoked` decide; `.unknown` is a verified "unknown" from an OCSP responder; nil is
    /// no answer (unreachable, malformed, not believed).
    var status: RevocationStatus?
    /// `OCSP responder http://…/: good`, `CRL http://…/ca.crl unreachable: connection refused`.
    var reason: String
    var expires: Date

    var decides: Bool { status == .good || status == .revoked }
}

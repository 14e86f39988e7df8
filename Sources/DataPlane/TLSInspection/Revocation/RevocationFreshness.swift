import Foundation

/// When an OCSP entry or a CRL is current: thisUpdate not in the future and nextUpdate not past, each
/// with `clockSkew` of tolerance for the two clocks; without a nextUpdate ("newer information is
/// always available", RFC 6960 section 4.2.2.1), no older than `maximumAge`, so a replayed old answer
/// is refused.
struct RevocationFreshness: Sendable {
    var clockSkew: TimeInterval
    var maximumAge: TimeInterval

    func check(thisUpdate: Date, nextUpdate: Date?, now: Date) throws(RevocationValidationError) {
        if thisUpdate > now.addingTimeInterval(clockSkew) { throw .notYetValid(thisUpdate) }
        if let nextUpdate {
            if nextUpdate < now.addingTimeInterval(-clockSkew) { throw .expired(nextUpdate) }
        } else if thisUpdate.addingTimeInterval(maximumAge) < now {
            throw .stale(thisUpdate)
        }
    }

    /// Whether a certificate (a delegated OCSP responder's) is within its validity at `now`.
    func covers(notBefore: Date, notAfter: Date, now: Date) -> Bool {
        notBefore <= now.addingTimeInterval(clockSkew) && notAfter >= now.addingTimeInterval(-clockSkew)
    }
}

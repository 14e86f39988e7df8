import Crypto
public import Foundation
public import X509

/// Decides whether an upstream server's certificate is revoked, for TLS inspection's
/// `CheckCertificateRevocationStatus`: OCSP first (RFC 6960; the responders of the certificate's
/// Authority Information Access), then the CRLs of its CRL Distribution Points (RFC 5280) when OCSP
/// gives no answer; `.unknown` with the reasons when neither does.
///
/// Answers are cached for their validity — an OCSP answer per issuer key and serial number until its
/// nextUpdate, a CRL per URL until its nextUpdate, both capped by
/// ``Configuration/maximumLifetime`` and ``Configuration/defaultLifetime`` when there is no
/// nextUpdate — because a TLS handshake waits for the check and responders are slow and rate-limit.
/// An outcome without an answer (a responder unreachable, an answer not believed) is cached only for
/// ``Configuration/failureLifetime``, so a responder coming back is noticed. Concurrent checks of the
/// same certificate, and concurrent fetches of the same CRL, share one fetch.
///
/// An actor: the caches are low-rate shared state. Fetches run on the fetcher, outside the actor.
public actor RevocationChecker {
    /// A certificate as OCSP names it: SHA-1 of the issuer's public key, and the serial number.
    struct CertificateKey: Hashable {
        var issuerKeyHash: [UInt8]
        var serialNumber: [UInt8]
    }

    /// A CRL that verified, and the issuer key it verified with.
    struct VerifiedCRL {
        var list: CertificateRevocationList
        var issuerPublicKey: [UInt8]
        var expires: Date
    }

    /// The result of fetching and parsing a CRL, shared by concurrent checks.
    enum CRLDownload: Sendable {
        case parsed(CertificateRevocationList)
        /// The phrase that follows the URL: `unreachable: …`, `: malformed (…)`.
        case failed(String)
    }

    let fetcher: any RevocationFetching
    let configuration: Configuration
    let now: @Sendable () -> Date
    var results: ExpiringCache<CertificateKey, RevocationResult>
    var crls: ExpiringCache<String, VerifiedCRL>
    var pendingChecks = PendingRequests<CertificateKey, RevocationResult>()
    var pendingCRLs = PendingRequests<String, CRLDownload>()

    /// A checker that fetches with `fetcher` and reads the time from `now`.
    public init(
        fetcher: any RevocationFetching, configuration: Configuration = Configuration(),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.fetcher = fetcher
        self.configuration = configuration
        self.now = now
        self.results = ExpiringCache(capacity: configuration.maximumCachedResults)
        self.crls = ExpiringCache(capacity: configuration.maximumCachedCRLs)
    }

    /// `certificate`'s revocation status, `issuer` being the certificate that signed it in the
    /// validated chain (its name and key identify the certificate to OCSP and verify the answers).
    public func check(_ certificate: Certificate, issuer: Certificate) async -> RevocationResult {
        let fields: CertificateFields
        let issuerFields: CertificateFields
        do {
            fields = try CertificateFields(certificate)
            issuerFields = try CertificateFields(issuer)
        } catch {
            return RevocationResult(status: .unknown, source: "none", reason: "certificate fields unreadable")
        }
        let key = CertificateKey(
            issuerKeyHash: Array(Insecure.SHA1.hash(data: issuerFields.subjectPublicKey)),
            serialNumber: fields.serialNumber
        )
        while true {
            if let cached = results.value(for: key, now: now()) { return cached }
            if pendingChecks.claim(key) {
                let (result, expires) = await evaluate(certificate, fields: fields, issuer: issuer, issuerFields: issuerFields)
                if Task.isCancelled {
                    pendingChecks.finish(key, with: nil)
                } else {
                    results.insert(result, for: key, expires: expires, now: now())
                    pendingChecks.finish(key, with: result)
                }
                return result
            }
            if let shared = await withCheckedContinuation({ pendingChecks.wait(for: key, $0) }) {
                return shared
            }
        }
    }

    /// Asks the sources in order and combines what they said.
    private func evaluate(
        _ certificate: Certificate, fields: CertificateFields, issuer: Certificate, issuerFields: CertificateFields
    ) async -> (RevocationResult, expires: Date) {
        let locations = RevocationLocations(certificate)
        let limit = configuration.maximumLocationsPerSource
        let ocspURLs = locations.ocsp.filter { RevocationURL($0) != nil }.prefix(limit)
        let crlURLs = locations.crl.filter { RevocationURL($0) != nil }.prefix(limit)
        guard !ocspURLs.isEmpty || !crlURLs.isEmpty else {
            let reason = locations.ocsp.isEmpty && locations.crl.isEmpty
                ? "no OCSP or CRL location in the certificate"
                : "no http:// OCSP or CRL location in the certificate"
            return (RevocationResult(status: .unknown, source: "none", reason: reason), expiry(nextUpdate: nil))
        }

        var notes: [String] = []
        var expires = now().addingTimeInterval(configuration.maximumLifetime.timeInterval)
        var source = "none"
        if ocspURLs.isEmpty { notes.append("no OCSP responder in the certificate") }
        for url in ocspURLs {
            let attempt = await askResponder(url, fields: fields, issuer: issuer, issuerFields: issuerFields)
            if attempt.decides {
                return (RevocationResult(status: attempt.status!, source: "ocsp", reason: attempt.reason), attempt.expires)
            }
            if attempt.status == .unknown { source = "ocsp" }
            notes.append(attempt.reason)
            expires = min(expires, attempt.expires)
        }
        if crlURLs.isEmpty { notes.append("no CRL location in the certificate") }
        for url in crlURLs {
            let attempt = await consultCRL(url, fields: fields, issuer: issuer, issuerFields: issuerFields)
            if attempt.decides {
                let reason = ([attempt.reason] + notes).joined(separator: "; ")
                return (RevocationResult(status: attempt.status!, source: "crl", reason: reason), attempt.expires)
            }
            notes.append(attempt.reason)
            expires = min(expires, attempt.expires)
        }
        return (RevocationResult(status: .unknown, source: source, reason: notes.joined(separator: "; ")), expires)
    }

    /// How long an answer with `nextUpdate` may be kept: until then, or ``Configuration/defaultLifetime``
    /// without one, never longer than ``Configuration/maximumLifetime`` nor shorter than
    /// ``Configuration/failureLifetime`` (an answer accepted within the clock skew after its nextUpdate).
    func expiry(nextUpdate: Date?) -> Date {
        let current = now()
        let lifetime = nextUpdate.map { $0.timeIntervalSince(current) } ?? configuration.defaultLifetime.timeInterval
        let bounded = min(max(lifetime, configuration.failureLifetime.timeInterval), configuration.maximumLifetime.timeInterval)
        return current.addingTimeInterval(bounded)
    }

    /// How long an outcome without an answer is kept.
    func failureExpiry() -> Date {
        now().addingTimeInterval(configuration.failureLifetime.timeInterval)
    }

    var freshness: RevocationFreshness {
        RevocationFreshness(clockSkew: configuration.clockSkew.timeInterval, maximumAge: configuration.maximumLifetime.timeInterval)
    }

    /// The phrase that follows a URL for a fetch that failed.
    static func phrase(for error: any Error) -> String {
        switch error {
        case let error as RevocationFetchError: error.description
        case is CancellationError: "not asked: check cancelled"
        default: "unreachable: \(error)"
        }
    }
}

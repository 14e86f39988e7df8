extension RevocationChecker {
    /// Tolerances, lifetimes and bounds of a ``RevocationChecker``; the defaults suit a firewall.
    public struct Configuration: Sendable {
        /// How far the responder's clock may be from ours when judging thisUpdate and nextUpdate.
        public var clockSkew: Duration = .seconds(5 * 60)
        /// How long an answer without nextUpdate is kept (and "no location" outcomes).
        public var defaultLifetime: Duration = .seconds(60 * 60)
        /// The longest any answer or CRL is kept, whatever its nextUpdate; also the oldest an answer
        /// without nextUpdate may be.
        public var maximumLifetime: Duration = .seconds(7 * 24 * 60 * 60)
        /// How long an outcome that no source answered (unreachable, malformed, bad signature) is kept,
        /// so a responder coming back is noticed soon.
        public var failureLifetime: Duration = .seconds(30)
        /// The most certificate outcomes kept.
        public var maximumCachedResults = 10_000
        /// The most CRLs kept (each up to the fetcher's response limit).
        public var maximumCachedCRLs = 64
        /// The most OCSP responders, and the most CRL URLs, tried per certificate: each may cost the
        /// fetcher's whole timeout.
        public var maximumLocationsPerSource = 2
        /// Whether OCSP requests carry a nonce (RFC 8954) that the response must echo when it has one.
        public var sendsNonce = true

        /// The defaults.
        public init() {}
    }
}

extension Duration {
    /// The duration in seconds, for `Date` arithmetic.
    var timeInterval: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

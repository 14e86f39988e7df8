/// The bounds that keep per-flow application-layer state small whatever the peers send.
enum AppLayerLimits {
    /// Bytes a parser may hold per direction for one incomplete message (an HTTP head, a TLS handshake
    /// message, a DNS-over-TCP message); past it the parser gives up on that direction.
    static let bufferedBytesPerDirection = 64 * 1024
    /// Bytes of an HTTP body kept for `http.request_body` / `http.response_body`.
    static let bodyInspectionBytes = 64 * 1024
    /// Bytes seen in a direction without recognising a protocol before detection gives up.
    static let detectionBytes = 4 * 1024
    /// UDP datagrams seen without recognising DNS before detection gives up.
    static let detectionDatagrams = 4
    /// HTTP requests waiting for their responses (pipelining) before request parsing gives up.
    static let pendingHTTPTransactions = 64
    /// DNS records decoded per message section.
    static let dnsRecordsPerSection = 64
    /// Certificates of a chain walked for the first one's fields (the rest are only skipped).
    static let chainCertificates = 16
}

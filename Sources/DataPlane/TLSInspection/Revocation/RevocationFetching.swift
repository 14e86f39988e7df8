/// The transport the revocation checker fetches OCSP responses and CRLs with; a protocol so that tests
/// can answer from fixtures.
public protocol RevocationFetching: Sendable {
    /// GETs (`body` nil) or POSTs (`body` with `contentType`) to an `http://` URL and returns the
    /// response body, bounded in size and time.
    ///
    /// - Throws: on transport errors, timeouts, oversized bodies or a status other than 200; a
    ///   ``RevocationFetchError`` from the fetchers of this module.
    func fetch(url: String, body: [UInt8]?, contentType: String?) async throws -> [UInt8]
}

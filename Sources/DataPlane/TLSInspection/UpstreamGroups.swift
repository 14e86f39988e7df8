import NIOSSL

/// The key-exchange groups the engine offers the server: those the client offered that the engine
/// supports, in the engine's order of preference.
///
/// The connection toward the server is then no weaker than the client's own would have been (a client
/// offering a post-quantum hybrid keeps it), and no costlier either: a client without the hybrid does not
/// get one added, whose ML-KEM key share the engine would generate for every connection and most servers
/// would ignore.
enum UpstreamGroups {
    /// The groups the engine can offer, most preferred first: BoringSSL's default set with the
    /// X25519/ML-KEM-768 hybrid ahead, and P-521.
    static let supported: [NIOTLSCurve] = [.x25519_MLKEM768, .x25519, .secp256r1, .secp384r1, .secp521r1]

    /// The groups to offer for a ClientHello that offered `clientGroups` (`supported_groups` code points,
    /// GREASE and unknown ones included). Nil when the client offered none the engine supports (or no
    /// extension at all, as TLS 1.2-only clients may): the engine's default set then.
    static func offer(forClientGroups clientGroups: [UInt16]) -> [NIOTLSCurve]? {
        let shared = supported.filter { clientGroups.contains($0.rawValue) }
        return shared.isEmpty ? nil : shared
    }
}

/// What content rules see of a TLS connection once it carries encrypted application data (Suricata's
/// `app-layer.protocols.tls.encryption-handling`).
public enum TLSEncryptionHandling: String, Sendable, Hashable, CaseIterable {
    /// The raw bytes are no longer inspected by rules with payload keywords (Suricata's default).
    case `default`
    /// They keep being inspected.
    case full
}

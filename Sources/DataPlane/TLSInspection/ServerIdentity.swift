public import Shared
import SwiftASN1
public import X509

/// Whether a server certificate covers the name a client asked for (RFC 6125 section 6.4, as browsers
/// apply it): only the subject alternative names count, never the common name; a DNS name matches
/// case-insensitively, ignoring one trailing dot; a wildcard is allowed only as the whole leftmost label
/// (`*.example.com`) and stands for exactly one non-empty label; an IP address SNI (which clients should
/// not send, but some do) matches an IP address SAN.
public enum ServerIdentity {
    /// The DNS names and IP addresses among a certificate's subject alternative names.
    public struct Names: Sendable, Hashable {
        public var dns: [String] = []
        public var ip: [IPAddress] = []
    }

    /// The DNS names and IP addresses of `certificate`'s subject alternative names.
    public static func names(of certificate: Certificate) -> Names {
        guard let sans = try? certificate.extensions.subjectAlternativeNames else { return Names() }
        var dns: [String] = []
        var ip: [IPAddress] = []
        for name in sans {
            switch name {
            case .dnsName(let value): dns.append(value)
            case .ipAddress(let octets):
                if let address = IPAddress(networkOrder: octets.bytes) { ip.append(address) }
            default: break
            }
        }
        return Names(dns: dns, ip: ip)
    }

    /// Whether `certificate`'s SANs cover `serverName`.
    public static func covers(_ certificate: Certificate, serverName: String) -> Bool {
        covers(names(of: certificate), serverName: serverName)
    }

    /// Whether the SANs `names` (read once with ``names(of:)``) cover `serverName`.
    public static func covers(_ names: Names, serverName: String) -> Bool {
        if let address = IPAddress(serverName) { return names.ip.contains(address) }
        return names.dns.contains { matches(pattern: $0, name: serverName) }
    }

    /// Whether the SAN `pattern` matches `name`.
    public static func matches(pattern: String, name: String) -> Bool {
        let pattern = normalized(pattern)
        let name = normalized(name)
        guard !pattern.isEmpty, !name.isEmpty else { return false }
        guard pattern.hasPrefix("*.") else { return pattern == name }
        let suffix = pattern.dropFirst(1)  // ".example.com"
        // The suffix must itself be a name of at least two labels: `*.com` covers nothing.
        guard suffix.dropFirst().contains("."), !suffix.contains("*") else { return false }
        guard name.hasSuffix(suffix) else { return false }
        let label = name.dropLast(suffix.count)
        return !label.isEmpty && !label.contains(".")
    }

    private static func normalized(_ name: String) -> String {
        var lowered = name.lowercased()
        if lowered.hasSuffix(".") { lowered.removeLast() }
        return lowered
    }
}

/// A network: an address and a prefix length.
public struct CIDR: Hashable, Sendable, CustomStringConvertible {
    public let network: IPAddress
    public let prefixLength: Int

    /// A network from an address and prefix; host bits are cleared.
    public init(_ address: IPAddress, prefixLength: Int) {
        precondition(prefixLength >= 0 && prefixLength <= address.bitWidth)
        network = address.masked(to: prefixLength)
        self.prefixLength = prefixLength
    }

    /// Parses `a.b.c.d/n`, `x::/n` or a bare address (a host route); nil when malformed.
    public init?(_ text: Substring) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPAddress(parts[0]) else { return nil }
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].allSatisfy(\.isASCIIDigit), let length = Int(parts[1]),
                  length <= address.bitWidth
            else { return nil }
            self.init(address, prefixLength: length)
        } else {
            self.init(address, prefixLength: address.bitWidth)
        }
    }

    /// Parses CIDR text; nil when malformed.
    public init?(_ text: String) {
        self.init(Substring(text))
    }

    /// The whole IPv4 space.
    public static let allV4 = CIDR(IPAddress(v4: 0), prefixLength: 0)
    /// The whole IPv6 space.
    public static let allV6 = CIDR(IPAddress(v6High: 0, low: 0), prefixLength: 0)

    /// Whether `address` is inside the network.
    @inline(__always)
    public func contains(_ address: IPAddress) -> Bool {
        address.family == network.family && address.masked(to: prefixLength) == network
    }

    public var description: String { "\(network)/\(prefixLength)" }
}

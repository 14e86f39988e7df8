public import Shared

/// A rule's source or destination as written in Suricata syntax, with every `$VARIABLE` already replaced
/// by its definition (a variable becomes a `.list` of its entries).
public indirect enum AddressExpression: Sendable, Hashable, CustomStringConvertible {
    /// `any`: every IPv4 and IPv6 address.
    case any
    /// One address (a host network) or CIDR.
    case network(CIDR)
    /// `[a,b,…]`.
    case list([AddressExpression])
    /// `!x`.
    case negated(AddressExpression)

    /// Canonical Suricata text: `any`, `10.0.0.0/8`, `192.0.2.1`, `[a,b]`, `!x`.
    public var description: String {
        switch self {
        case .any:
            "any"
        case .network(let cidr):
            cidr.prefixLength == cidr.network.bitWidth ? cidr.network.description : cidr.description
        case .list(let items):
            "[" + items.map(\.description).joined(separator: ",") + "]"
        case .negated(let inner):
            "!" + inner.description
        }
    }

    /// Whether a `!` appears anywhere in the expression.
    public var usesNegation: Bool {
        switch self {
        case .any, .network: false
        case .list(let items): items.contains { $0.usesNegation }
        case .negated: true
        }
    }

    /// The addresses the expression matches, with Suricata's semantics: each bracket level is the union
    /// of its positive entries minus the union of its negated entries, and a level with negated entries
    /// of one address family but no positive entries of that family starts from that whole family
    /// (`!10.0.0.0/8` matches every other IPv4 address and no IPv6 address).
    var addressSet: AddressSet {
        switch self {
        case .list(let items): AddressExpression.resolveLevel(items)
        case .negated: AddressExpression.resolveLevel([self])
        case .any: .all
        case .network(let cidr): AddressSet(cidr)
        }
    }

    private static func resolveLevel(_ items: [AddressExpression]) -> AddressSet {
        var positive = AddressSet.empty
        var negative = AddressSet.empty
        for item in items {
            if case .negated(let inner) = item {
                negative = negative.union(inner.addressSet)
            } else {
                positive = positive.union(item.addressSet)
            }
        }
        if positive.v4.isEmpty, !negative.v4.isEmpty { positive.v4 = .full }
        if positive.v6.isEmpty, !negative.v6.isEmpty { positive.v6 = .full }
        return positive.subtracting(negative)
    }
}

/// A rule's source or destination port as written, with `$VARIABLES` replaced by their definitions.
public indirect enum PortExpression: Sendable, Hashable, CustomStringConvertible {
    /// `any`.
    case any
    /// `80` (a range of one port) or `1024:65535`.
    case range(ClosedRange<UInt16>)
    /// `[a,b,…]`.
    case list([PortExpression])
    /// `!x`.
    case negated(PortExpression)

    /// Canonical Suricata text: `any`, `80`, `1024:65535`, `[80,443]`, `!22`.
    public var description: String {
        switch self {
        case .any:
            "any"
        case .range(let range):
            range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound):\(range.upperBound)"
        case .list(let items):
            "[" + items.map(\.description).joined(separator: ",") + "]"
        case .negated(let inner):
            "!" + inner.description
        }
    }

    /// The ports the expression matches; lists and negations resolve as for addresses.
    var portSet: IntervalSet<UInt16> {
        switch self {
        case .any: .full
        case .range(let range): IntervalSet(normalizing: [range])
        case .list(let items): PortExpression.resolveLevel(items)
        case .negated: PortExpression.resolveLevel([self])
        }
    }

    private static func resolveLevel(_ items: [PortExpression]) -> IntervalSet<UInt16> {
        var positive = IntervalSet<UInt16>.empty
        var negative = IntervalSet<UInt16>.empty
        var sawPositive = false
        for item in items {
            if case .negated(let inner) = item {
                negative = negative.union(inner.portSet)
            } else {
                sawPositive = true
                positive = positive.union(item.portSet)
            }
        }
        if !sawPositive { positive = .full }
        return positive.subtracting(negative)
    }
}

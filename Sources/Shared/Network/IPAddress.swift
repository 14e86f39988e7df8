import Foundation

/// An IPv4 or IPv6 address held in 128 bits; IPv4 addresses keep their own family so that a
/// v4 CIDR never matches a v6 packet. A value type with no allocation, for the packet path.
public struct IPAddress: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The address family.
    public enum Family: UInt8, Sendable {
        case v4 = 4
        case v6 = 6
    }

    public let family: Family
    /// High 64 bits (IPv6) or 0 (IPv4).
    public let high: UInt64
    /// Low 64 bits (IPv6) or the IPv4 address in the low 32 bits.
    public let low: UInt64

    /// An IPv4 address from its host-order 32-bit value.
    public init(v4: UInt32) {
        family = .v4
        high = 0
        low = UInt64(v4)
    }

    /// An IPv6 address from its two host-order halves.
    public init(v6High: UInt64, low: UInt64) {
        family = .v6
        high = v6High
        self.low = low
    }

    /// An address from its bytes in network order: 4 for IPv4, 16 for IPv6; nil for any other count.
    @inlinable
    public init?<Bytes: Collection>(networkOrder bytes: Bytes) where Bytes.Element == UInt8 {
        switch bytes.count {
        case 4:
            self.init(v4: bytes.reduce(0) { $0 << 8 | UInt32($1) })
        case 16:
            let high = bytes.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let low = bytes.dropFirst(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            self.init(v6High: high, low: low)
        default:
            return nil
        }
    }

    /// The number of bits in an address of this family.
    public var bitWidth: Int { family == .v4 ? 32 : 128 }

    /// Parses dotted-quad IPv4 or RFC 4291 IPv6 text; nil if it is neither.
    public init?(_ text: Substring) {
        // Most text asked about is a host name: one pass over its bytes turns it away before any splitting.
        guard !text.isEmpty, text.utf8.allSatisfy(IPAddress.mayAppearInAddress) else { return nil }
        if text.utf8.contains(UInt8(ascii: ":")) {
            guard let parsed = IPAddress.parseV6(text) else { return nil }
            self = parsed
        } else {
            guard let parsed = IPAddress.parseV4(text) else { return nil }
            self = IPAddress(v4: parsed)
        }
    }

    /// Parses dotted-quad IPv4 or RFC 4291 IPv6 text; nil if it is neither.
    public init?(_ text: String) {
        self.init(Substring(text))
    }

    /// Whether `byte` can appear in the text of an address: a hex digit, `.` or `:`.
    private static func mayAppearInAddress(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"),
             UInt8(ascii: "."), UInt8(ascii: ":"):
            true
        default:
            false
        }
    }

    private static func parseV4(_ text: Substring) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCIIDigit), let octet = UInt32(part), octet <= 255 else {
                return nil
            }
            value = value << 8 | octet
        }
        return value
    }

    private static func parseV6(_ text: Substring) -> IPAddress? {
        var groups: [UInt16] = []
        var tailGroups: [UInt16] = []
        var sawDoubleColon = false
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func parseGroups(_ part: String, into out: inout [UInt16], allowV4Tail: Bool) -> Bool {
            if part.isEmpty { return true }
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if allowV4Tail, index == pieces.count - 1, piece.contains(".") {
                    guard let v4 = parseV4(piece) else { return false }
                    out.append(UInt16(v4 >> 16))
                    out.append(UInt16(v4 & 0xFFFF))
                    continue
                }
                guard !piece.isEmpty, piece.count <= 4, let group = UInt16(piece, radix: 16) else { return false }
                out.append(group)
            }
            return true
        }
        if halves.count == 2 {
            sawDoubleColon = true
            guard parseGroups(halves[0], into: &groups, allowV4Tail: false),
                  parseGroups(halves[1], into: &tailGroups, allowV4Tail: true)
            else { return nil }
        } else {
            guard parseGroups(halves[0], into: &groups, allowV4Tail: true) else { return nil }
        }
        let total = groups.count + tailGroups.count
        if sawDoubleColon {
            guard total <= 7 else { return nil }
            groups += Array(repeating: 0, count: 8 - total) + tailGroups
        } else {
            guard total == 8 else { return nil }
        }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for index in 0..<4 { high = high << 16 | UInt64(groups[index]) }
        for index in 4..<8 { low = low << 16 | UInt64(groups[index]) }
        return IPAddress(v6High: high, low: low)
    }

    public static func < (lhs: IPAddress, rhs: IPAddress) -> Bool {
        if lhs.family != rhs.family { return lhs.family.rawValue < rhs.family.rawValue }
        return (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }

    /// The address with every bit below `prefixLength` cleared.
    public func masked(to prefixLength: Int) -> IPAddress {
        switch family {
        case .v4:
            let mask: UInt32 = prefixLength == 0 ? 0 : UInt32.max << UInt32(32 - prefixLength)
            return IPAddress(v4: UInt32(truncatingIfNeeded: low) & mask)
        case .v6:
            let highMask: UInt64 = prefixLength >= 64 ? .max : (prefixLength == 0 ? 0 : UInt64.max << UInt64(64 - prefixLength))
            let lowMask: UInt64 = prefixLength <= 64 ? 0 : (prefixLength == 128 ? .max : UInt64.max << UInt64(128 - prefixLength))
            return IPAddress(v6High: high & highMask, low: low & lowMask)
        }
    }

    public var description: String {
        switch family {
        case .v4:
            let value = UInt32(truncatingIfNeeded: low)
            return "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
        case .v6:
            return IPAddress.formatV6(high: high, low: low)
        }
    }

    /// RFC 5952 text: lower case, the longest run of two or more zero groups as `::`.
    private static func formatV6(high: UInt64, low: UInt64) -> String {
        var groups: [UInt16] = []
        for shift in stride(from: 48, through: 0, by: -16) { groups.append(UInt16(truncatingIfNeeded: high >> UInt64(shift))) }
        for shift in stride(from: 48, through: 0, by: -16) { groups.append(UInt16(truncatingIfNeeded: low >> UInt64(shift))) }
        var bestStart = -1
        var bestLength = 0
        var index = 0
        while index < 8 {
            if groups[index] == 0 {
                var end = index
                while end < 8, groups[end] == 0 { end += 1 }
                if end - index > bestLength, end - index >= 2 {
                    bestStart = index
                    bestLength = end - index
                }
                index = end
            } else {
                index += 1
            }
        }
        func hex(_ slice: ArraySlice<UInt16>) -> String {
            slice.map { String($0, radix: 16) }.joined(separator: ":")
        }
        if bestStart < 0 { return hex(groups[...]) }
        return hex(groups[0..<bestStart]) + "::" + hex(groups[(bestStart + bestLength)...])
    }
}

extension Character {
    /// Whether the character is an ASCII digit 0-9.
    var isASCIIDigit: Bool { isASCII && isNumber }
}

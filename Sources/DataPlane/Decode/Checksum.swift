/// The Internet checksum (RFC 1071) and the checks a receiver makes with it: the IPv4 header
/// checksum and the TCP, UDP, ICMP and ICMPv6 checksums (all but ICMP over a pseudo-header of the
/// IP addresses, protocol and length; RFC 793, 768, 8200 §8.1).
///
/// A packet is valid when every checksum it carries sums to 0xFFFF. What cannot be checked counts
/// as valid: a UDP checksum of 0 over IPv4 (the sender did not compute one), other transport
/// protocols, and the transport of any fragment — its checksum covers the reassembled datagram, so
/// of a fragment (first or not) only the IPv4 header is checked. Over IPv6 a UDP checksum of 0 is
/// invalid (RFC 8200), and when a routing header still has segments left the pseudo-header uses the
/// final destination it names. Malformed or truncated packets are invalid.
public enum Checksum {
    /// The one's-complement sum of `bytes` as big-endian 16-bit words (an odd last byte is padded
    /// with zero), plus `initial`, folded to 16 bits. Not complemented: a region that includes a
    /// correct checksum field sums to 0xFFFF.
    public static func onesComplementSum(_ bytes: UnsafeRawBufferPointer, initial: UInt32 = 0) -> UInt16 {
        fold(UInt64(initial) &+ accumulate(bytes, 0..<bytes.count))
    }

    /// The value for a checksum field: the complement of the sum of `bytes` with the field zeroed.
    public static func internetChecksum(_ bytes: [UInt8]) -> UInt16 {
        ~bytes.withUnsafeBytes { onesComplementSum($0) }
    }

    /// What checking a packet's checksums found.
    public enum Verification: Hashable, Sendable {
        /// Every checksum the packet carries is correct (or cannot be checked, see ``Checksum``).
        case valid
        /// The IPv4 header checksum is wrong.
        case badIPHeader
        /// The checksum of the TCP (6), UDP (17), ICMP (1) or ICMPv6 (58) segment is wrong.
        case badTransport(protocol: UInt8)
        /// The packet is too short or its lengths are inconsistent, so it cannot be checked.
        case malformed
    }

    /// Checks the checksums of an IPv4 or IPv6 packet (starting at the IP header) and says which
    /// is wrong. Suricata's stream engine, for example, ignores only TCP segments with a bad
    /// checksum; `valid(ipPacket:)` is all-or-nothing.
    public static func verify(ipPacket packet: UnsafeRawBufferPointer) -> Verification {
        guard let first = packet.first else { return .malformed }
        switch first >> 4 {
        case 4: return verifyIPv4(packet)
        case 6: return verifyIPv6(packet)
        default: return .malformed
        }
    }

    /// Checks the checksums of an IPv4 or IPv6 packet.
    public static func verify(ipPacket packet: ArraySlice<UInt8>) -> Verification {
        packet.withUnsafeBytes { verify(ipPacket: $0) }
    }

    /// Checks the checksums of an IPv4 or IPv6 packet.
    public static func verify(ipPacket packet: [UInt8]) -> Verification {
        packet.withUnsafeBytes { verify(ipPacket: $0) }
    }

    /// Whether every checksum of an IPv4 or IPv6 packet (starting at the IP header) is correct.
    public static func valid(ipPacket packet: UnsafeRawBufferPointer) -> Bool {
        verify(ipPacket: packet) == .valid
    }

    /// Whether every checksum of an IPv4 or IPv6 packet is correct.
    public static func valid(ipPacket packet: ArraySlice<UInt8>) -> Bool {
        verify(ipPacket: packet) == .valid
    }

    /// Whether every checksum of an IPv4 or IPv6 packet is correct.
    public static func valid(ipPacket packet: [UInt8]) -> Bool {
        verify(ipPacket: packet) == .valid
    }

    // MARK: IPv4

    private static func verifyIPv4(_ packet: UnsafeRawBufferPointer) -> Verification {
        guard packet.count >= 20 else { return .malformed }
        let headerLength = Int(packet[0] & 0x0F) * 4
        guard headerLength >= 20, headerLength <= packet.count else { return .malformed }
        guard fold(accumulate(packet, 0..<headerLength)) == 0xFFFF else { return .badIPHeader }
        let totalLength = Int(packet.word(2))
        guard totalLength >= headerLength, totalLength <= packet.count else { return .malformed }
        guard packet.word(6) & 0x3FFF == 0 else { return .valid } // a fragment: more follow or offset > 0
        let proto = packet[9]
        let addresses = accumulate(packet, 12..<20)
        return verifyTransport(
            packet, proto: proto, start: headerLength, end: totalLength, isIPv6: false,
            pseudoHeader: { length in addresses &+ UInt64(proto) &+ UInt64(length) }
        )
    }

    // MARK: IPv6

    /// The most extension headers followed before the packet is called malformed.
    private static let maximumExtensionHeaders = 8

    private static func verifyIPv6(_ packet: UnsafeRawBufferPointer) -> Verification {
        guard packet.count >= 40 else { return .malformed }
        let payloadLength = Int(packet.word(4))
        var nextHeader = packet[6]
        if payloadLength == 0, nextHeader == 0 { return .valid } // a jumbogram: not checked
        let end = 40 + payloadLength
        guard end <= packet.count else { return .malformed }
        var destination = 24 // where the pseudo-header's destination address is
        var offset = 40
        var followed = 0
        walk: while true {
            let length: Int
            switch nextHeader {
            case 6, 17, 58: // TCP, UDP, ICMPv6
                break walk
            case 0, 60, 43, 51, 44: // hop-by-hop, destination options, routing, AH, fragment
                guard followed < maximumExtensionHeaders, offset + 8 <= end else { return .malformed }
                switch nextHeader {
                case 51: length = (Int(packet[offset + 1]) + 2) * 4
                case 44: length = 8
                default: length = (Int(packet[offset + 1]) + 1) * 8
                }
                guard offset + length <= end else { return .malformed }
                if nextHeader == 44, packet.word(offset + 2) & 0xFFF9 != 0 {
                    return .valid // a fragment: offset > 0 or more follow
                }
                if nextHeader == 43, packet[offset + 3] > 0 { // segments left: the final one counts
                    let addressCount = Int(packet[offset + 1]) / 2
                    let routingType = packet[offset + 2]
                    if addressCount > 0, routingType == 0 || routingType == 2 {
                        destination = offset + 8 + 16 * (addressCount - 1) // the last address
                    } else if addressCount > 0, routingType == 4 {
                        destination = offset + 8 // segment routing: Segment List[0]
                    }
                }
                nextHeader = packet[offset]
                offset += length
                followed += 1
            default: // no next header, ESP, mobility, anything else: nothing this type checks
                return .valid
            }
        }
        let addresses = accumulate(packet, 8..<24) &+ accumulate(packet, destination..<(destination + 16))
        let proto = nextHeader
        return verifyTransport(
            packet, proto: proto, start: offset, end: end, isIPv6: true,
            pseudoHeader: { length in addresses &+ UInt64(proto) &+ UInt64(length >> 16) &+ UInt64(length & 0xFFFF) }
        )
    }

    // MARK: Transport

    /// Checks the TCP, UDP or ICMP(v6) checksum of the segment in `start..<end`; other protocols
    /// are valid. `pseudoHeader` gives the pseudo-header's sum for a transport length.
    private static func verifyTransport(
        _ packet: UnsafeRawBufferPointer, proto: UInt8, start: Int, end: Int, isIPv6: Bool,
        pseudoHeader: (Int) -> UInt64
    ) -> Verification {
        let available = end - start
        let sum: UInt16
        switch proto {
        case 6: // TCP
            guard available >= 20 else { return .malformed }
            sum = fold(pseudoHeader(available) &+ accumulate(packet, start..<end))
        case 17: // UDP: the datagram's own length field bounds it
            guard available >= 8 else { return .malformed }
            let length = Int(packet.word(start + 4))
            guard length >= 8, length <= available else { return .malformed }
            if packet.word(start + 6) == 0 { return isIPv6 ? .badTransport(protocol: proto) : .valid }
            sum = fold(pseudoHeader(length) &+ accumulate(packet, start..<(start + length)))
        case 1 where !isIPv6: // ICMP: no pseudo-header
            guard available >= 4 else { return .malformed }
            sum = fold(accumulate(packet, start..<end))
        case 58 where isIPv6: // ICMPv6
            guard available >= 4 else { return .malformed }
            sum = fold(pseudoHeader(available) &+ accumulate(packet, start..<end))
        default:
            return .valid
        }
        return sum == 0xFFFF ? .valid : .badTransport(protocol: proto)
    }

    // MARK: Arithmetic

    /// The unfolded sum of the big-endian 16-bit words in `range` (odd last byte padded).
    @inline(__always)
    private static func accumulate(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> UInt64 {
        var sum: UInt64 = 0
        var index = range.lowerBound
        while index + 1 < range.upperBound {
            sum &+= UInt64(bytes[index]) << 8 | UInt64(bytes[index + 1])
            index += 2
        }
        if index < range.upperBound { sum &+= UInt64(bytes[index]) << 8 }
        return sum
    }

    /// Folds carries back in until the sum fits 16 bits (end-around carry).
    @inline(__always)
    private static func fold(_ sum: UInt64) -> UInt16 {
        var sum = sum
        while sum > 0xFFFF { sum = (sum & 0xFFFF) &+ (sum >> 16) }
        return UInt16(sum)
    }
}

extension UnsafeRawBufferPointer {
    /// Big-endian 16-bit read; callers check bounds first.
    @inline(__always) fileprivate func word(_ offset: Int) -> UInt16 {
        UInt16(self[offset]) << 8 | UInt16(self[offset + 1])
    }
}

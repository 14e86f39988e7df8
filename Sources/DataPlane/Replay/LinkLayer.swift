/// Finds the IP packet inside a captured link-layer frame.
///
/// Link types are the LINKTYPE_* values of pcap and pcapng (tcpdump.org/linktypes.html), plus the
/// platform DLT_RAW values 12 and 14 that old captures carry. Ethernet (and Linux cooked capture)
/// frames may carry stacked 802.1Q / 802.1ad VLAN tags (ethertypes 0x8100, 0x88A8 and the
/// pre-standard QinQ 0x9100; up to ``maximumVLANTags``). For the loopback types the address family
/// decides (2 is IPv4; 24, 28 and 30 are IPv6 on the BSDs and Darwin); for the raw types the IP
/// version nibble does.
///
/// Ethernet pads frames to 60 bytes, so the returned slice is cut to the length the IP header
/// declares (IPv4 total length, IPv6 payload length + 40) when the frame holds more; a frame that
/// holds less is returned as is, for the decoder to call truncated.
public enum LinkLayer {
    /// LINKTYPE_NULL: BSD loopback, a 4-byte address family in the capturing host's byte order.
    public static let null: UInt32 = 0
    /// LINKTYPE_ETHERNET (DLT_EN10MB).
    public static let ethernet: UInt32 = 1
    /// DLT_RAW as numbered on most BSDs.
    public static let rawBSD: UInt32 = 12
    /// DLT_RAW as numbered on OpenBSD.
    public static let rawOpenBSD: UInt32 = 14
    /// LINKTYPE_RAW: the frame is an IPv4 or IPv6 packet.
    public static let raw: UInt32 = 101
    /// LINKTYPE_LOOP: OpenBSD loopback, a 4-byte address family in network byte order.
    public static let loop: UInt32 = 108
    /// LINKTYPE_LINUX_SLL: Linux cooked capture v1, a 16-byte header with the protocol at offset 14.
    public static let linuxSLL: UInt32 = 113
    /// LINKTYPE_IPV4: the frame is an IPv4 packet.
    public static let ipv4: UInt32 = 228
    /// LINKTYPE_IPV6: the frame is an IPv6 packet.
    public static let ipv6: UInt32 = 229
    /// LINKTYPE_LINUX_SLL2: Linux cooked capture v2, a 20-byte header with the protocol at offset 0.
    public static let linuxSLL2: UInt32 = 276

    /// The most VLAN tags followed before the frame is called malformed.
    public static let maximumVLANTags = 8

    private static let etherTypeIPv4: UInt16 = 0x0800
    private static let etherTypeIPv6: UInt16 = 0x86DD

    /// The IP packet in `frame`, or nil when the frame is not IPv4 or IPv6 (ARP, LLDP, an unknown
    /// link type, a header cut short). The result is a slice of `frame` (same indices).
    public static func ipPacket(_ frame: ArraySlice<UInt8>, linkType: UInt32) -> ArraySlice<UInt8>? {
        let start = frame.startIndex
        let end = frame.endIndex
        let packet: ArraySlice<UInt8>
        switch linkType {
        case ethernet:
            guard frame.count >= 14 else { return nil }
            guard let offset = etherPayload(frame, etherTypeAt: start + 12, payloadAt: start + 14) else { return nil }
            packet = frame[offset..<end]
        case linuxSLL:
            guard frame.count >= 16 else { return nil }
            guard let offset = etherPayload(frame, etherTypeAt: start + 14, payloadAt: start + 16) else { return nil }
            packet = frame[offset..<end]
        case linuxSLL2:
            guard frame.count >= 20 else { return nil }
            guard let offset = etherPayload(frame, etherTypeAt: start, payloadAt: start + 20) else { return nil }
            packet = frame[offset..<end]
        case null, loop:
            guard frame.count >= 4 else { return nil }
            let bigEndian = UInt32(frame.u16(start)) << 16 | UInt32(frame.u16(start + 2))
            let family: UInt32
            if linkType == loop {
                family = bigEndian
            } else {
                // Host byte order of whoever captured: families are small, so one reading is.
                family = bigEndian & 0xFFFF_0000 == 0 ? bigEndian : bigEndian.byteSwapped
            }
            switch family {
            case 2: packet = frame[(start + 4)..<end]
            case 24, 28, 30: packet = frame[(start + 4)..<end] // IPv6 on NetBSD/OpenBSD, FreeBSD, Darwin
            default: return nil
            }
        case raw, rawBSD, rawOpenBSD, ipv4, ipv6:
            guard let first = frame.first else { return nil }
            let version = first >> 4
            switch linkType {
            case ipv4: guard version == 4 else { return nil }
            case ipv6: guard version == 6 else { return nil }
            default: guard version == 4 || version == 6 else { return nil }
            }
            packet = frame
        default:
            return nil
        }
        return trimmed(packet)
    }

    /// The IP packet in `frame` (an array); the result's indices are the array's.
    public static func ipPacket(_ frame: [UInt8], linkType: UInt32) -> ArraySlice<UInt8>? {
        ipPacket(frame[...], linkType: linkType)
    }

    /// The offset of the IP packet after an ethertype at `etherTypeAt` (skipping VLAN tags, each
    /// 4 bytes: TCI then the next ethertype), or nil when it is not IPv4 or IPv6.
    private static func etherPayload(_ frame: ArraySlice<UInt8>, etherTypeAt: Int, payloadAt: Int) -> Int? {
        var etherType = frame.u16(etherTypeAt)
        var offset = payloadAt
        var tags = 0
        while etherType == 0x8100 || etherType == 0x88A8 || etherType == 0x9100 {
            guard tags < maximumVLANTags, offset + 4 <= frame.endIndex else { return nil }
            etherType = frame.u16(offset + 2)
            offset += 4
            tags += 1
        }
        guard etherType == etherTypeIPv4 || etherType == etherTypeIPv6 else { return nil }
        return offset
    }

    /// `packet` cut to the length its IP header declares, when that is shorter.
    private static func trimmed(_ packet: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        guard let first = packet.first else { return packet }
        let start = packet.startIndex
        switch first >> 4 {
        case 4 where packet.count >= 4:
            let totalLength = Int(packet.u16(start + 2))
            // 0 is what TSO captures show; keep those whole.
            if totalLength >= 20, totalLength < packet.count { return packet.prefix(totalLength) }
        case 6 where packet.count >= 6:
            let payloadLength = Int(packet.u16(start + 4))
            // 0 is a jumbogram (the length is in a hop-by-hop option); keep those whole.
            if payloadLength > 0, 40 + payloadLength < packet.count { return packet.prefix(40 + payloadLength) }
        default:
            break
        }
        return packet
    }
}

extension ArraySlice<UInt8> {
    /// Big-endian read at an absolute index; callers check bounds first.
    @inline(__always) fileprivate func u16(_ index: Int) -> UInt16 {
        UInt16(self[index]) << 8 | UInt16(self[index + 1])
    }
}

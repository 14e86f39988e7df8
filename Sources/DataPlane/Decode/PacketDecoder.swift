import Shared

/// Why a packet could not be decoded. The worker counts these and passes or drops the packet per
/// its configuration (drop by default).
public enum PacketDecodeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Fewer bytes than the IP header needs.
    case truncatedIPHeader
    /// The version nibble is neither 4 nor 6.
    case unsupportedVersion(UInt8)
    /// The IPv4 header length is below 20 bytes or beyond the packet.
    case badHeaderLength
    /// The IP total/payload length is smaller than the header or larger than the bytes received.
    case badTotalLength
    /// An IPv6 extension header runs past the packet, or the chain is too long.
    case badExtensionHeader
    /// The transport header (TCP, UDP, ICMP) is cut short or its length field is inconsistent.
    case truncatedTransportHeader(protocol: UInt8)

    public var description: String {
        switch self {
        case .truncatedIPHeader: "truncated IP header"
        case .unsupportedVersion(let version): "unsupported IP version \(version)"
        case .badHeaderLength: "bad IPv4 header length"
        case .badTotalLength: "bad IP total length"
        case .badExtensionHeader: "bad IPv6 extension header"
        case .truncatedTransportHeader(let proto): "truncated transport header (protocol \(proto))"
        }
    }
}

/// Decodes raw IP packets (IPv4 with options and fragments; IPv6 with hop-by-hop, routing,
/// destination-options, fragment and AH extension headers) and their TCP, UDP, ICMP or ICMPv6
/// header. Pure and total: every read is bounds-checked, malformed input is an error, never a trap.
public enum PacketDecoder {
    /// The most IPv6 extension headers followed before the packet is called malformed.
    static let maximumExtensionHeaders = 8

    /// Decodes `bytes`.
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(PacketDecodeError) -> DecodedPacket {
        guard bytes.count >= 1 else { throw .truncatedIPHeader }
        let version = bytes[0] >> 4
        switch version {
        case 4: return try decodeIPv4(bytes)
        case 6: return try decodeIPv6(bytes)
        default: throw .unsupportedVersion(version)
        }
    }

    /// Decodes a packet held in an array (tests, replay).
    public static func decode(_ bytes: [UInt8]) throws(PacketDecodeError) -> DecodedPacket {
        let result: Result<DecodedPacket, PacketDecodeError> = bytes.withUnsafeBytes { buffer in
            do throws(PacketDecodeError) {
                return .success(try decode(buffer))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    // MARK: IP

    private static func decodeIPv4(_ bytes: UnsafeRawBufferPointer) throws(PacketDecodeError) -> DecodedPacket {
        guard bytes.count >= 20 else { throw .truncatedIPHeader }
        let headerLength = Int(bytes[0] & 0x0F) * 4
        guard headerLength >= 20, headerLength <= bytes.count else { throw .badHeaderLength }
        let totalLength = Int(bytes.u16(2))
        guard totalLength >= headerLength, totalLength <= bytes.count else { throw .badTotalLength }
        let fragmentField = bytes.u16(6)
        let moreFragments = fragmentField & 0x2000 != 0
        let fragmentOffset = Int(fragmentField & 0x1FFF) * 8
        var packet = DecodedPacket(
            ipVersion: 4, source: IPAddress(v4: bytes.u32(12)), destination: IPAddress(v4: bytes.u32(16)),
            ipProtocol: bytes[9], ttl: bytes[8], ipID: UInt32(bytes.u16(4)), length: totalLength,
            isFragment: moreFragments || fragmentOffset != 0, fragmentOffset: fragmentOffset,
            hasTransportHeader: false, payloadOffset: headerLength, payloadLength: totalLength - headerLength
        )
        if fragmentOffset == 0 {
            try decodeTransport(bytes, start: headerLength, end: totalLength, into: &packet)
        }
        return packet
    }

    private static func decodeIPv6(_ bytes: UnsafeRawBufferPointer) throws(PacketDecodeError) -> DecodedPacket {
        guard bytes.count >= 40 else { throw .truncatedIPHeader }
        let payloadLength = Int(bytes.u16(4))
        let end = 40 + payloadLength
        guard end <= bytes.count else { throw .badTotalLength }
        var packet = DecodedPacket(
            ipVersion: 6,
            source: IPAddress(v6High: bytes.u64(8), low: bytes.u64(16)),
            destination: IPAddress(v6High: bytes.u64(24), low: bytes.u64(32)),
            ipProtocol: bytes[6], ttl: bytes[7], ipID: nil, length: end, hasTransportHeader: false,
            payloadOffset: 40, payloadLength: payloadLength
        )
        var nextHeader = bytes[6]
        var offset = 40
        var followed = 0
        loop: while true {
            switch nextHeader {
            case 0, 43, 60, 51: // hop-by-hop, routing, destination options, AH
                guard followed < maximumExtensionHeaders, offset + 8 <= end else { throw .badExtensionHeader }
                let length = nextHeader == 51 ? (Int(bytes[offset + 1]) + 2) * 4 : (Int(bytes[offset + 1]) + 1) * 8
                guard offset + length <= end else { throw .badExtensionHeader }
                nextHeader = bytes[offset]
                offset += length
                followed += 1
            case 44: // fragment
                guard followed < maximumExtensionHeaders, offset + 8 <= end else { throw .badExtensionHeader }
                let field = bytes.u16(offset + 2)
                packet.fragmentOffset = Int(field >> 3) * 8
                packet.isFragment = packet.fragmentOffset != 0 || field & 1 != 0
                packet.ipID = bytes.u32(offset + 4)
                nextHeader = bytes[offset]
                offset += 8
                followed += 1
                if packet.fragmentOffset != 0 { break loop }
            default:
                break loop
            }
        }
        packet.ipProtocol = nextHeader
        packet.payloadOffset = offset
        packet.payloadLength = end - offset
        if packet.fragmentOffset == 0 {
            try decodeTransport(bytes, start: offset, end: end, into: &packet)
        }
        return packet
    }

    // MARK: Transport

    private static func decodeTransport(
        _ bytes: UnsafeRawBufferPointer, start: Int, end: Int, into packet: inout DecodedPacket
    ) throws(PacketDecodeError) {
        let available = end - start
        let proto = packet.ipProtocol
        switch proto {
        case DecodedPacket.IPProtocolNumber.tcp:
            guard available >= 20 else { throw .truncatedTransportHeader(protocol: proto) }
            let dataOffset = Int(bytes[start + 12] >> 4) * 4
            guard dataOffset >= 20, dataOffset <= available else { throw .truncatedTransportHeader(protocol: proto) }
            packet.sourcePort = bytes.u16(start)
            packet.destinationPort = bytes.u16(start + 2)
            packet.tcpSequence = bytes.u32(start + 4)
            packet.tcpAcknowledgement = bytes.u32(start + 8)
            packet.tcpFlags = bytes[start + 13]
            packet.tcpWindow = bytes.u16(start + 14)
            packet.tcpUrgentPointer = bytes.u16(start + 18)
            packet.payloadOffset = start + dataOffset
            packet.payloadLength = available - dataOffset
        case DecodedPacket.IPProtocolNumber.udp:
            guard available >= 8 else { throw .truncatedTransportHeader(protocol: proto) }
            let udpLength = Int(bytes.u16(start + 4))
            // A first fragment carries only part of the datagram: its UDP length may exceed it.
            guard udpLength >= 8, packet.isFragment || udpLength <= available else {
                throw .truncatedTransportHeader(protocol: proto)
            }
            packet.sourcePort = bytes.u16(start)
            packet.destinationPort = bytes.u16(start + 2)
            packet.payloadOffset = start + 8
            packet.payloadLength = min(udpLength, available) - 8
        case DecodedPacket.IPProtocolNumber.icmp, DecodedPacket.IPProtocolNumber.icmpv6:
            guard available >= 4 else { throw .truncatedTransportHeader(protocol: proto) }
            packet.icmpType = bytes[start]
            packet.icmpCode = bytes[start + 1]
            let isEcho = proto == DecodedPacket.IPProtocolNumber.icmp
                ? (packet.icmpType == 8 || packet.icmpType == 0)
                : (packet.icmpType == 128 || packet.icmpType == 129)
            if isEcho {
                guard available >= 8 else { throw .truncatedTransportHeader(protocol: proto) }
                packet.icmpEchoID = bytes.u16(start + 4)
            }
            let headerLength = available >= 8 ? 8 : 4
            packet.payloadOffset = start + headerLength
            packet.payloadLength = available - headerLength
        default:
            return
        }
        packet.hasTransportHeader = true
    }
}

extension UnsafeRawBufferPointer {
    /// Big-endian reads; callers check bounds first.
    @inline(__always) fileprivate func u16(_ offset: Int) -> UInt16 {
        UInt16(self[offset]) << 8 | UInt16(self[offset + 1])
    }

    @inline(__always) fileprivate func u32(_ offset: Int) -> UInt32 {
        UInt32(u16(offset)) << 16 | UInt32(u16(offset + 2))
    }

    @inline(__always) fileprivate func u64(_ offset: Int) -> UInt64 {
        UInt64(u32(offset)) << 32 | UInt64(u32(offset + 4))
    }
}

import DataPlane
import Testing

// MARK: An independent reference

/// The Internet checksum computed another way than the code under test: the one's-complement sum
/// of 16-bit words is the plain sum modulo 65535 (with 0xFFFF standing for a non-zero multiple).
private func referenceChecksum(_ bytes: [UInt8]) -> UInt16 {
    var total = 0
    for index in stride(from: 0, to: bytes.count, by: 2) {
        total += Int(bytes[index]) * 256 + (index + 1 < bytes.count ? Int(bytes[index + 1]) : 0)
    }
    let sum = total == 0 ? 0 : (total % 0xFFFF == 0 ? 0xFFFF : total % 0xFFFF)
    return ~UInt16(sum)
}

private func be16(_ value: Int) -> [UInt8] { [UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)] }

private func hex(_ text: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var index = text.startIndex
    while index < text.endIndex {
        let next = text.index(index, offsetBy: 2)
        bytes.append(UInt8(text[index..<next], radix: 16)!)
        index = next
    }
    return bytes
}

private let source4: [UInt8] = [192, 0, 2, 10]
private let destination4: [UInt8] = [198, 51, 100, 7]
private let source6: [UInt8] = [0x20, 0x01, 0x0D, 0xB8] + [UInt8](repeating: 0, count: 11) + [1]
private let destination6: [UInt8] = [0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xBE, 0xEF]

/// A transport segment with its checksum field (at `checksumOffset`) filled over `pseudoHeader`.
private func withChecksum(_ segment: [UInt8], at checksumOffset: Int, pseudoHeader: [UInt8]) -> [UInt8] {
    var segment = segment
    let sum = referenceChecksum(pseudoHeader + segment)
    segment[checksumOffset] = UInt8(sum >> 8)
    segment[checksumOffset + 1] = UInt8(sum & 0xFF)
    return segment
}

private func pseudoHeader4(protocol proto: UInt8, length: Int) -> [UInt8] {
    source4 + destination4 + [0, proto] + be16(length)
}

private func pseudoHeader6(next: UInt8, length: Int, destination: [UInt8] = destination6) -> [UInt8] {
    source6 + destination + be16(length >> 16) + be16(length & 0xFFFF) + [0, 0, 0, next]
}

private func tcp(_ payload: [UInt8]) -> [UInt8] {
    [0xC3, 0x50, 0x01, 0xBB, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x18, 0xFF, 0xFF, 0, 0, 0, 0] + payload
}

private func udp(_ payload: [UInt8]) -> [UInt8] {
    [0x13, 0x88, 0x00, 0x35] + be16(8 + payload.count) + [0, 0] + payload
}

private func icmpEcho(_ payload: [UInt8], type: UInt8 = 8) -> [UInt8] {
    [type, 0, 0, 0, 0x12, 0x34, 0, 1] + payload
}

/// An IPv4 packet with a correct header checksum around `segment` (whose checksum is filled when
/// `protocol` is TCP, UDP or ICMP).
private func ipv4(protocol proto: UInt8, _ segment: [UInt8], fragment: Int = 0, fillTransport: Bool = true) -> [UInt8] {
    var segment = segment
    if fillTransport {
        switch proto {
        case 6: segment = withChecksum(segment, at: 16, pseudoHeader: pseudoHeader4(protocol: 6, length: segment.count))
        case 17: segment = withChecksum(segment, at: 6, pseudoHeader: pseudoHeader4(protocol: 17, length: segment.count))
        case 1: segment = withChecksum(segment, at: 2, pseudoHeader: [])
        default: break
        }
    }
    var header: [UInt8] = [0x45, 0] + be16(20 + segment.count) + [0xAB, 0xCD] + be16(fragment) + [64, proto, 0, 0]
        + source4 + destination4
    let sum = referenceChecksum(header)
    header[10] = UInt8(sum >> 8)
    header[11] = UInt8(sum & 0xFF)
    return header + segment
}

/// An IPv6 packet: `extensions` (already chained, the last naming `next`) then `segment`, whose
/// checksum is filled for TCP, UDP and ICMPv6 over `checksumDestination`.
private func ipv6(
    next: UInt8, _ segment: [UInt8], extensions: [UInt8] = [], firstHeader: UInt8? = nil,
    checksumDestination: [UInt8] = destination6
) -> [UInt8] {
    var segment = segment
    let pseudo = pseudoHeader6(next: next, length: segment.count, destination: checksumDestination)
    switch next {
    case 6: segment = withChecksum(segment, at: 16, pseudoHeader: pseudo)
    case 17: segment = withChecksum(segment, at: 6, pseudoHeader: pseudo)
    case 58: segment = withChecksum(segment, at: 2, pseudoHeader: pseudo)
    default: break
    }
    let payload = extensions + segment
    return [0x60, 0x0A, 0xBC, 0xDE] + be16(payload.count) + [firstHeader ?? next, 64] + source6 + destination6 + payload
}

// MARK: Tests

@Suite("Checksum")
struct ChecksumTests {
    /// RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to ddf2 (after the end-around carry).
    @Test func rfc1071Example() {
        let bytes: [UInt8] = [0x00, 0x01, 0xF2, 0x03, 0xF4, 0xF5, 0xF6, 0xF7]
        #expect(bytes.withUnsafeBytes { Checksum.onesComplementSum($0) } == 0xDDF2)
        #expect(Checksum.internetChecksum(bytes) == 0x220D)
        #expect(referenceChecksum(bytes) == 0x220D)
        // An odd length is padded with a zero byte.
        #expect(Checksum.internetChecksum([0x01]) == ~UInt16(0x0100))
        #expect(Checksum.internetChecksum([0x12, 0x34, 0x56]) == referenceChecksum([0x12, 0x34, 0x56, 0x00]))
    }

    /// The IPv4 header worked through on Wikipedia ("Internet checksum"): checksum b861.
    @Test func knownIPv4Header() {
        let header = hex("450000730000400040110000c0a80001c0a800c7")
        #expect(Checksum.internetChecksum(header) == 0xB861)
        #expect(referenceChecksum(header) == 0xB861)
        var packet = header
        packet[10] = 0xB8
        packet[11] = 0x61
        // UDP without a checksum (0) fills the 0x73 bytes: only the header is checked.
        packet += [0x30, 0x39, 0x00, 0x35, 0x00, 0x5F, 0x00, 0x00] + [UInt8](repeating: 0x61, count: 0x73 - 28)
        #expect(Checksum.valid(ipPacket: packet))
        packet[11] = 0x62
        #expect(Checksum.verify(ipPacket: packet) == .badIPHeader)
    }

    /// Packets captured on real networks (from the suricata-verify captures): an HTTP response,
    /// two DNS queries, and a UDP datagram over IPv6.
    @Test(arguments: [
        "4500012b547340003106e4ff52a5b19a0a10010b0050d3aa97e6d2277ac8a80f5018014bc00b0000485454502f312e3120323030204f4b0d0a446174653a205765642c203133204a756c20323031362032323a34323a303720474d540d0a5365727665723a204170616368650d0a4c6173742d4d6f6469666965643a204d6f6e2c203135204a616e20323030372032333a31313a353520474d540d0a455461673a202231383163383439612d32372d34323731633566316163346330220d0a4163636570742d52616e6765733a2062797465730d0a436f6e74656e742d4c656e6774683a2033390d0a436f6e74656e742d547970653a20746578742f68746d6c0d0a0d0a7569643d3028726f6f7429206769643d3028726f6f74292067726f7570733d3028726f6f74290a",
        "4500004586e1400040116b71c0a8459cc02681eac0e300350031a7946ee60100000100000000000004636f6465046d73646e096d6963726f736f667403636f6d0000010001",
        "4500004506090000801161e5c0a8020208080808de0a00350031c2626594010000010000000000000e646f6e6768616b61636164656d790464646e73036e65740000010001",
        "60000000000f11400102030400000000000000000000000005060708000000000000000000000000045708ae000fa2d8484954464c4f57",
    ])
    func capturedPackets(text: String) {
        var packet = hex(text)
        #expect(Checksum.valid(ipPacket: packet))
        packet[packet.count - 1] ^= 0x01
        #expect(!Checksum.valid(ipPacket: packet))
        #expect(Checksum.verify(ipPacket: packet) == .badTransport(protocol: packet[0] >> 4 == 4 ? packet[9] : 17))
    }

    static let payloads: [[UInt8]] = [[], [0x42], Array("GET / HTTP/1.1\r\n".utf8), (0..<301).map { UInt8($0 % 251) }]

    @Test(arguments: ChecksumTests.payloads)
    func builtIPv4Packets(payload: [UInt8]) {
        #expect(Checksum.verify(ipPacket: ipv4(protocol: 6, tcp(payload))) == .valid)
        #expect(Checksum.verify(ipPacket: ipv4(protocol: 17, udp(payload))) == .valid)
        #expect(Checksum.verify(ipPacket: ipv4(protocol: 1, icmpEcho(payload))) == .valid)
        #expect(Checksum.verify(ipPacket: ipv4(protocol: 47, payload)) == .valid) // GRE: header only
    }

    @Test(arguments: ChecksumTests.payloads)
    func builtIPv6Packets(payload: [UInt8]) {
        #expect(Checksum.verify(ipPacket: ipv6(next: 6, tcp(payload))) == .valid)
        #expect(Checksum.verify(ipPacket: ipv6(next: 17, udp(payload))) == .valid)
        #expect(Checksum.verify(ipPacket: ipv6(next: 58, icmpEcho(payload, type: 128))) == .valid)
    }

    /// Every byte of an IPv4 packet is covered by one checksum or the other: any bit flipped is caught.
    @Test(arguments: [UInt8(6), 17, 1])
    func everyFlippedBitOfIPv4IsCaught(proto: UInt8) {
        let payload = Array("conformance".utf8)
        let good = ipv4(protocol: proto, proto == 6 ? tcp(payload) : proto == 17 ? udp(payload) : icmpEcho(payload))
        var missed: [Int] = []
        for bit in 0..<(good.count * 8) {
            var packet = good
            packet[bit / 8] ^= 1 << UInt8(bit % 8)
            if Checksum.valid(ipPacket: packet) { missed.append(bit) }
        }
        #expect(missed.isEmpty)
    }

    /// In IPv6 the addresses (pseudo-header) and the segment are covered.
    @Test(arguments: [UInt8(6), 17, 58])
    func everyFlippedBitOfIPv6AddressesAndSegmentIsCaught(next: UInt8) {
        let payload = Array("conformance".utf8)
        let good = ipv6(next: next, next == 6 ? tcp(payload) : next == 17 ? udp(payload) : icmpEcho(payload, type: 128))
        var missed: [Int] = []
        for bit in (8 * 8)..<(good.count * 8) {
            var packet = good
            packet[bit / 8] ^= 1 << UInt8(bit % 8)
            if Checksum.valid(ipPacket: packet) { missed.append(bit) }
        }
        #expect(missed.isEmpty)
        // The flow label and hop limit are not covered.
        var relabelled = good
        relabelled[3] ^= 0xFF
        relabelled[7] = 1
        #expect(Checksum.valid(ipPacket: relabelled))
    }

    @Test func corruptedSegmentIsReportedAsTransport() {
        var packet = ipv4(protocol: 6, tcp(Array("hello".utf8)))
        packet[packet.count - 2] = UInt8(ascii: "X")
        #expect(Checksum.verify(ipPacket: packet) == .badTransport(protocol: 6))
        var header = ipv4(protocol: 6, tcp(Array("hello".utf8)))
        header[8] = 1 // TTL changed without fixing the header checksum
        #expect(Checksum.verify(ipPacket: header) == .badIPHeader)
    }

    @Test func udpWithoutChecksum() {
        var v4 = ipv4(protocol: 17, udp([1, 2, 3]), fillTransport: false)
        #expect(Checksum.verify(ipPacket: v4) == .valid) // 0: not computed
        v4[v4.count - 1] = 9
        #expect(Checksum.verify(ipPacket: v4) == .valid)
        // Over IPv6 the checksum is mandatory.
        var v6 = ipv6(next: 17, udp([1, 2, 3]))
        v6[40 + 6] = 0
        v6[40 + 7] = 0
        #expect(Checksum.verify(ipPacket: v6) == .badTransport(protocol: 17))
    }

    /// A UDP checksum that computes to 0 is sent as 0xFFFF (0 would mean "none").
    @Test func udpChecksumOfZeroIsSentAsAllOnes() {
        var segment = udp([0, 0])
        let total = pseudoHeader4(protocol: 17, length: segment.count) + segment
        let filler = referenceChecksum(total) // what makes the sum 0xFFFF, so the checksum 0
        segment[8] = UInt8(filler >> 8)
        segment[9] = UInt8(filler & 0xFF)
        #expect(referenceChecksum(pseudoHeader4(protocol: 17, length: segment.count) + segment) == 0)
        segment[6] = 0xFF
        segment[7] = 0xFF
        #expect(Checksum.valid(ipPacket: ipv4(protocol: 17, segment, fillTransport: false)))
    }

    @Test func fragmentsHaveOnlyTheirIPv4HeaderChecked() {
        let garbage = [UInt8](repeating: 0x5A, count: 40)
        let first = ipv4(protocol: 6, garbage, fragment: 0x2000, fillTransport: false) // more fragments
        #expect(Checksum.verify(ipPacket: first) == .valid)
        let later = ipv4(protocol: 6, garbage, fragment: 185, fillTransport: false) // offset 1480
        #expect(Checksum.verify(ipPacket: later) == .valid)
        var badHeader = later
        badHeader[15] ^= 0x01
        #expect(Checksum.verify(ipPacket: badHeader) == .badIPHeader)
        let unfragmented = ipv4(protocol: 6, garbage, fragment: 0x4000, fillTransport: false) // DF only
        #expect(Checksum.verify(ipPacket: unfragmented) == .badTransport(protocol: 6))
    }

    @Test func ipv6FragmentsAreNotChecked() {
        let garbage = [UInt8](repeating: 0x5A, count: 40)
        let later: [UInt8] = [6, 0] + be16(185 << 3) + [0, 0, 0, 7] // offset 1480, no more
        #expect(Checksum.verify(ipPacket: ipv6(next: 0, garbage, extensions: later, firstHeader: 44)) == .valid)
        let first: [UInt8] = [6, 0] + be16(1) + [0, 0, 0, 7] // offset 0, more follow
        #expect(Checksum.verify(ipPacket: ipv6(next: 0, garbage, extensions: first, firstHeader: 44)) == .valid)
        // An atomic fragment (offset 0, no more) is the whole datagram: checked.
        let atomic: [UInt8] = [6, 0, 0, 0, 0, 0, 0, 7]
        #expect(Checksum.verify(ipPacket: ipv6(next: 0, garbage, extensions: atomic, firstHeader: 44)) == .badTransport(protocol: 6))
        let good = ipv6(next: 6, tcp(garbage), extensions: atomic, firstHeader: 44)
        #expect(Checksum.verify(ipPacket: good) == .valid)
    }

    @Test func ipv6ExtensionHeadersAreSkipped() {
        let hopByHop: [UInt8] = [60, 0, 1, 4, 0, 0, 0, 0] // → destination options; PadN
        let destinationOptions: [UInt8] = [17, 1] + [1, 12] + [UInt8](repeating: 0, count: 12) // 16 bytes → UDP
        let packet = ipv6(next: 17, udp(Array("dns".utf8)), extensions: hopByHop + destinationOptions, firstHeader: 0)
        #expect(Checksum.verify(ipPacket: packet) == .valid)
        // The pseudo-header names the upper-layer protocol, not the first next header.
        var wrong = packet
        wrong[40 + 8] = 6 // destination options now announce TCP
        #expect(Checksum.verify(ipPacket: wrong) != .valid)
    }

    @Test func routingHeaderNamesTheFinalDestination() {
        let finalDestination: [UInt8] = [0x20, 0x01, 0x0D, 0xB8, 0xFF] + [UInt8](repeating: 0, count: 10) + [9]
        let routing: [UInt8] = [6, 2, 0, 1, 0, 0, 0, 0] + finalDestination // type 0, one segment left
        let packet = ipv6(
            next: 6, tcp([1, 2, 3]), extensions: routing, firstHeader: 43, checksumDestination: finalDestination
        )
        #expect(Checksum.verify(ipPacket: packet) == .valid)
        let overHeaderDestination = ipv6(next: 6, tcp([1, 2, 3]), extensions: routing, firstHeader: 43)
        #expect(Checksum.verify(ipPacket: overHeaderDestination) == .badTransport(protocol: 6))
        // With no segments left the header's destination is the final one.
        var arrived = routing
        arrived[3] = 0
        #expect(Checksum.verify(ipPacket: ipv6(next: 6, tcp([1, 2, 3]), extensions: arrived, firstHeader: 43)) == .valid)
    }

    @Test func malformedPackets() {
        let good = ipv4(protocol: 6, tcp([1, 2, 3]))
        #expect(Checksum.verify(ipPacket: [UInt8]()) == .malformed)
        #expect(Checksum.verify(ipPacket: Array(good.prefix(19))) == .malformed)
        #expect(Checksum.verify(ipPacket: Array(good.dropLast())) == .malformed) // shorter than total length
        #expect(Checksum.verify(ipPacket: [0x50] + good.dropFirst()) == .malformed) // version 5
        #expect(Checksum.verify(ipPacket: ipv4(protocol: 6, [1, 2, 3, 4], fillTransport: false)) == .malformed) // TCP under 20 bytes
        #expect(Checksum.verify(ipPacket: ipv4(protocol: 17, [1, 2, 3, 4], fillTransport: false)) == .malformed)
        var longUDP = ipv4(protocol: 17, udp([1, 2]))
        longUDP[20 + 5] = 200 // the UDP length runs past the datagram
        #expect(Checksum.verify(ipPacket: longUDP) == .malformed)
        let v6 = ipv6(next: 6, tcp([1]))
        #expect(Checksum.verify(ipPacket: Array(v6.dropLast())) == .malformed)
        #expect(!Checksum.valid(ipPacket: Array(v6.prefix(39))))
    }

    @Test func slicesAndTrailingBytes() {
        let packet = ipv4(protocol: 17, udp(Array("slice".utf8)))
        let buffer = [UInt8](repeating: 0xEE, count: 33) + packet + [0, 0, 0, 0] // Ethernet padding
        #expect(Checksum.valid(ipPacket: buffer[33...]))
        #expect(Checksum.valid(ipPacket: buffer[33..<(33 + packet.count)]))
        #expect(packet.withUnsafeBytes { Checksum.valid(ipPacket: $0) })
    }
}

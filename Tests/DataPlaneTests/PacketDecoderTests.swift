import Testing
@testable import DataPlane
import Shared

@Suite("Packet decoder")
struct PacketDecoderTests {
    @Test func ipv4TCPWithOptionsAndPayload() throws {
        let segment = Packets.tcp(
            sourcePort: 51000, destinationPort: 443, flags: 0x18, sequence: 0xDEAD_BEEF, acknowledgement: 0x0102_0304,
            window: 1234, urgentPointer: 3, options: [1, 1, 1, 1, 2, 4, 5, 0xB4], payload: Array("hello".utf8)
        )
        let bytes = Packets.ipv4(
            source: "198.18.0.10", destination: "198.19.0.2", protocol: 6, payload: segment, ttl: 63, id: 0xABCD,
            options: [1, 1, 1, 0]
        )
        let packet = try PacketDecoder.decode(bytes)
        #expect(packet.ipVersion == 4)
        #expect(packet.source == IPAddress("198.18.0.10"))
        #expect(packet.destination == IPAddress("198.19.0.2"))
        #expect(packet.ipProtocol == 6)
        #expect(packet.ttl == 63)
        #expect(packet.ipID == 0xABCD)
        #expect(packet.length == bytes.count)
        #expect(!packet.isFragment)
        #expect(packet.sourcePort == 51000)
        #expect(packet.destinationPort == 443)
        #expect(packet.tcpFlags == 0x18)
        #expect(packet.tcpSequence == 0xDEAD_BEEF)
        #expect(packet.tcpAcknowledgement == 0x0102_0304)
        #expect(packet.tcpWindow == 1234)
        #expect(packet.tcpUrgentPointer == 3)
        #expect(packet.payloadLength == 5)
        #expect(Array(bytes[packet.payloadOffset...]) == Array("hello".utf8))
    }

    @Test func ipv4UDPAndICMPEcho() throws {
        let udp = try PacketDecoder.decode(Packets.ipv4(
            source: "10.0.0.1", destination: "10.0.0.2", protocol: 17,
            payload: Packets.udp(sourcePort: 5353, destinationPort: 53, payload: [1, 2, 3, 4])
        ))
        #expect(udp.ipProtocol == 17 && udp.sourcePort == 5353 && udp.destinationPort == 53 && udp.payloadLength == 4)

        let echo = try PacketDecoder.decode(Packets.ipv4(
            source: "10.0.0.1", destination: "10.0.0.2", protocol: 1, payload: Packets.icmpEcho(type: 8, id: 0x4242, payload: [9, 9])
        ))
        #expect(echo.icmpType == 8 && echo.icmpCode == 0 && echo.icmpEchoID == 0x4242)
        #expect(echo.sourcePort == 0 && echo.destinationPort == 0)
        #expect(echo.payloadLength == 2)

        let unreachable = try PacketDecoder.decode(Packets.ipv4(
            source: "10.0.0.1", destination: "10.0.0.2", protocol: 1, payload: [3, 3, 0, 0, 0, 0, 0, 0]
        ))
        #expect(unreachable.icmpType == 3 && unreachable.icmpCode == 3 && unreachable.icmpEchoID == nil)
    }

    @Test func ipv4TrailingBytesBeyondTotalLengthAreIgnored() throws {
        var bytes = Packets.ipv4(
            source: "10.0.0.1", destination: "10.0.0.2", protocol: 17, payload: Packets.udp(sourcePort: 1, destinationPort: 2)
        )
        bytes += [0, 0, 0, 0]
        let packet = try PacketDecoder.decode(bytes)
        #expect(packet.length == bytes.count - 4)
        #expect(packet.payloadLength == 0)
    }

    @Test func ipv4Fragments() throws {
        let datagram = Packets.udp(sourcePort: 4000, destinationPort: 53, payload: Array(repeating: 7, count: 40))
        let first = try PacketDecoder.decode(Packets.ipv4(
            source: "10.0.0.1", destination: "10.0.0.2", protocol: 17, payload: Array(datagram[0..<24]), moreFragments: true
        ))
        #expect(first.isFragment && first.fragmentOffset == 0 && !first.isNonFirstFragment)
        #expect(first.hasTransportHeader && first.sourcePort == 4000 && first.destinationPort == 53)

        let second = try PacketDecoder.decode(Packets.ipv4(
            source: "10.0.0.1", destination: "10.0.0.2", protocol: 17, payload: Array(datagram[24...]), fragmentOffset: 24
        ))
        #expect(second.isFragment && second.isNonFirstFragment && second.fragmentOffset == 24)
        #expect(!second.hasTransportHeader && second.sourcePort == 0 && second.destinationPort == 0)
        #expect(second.payloadLength == datagram.count - 24)
    }

    @Test func ipv6TCPAfterExtensionHeaders() throws {
        let segment = Packets.tcp(sourcePort: 40000, destinationPort: 80, flags: 0x02)
        let hopByHop: [UInt8] = [0, 1, 4, 0, 0, 0, 0] // length 0 → 8 bytes: PadN
        let destinationOptions: [UInt8] = [1, 1, 4, 0, 0, 0, 0, 1, 6, 0, 0, 0, 0, 0, 0] // length 1 → 16 bytes
        let bytes = Packets.ipv6(
            source: "2001:db8::1", destination: "2001:db8::2", protocol: 6, payload: segment, hopLimit: 9,
            extensions: [(0, hopByHop), (60, destinationOptions)]
        )
        let packet = try PacketDecoder.decode(bytes)
        #expect(packet.ipVersion == 6)
        #expect(packet.source == IPAddress("2001:db8::1"))
        #expect(packet.destination == IPAddress("2001:db8::2"))
        #expect(packet.ipProtocol == 6)
        #expect(packet.ttl == 9)
        #expect(packet.sourcePort == 40000 && packet.destinationPort == 80 && packet.tcpFlags == 0x02)
        #expect(packet.payloadOffset == 40 + 8 + 16 + 20)
    }

    @Test func ipv6Fragments() throws {
        let datagram = Packets.udp(sourcePort: 7000, destinationPort: 53, payload: Array(repeating: 1, count: 32))
        // Fragment header body: reserved, offset/flags (16 bits), identification (32 bits).
        func fragment(offset: Int, more: Bool) -> [UInt8] {
            [0] + Packets.be16(UInt16(offset / 8) << 3 | (more ? 1 : 0)) + Packets.be32(0xCAFE)
        }
        let first = try PacketDecoder.decode(Packets.ipv6(
            source: "2001:db8::1", destination: "2001:db8::2", protocol: 17, payload: Array(datagram[0..<16]),
            extensions: [(44, fragment(offset: 0, more: true))]
        ))
        #expect(first.isFragment && !first.isNonFirstFragment && first.ipID == 0xCAFE)
        #expect(first.ipProtocol == 17 && first.sourcePort == 7000)

        let later = try PacketDecoder.decode(Packets.ipv6(
            source: "2001:db8::1", destination: "2001:db8::2", protocol: 17, payload: Array(datagram[16...]),
            extensions: [(44, fragment(offset: 16, more: false))]
        ))
        #expect(later.isNonFirstFragment && later.fragmentOffset == 16 && later.ipProtocol == 17)
        #expect(!later.hasTransportHeader && later.sourcePort == 0)
    }

    @Test func icmpv6Echo() throws {
        let packet = try PacketDecoder.decode(Packets.ipv6(
            source: "fe80::1", destination: "fe80::2", protocol: 58, payload: Packets.icmpEcho(type: 128, id: 99)
        ))
        #expect(packet.ipProtocol == 58 && packet.icmpType == 128 && packet.icmpEchoID == 99)
    }

    static let tcpV4 = Packets.ipv4(
        source: "10.0.0.1", destination: "10.0.0.2", protocol: 6,
        payload: Packets.tcp(sourcePort: 1, destinationPort: 2, flags: 0x02, payload: [1, 2, 3])
    )
    static let tcpV6 = Packets.ipv6(
        source: "2001:db8::1", destination: "2001:db8::2", protocol: 6,
        payload: Packets.tcp(sourcePort: 1, destinationPort: 2, flags: 0x02)
    )

    /// Every prefix of a valid packet that cuts into a header is refused, never trapped on.
    @Test(arguments: [tcpV4, tcpV6])
    func truncatedPrefixesAreErrors(_ bytes: [UInt8]) {
        for length in 0..<bytes.count {
            let prefix = Array(bytes[0..<length])
            #expect(throws: PacketDecodeError.self, "prefix of \(length) bytes") {
                _ = try PacketDecoder.decode(prefix)
            }
        }
    }

    @Test func malformedHeadersAreErrors() {
        var badVersion = Self.tcpV4
        badVersion[0] = 0x55
        #expect(throws: PacketDecodeError.unsupportedVersion(5)) { try PacketDecoder.decode(badVersion) }

        var shortIHL = Self.tcpV4
        shortIHL[0] = 0x44
        #expect(throws: PacketDecodeError.badHeaderLength) { try PacketDecoder.decode(shortIHL) }

        var longTotal = Self.tcpV4
        longTotal[3] = UInt8(longTotal.count + 1)
        #expect(throws: PacketDecodeError.badTotalLength) { try PacketDecoder.decode(longTotal) }

        var badDataOffset = Self.tcpV4
        badDataOffset[20 + 12] = 0x40 // 16 bytes < 20
        #expect(throws: PacketDecodeError.truncatedTransportHeader(protocol: 6)) { try PacketDecoder.decode(badDataOffset) }

        let badUDPLength = Packets.ipv4(
            source: "10.0.0.1", destination: "10.0.0.2", protocol: 17,
            payload: Packets.udp(sourcePort: 1, destinationPort: 2, payload: [1], length: 200)
        )
        #expect(throws: PacketDecodeError.truncatedTransportHeader(protocol: 17)) { try PacketDecoder.decode(badUDPLength) }

        let runawayExtension = Packets.ipv6(
            source: "::1", destination: "::1", protocol: 6, payload: [],
            extensions: [(0, [200, 0, 0, 0, 0, 0, 0])] // claims (200+1)*8 bytes
        )
        #expect(throws: PacketDecodeError.badExtensionHeader) { try PacketDecoder.decode(runawayExtension) }
    }

    @Test func randomGarbageNeverTraps() {
        var generator = SystemRandomNumberGenerator()
        var decoded = 0
        for _ in 0..<5000 {
            var bytes = (0..<Int.random(in: 0...80, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if !bytes.isEmpty { bytes[0] = Bool.random() ? 0x45 : 0x60 }
            if (try? PacketDecoder.decode(bytes)) != nil { decoded += 1 }
        }
        #expect(decoded < 5000)
    }
}

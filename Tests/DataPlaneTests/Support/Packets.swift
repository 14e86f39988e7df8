@testable import DataPlane
import Shared

/// Hand-built packets, byte by byte, as NFQUEUE hands them over (IP header first).
enum Packets {
    static func be16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }
    static func be32(_ value: UInt32) -> [UInt8] { be16(UInt16(value >> 16)) + be16(UInt16(value & 0xFFFF)) }

    static func v4(_ text: String) -> [UInt8] {
        text.split(separator: ".").map { UInt8($0)! }
    }

    static func v6(_ text: String) -> [UInt8] {
        let address = IPAddress(text)!
        var bytes: [UInt8] = []
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: address.high >> UInt64(shift))) }
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: address.low >> UInt64(shift))) }
        return bytes
    }

    /// An IPv4 datagram around `payload`.
    static func ipv4(
        source: String, destination: String, protocol proto: UInt8, payload: [UInt8], ttl: UInt8 = 64, id: UInt16 = 0x1234,
        moreFragments: Bool = false, fragmentOffset: Int = 0, options: [UInt8] = []
    ) -> [UInt8] {
        precondition(options.count % 4 == 0)
        let headerLength = 20 + options.count
        var flags = UInt16(fragmentOffset / 8)
        if moreFragments { flags |= 0x2000 }
        var bytes: [UInt8] = [0x40 | UInt8(headerLength / 4), 0]
        bytes += be16(UInt16(headerLength + payload.count)) + be16(id) + be16(flags)
        bytes += [ttl, proto, 0, 0] + v4(source) + v4(destination) + options
        return bytes + payload
    }

    /// An IPv6 packet; `extensions` are (header type, body after the next-header byte) pairs.
    static func ipv6(
        source: String, destination: String, protocol proto: UInt8, payload: [UInt8], hopLimit: UInt8 = 64,
        extensions: [(type: UInt8, body: [UInt8])] = []
    ) -> [UInt8] {
        var chain: [UInt8] = []
        let types = extensions.map(\.type) + [proto]
        for (index, header) in extensions.enumerated() {
            chain.append(types[index + 1])
            chain += header.body
        }
        let payloadLength = chain.count + payload.count
        var bytes: [UInt8] = [0x60, 0, 0, 0] + be16(UInt16(payloadLength)) + [types[0], hopLimit]
        bytes += v6(source) + v6(destination)
        return bytes + chain + payload
    }

    /// A TCP segment (checksum left 0: the decoder does not verify it).
    static func tcp(
        sourcePort: UInt16, destinationPort: UInt16, flags: UInt8, sequence: UInt32 = 1000, acknowledgement: UInt32 = 0,
        window: UInt16 = 65535, urgentPointer: UInt16 = 0, options: [UInt8] = [], payload: [UInt8] = []
    ) -> [UInt8] {
        precondition(options.count % 4 == 0)
        let dataOffset = UInt8((20 + options.count) / 4)
        var bytes = be16(sourcePort) + be16(destinationPort) + be32(sequence) + be32(acknowledgement)
        bytes += [dataOffset << 4, flags] + be16(window) + [0, 0] + be16(urgentPointer)
        return bytes + options + payload
    }

    static func udp(sourcePort: UInt16, destinationPort: UInt16, payload: [UInt8] = [], length: UInt16? = nil) -> [UInt8] {
        be16(sourcePort) + be16(destinationPort) + be16(length ?? UInt16(8 + payload.count)) + [0, 0] + payload
    }

    static func icmpEcho(type: UInt8, id: UInt16, sequence: UInt16 = 1, payload: [UInt8] = []) -> [UInt8] {
        [type, 0, 0, 0] + be16(id) + be16(sequence) + payload
    }

    // MARK: Decoded shortcuts

    static func decode(_ bytes: [UInt8]) -> DecodedPacket {
        do {
            return try PacketDecoder.decode(bytes)
        } catch {
            fatalError("test packet does not decode: \(error)")
        }
    }

    /// `"10.0.0.1:1234"` → (address, port).
    static func endpoint(_ text: String) -> (String, UInt16) {
        if text.hasPrefix("[") {
            let close = text.firstIndex(of: "]")!
            let address = String(text[text.index(after: text.startIndex)..<close])
            let port = UInt16(text[text.index(close, offsetBy: 2)...])!
            return (address, port)
        }
        let parts = text.split(separator: ":")
        return (String(parts[0]), UInt16(parts[1])!)
    }

    static func tcpPacket(_ from: String, _ to: String, flags: UInt8, payload: [UInt8] = []) -> DecodedPacket {
        let (source, sourcePort) = endpoint(from)
        let (destination, destinationPort) = endpoint(to)
        let segment = tcp(sourcePort: sourcePort, destinationPort: destinationPort, flags: flags, payload: payload)
        if source.contains(":") {
            return decode(ipv6(source: source, destination: destination, protocol: 6, payload: segment))
        }
        return decode(ipv4(source: source, destination: destination, protocol: 6, payload: segment))
    }

    static func udpPacket(_ from: String, _ to: String, payload: [UInt8] = [1, 2, 3]) -> DecodedPacket {
        let (source, sourcePort) = endpoint(from)
        let (destination, destinationPort) = endpoint(to)
        let datagram = udp(sourcePort: sourcePort, destinationPort: destinationPort, payload: payload)
        if source.contains(":") {
            return decode(ipv6(source: source, destination: destination, protocol: 17, payload: datagram))
        }
        return decode(ipv4(source: source, destination: destination, protocol: 17, payload: datagram))
    }

    static func ping(_ from: String, _ to: String, reply: Bool = false, id: UInt16 = 7) -> DecodedPacket {
        decode(ipv4(source: from, destination: to, protocol: 1, payload: icmpEcho(type: reply ? 0 : 8, id: id)))
    }

    static let syn: UInt8 = 0x02
    static let synAck: UInt8 = 0x12
    static let ack: UInt8 = 0x10
    static let pshAck: UInt8 = 0x18
    static let fin: UInt8 = 0x01
    static let finAck: UInt8 = 0x11
    static let rst: UInt8 = 0x04
}

import Foundation

extension Array where Element == UInt8 {
    mutating func put16(_ value: UInt16) {
        append(UInt8(value >> 8))
        append(UInt8(value & 0xFF))
    }

    mutating func put24(_ value: Int) {
        append(UInt8((value >> 16) & 0xFF))
        append(UInt8((value >> 8) & 0xFF))
        append(UInt8(value & 0xFF))
    }

    mutating func put32(_ value: UInt32) {
        put16(UInt16(value >> 16))
        put16(UInt16(value & 0xFFFF))
    }
}

enum TCPFlag {
    static let fin: UInt8 = 0x01
    static let syn: UInt8 = 0x02
    static let rst: UInt8 = 0x04
    static let psh: UInt8 = 0x08
    static let ack: UInt8 = 0x10
}

/// An IPv4 endpoint.
struct Endpoint {
    var address: UInt32
    var port: UInt16
}

enum PacketBuilder {
    /// An IPv4 packet (no options, DF set, checksum left zero: the processor does not check it).
    static func ipv4(source: UInt32, destination: UInt32, protocol ipProtocol: UInt8, id: UInt16, ttl: UInt8, transport: [UInt8]) -> [UInt8] {
        var packet: [UInt8] = []
        packet.reserveCapacity(20 + transport.count)
        packet.append(0x45)
        packet.append(0)
        packet.put16(UInt16(20 + transport.count))
        packet.put16(id)
        packet.put16(0x4000)
        packet.append(ttl)
        packet.append(ipProtocol)
        packet.put16(0)
        packet.put32(source)
        packet.put32(destination)
        packet.append(contentsOf: transport)
        return packet
    }

    static func tcp(from: Endpoint, to: Endpoint, sequence: UInt32, acknowledgement: UInt32, flags: UInt8, payload: [UInt8], id: UInt16, ttl: UInt8) -> [UInt8] {
        var segment: [UInt8] = []
        segment.reserveCapacity(20 + payload.count)
        segment.put16(from.port)
        segment.put16(to.port)
        segment.put32(sequence)
        segment.put32(flags & TCPFlag.ack != 0 ? acknowledgement : 0)
        segment.append(5 << 4)
        segment.append(flags)
        segment.put16(64240)
        segment.put16(0)
        segment.put16(0)
        segment.append(contentsOf: payload)
        return ipv4(source: from.address, destination: to.address, protocol: 6, id: id, ttl: ttl, transport: segment)
    }

    static func udp(from: Endpoint, to: Endpoint, payload: [UInt8], id: UInt16, ttl: UInt8) -> [UInt8] {
        var datagram: [UInt8] = []
        datagram.reserveCapacity(8 + payload.count)
        datagram.put16(from.port)
        datagram.put16(to.port)
        datagram.put16(UInt16(8 + payload.count))
        datagram.put16(0)
        datagram.append(contentsOf: payload)
        return ipv4(source: from.address, destination: to.address, protocol: 17, id: id, ttl: ttl, transport: datagram)
    }
}

/// One TCP connection's packets in order, with sequence numbers tracked per side.
struct TCPConversation {
    let client: Endpoint
    let server: Endpoint
    var clientSequence: UInt32
    var serverSequence: UInt32
    var clientID: UInt16
    var serverID: UInt16
    var packets: [[UInt8]] = []
    static let segmentSize = 1448

    init(client: Endpoint, server: Endpoint, random: inout SeededGenerator) {
        self.client = client
        self.server = server
        clientSequence = UInt32(truncatingIfNeeded: random.next())
        serverSequence = UInt32(truncatingIfNeeded: random.next())
        clientID = UInt16(truncatingIfNeeded: random.next())
        serverID = UInt16(truncatingIfNeeded: random.next())
    }

    private mutating func emit(fromClient: Bool, flags: UInt8, payload: [UInt8] = []) {
        if fromClient {
            packets.append(PacketBuilder.tcp(
                from: client, to: server, sequence: clientSequence, acknowledgement: serverSequence, flags: flags,
                payload: payload, id: clientID, ttl: 64
            ))
            clientID &+= 1
            clientSequence &+= UInt32(payload.count) + (flags & (TCPFlag.syn | TCPFlag.fin) != 0 ? 1 : 0)
        } else {
            packets.append(PacketBuilder.tcp(
                from: server, to: client, sequence: serverSequence, acknowledgement: clientSequence, flags: flags,
                payload: payload, id: serverID, ttl: 57
            ))
            serverID &+= 1
            serverSequence &+= UInt32(payload.count) + (flags & (TCPFlag.syn | TCPFlag.fin) != 0 ? 1 : 0)
        }
    }

    mutating func handshake() {
        emit(fromClient: true, flags: TCPFlag.syn)
        emit(fromClient: false, flags: TCPFlag.syn | TCPFlag.ack)
        emit(fromClient: true, flags: TCPFlag.ack)
    }

    /// Sends `data` in full-sized segments; the receiver acknowledges every second segment.
    mutating func send(fromClient: Bool, _ data: [UInt8]) {
        var offset = 0
        var segments = 0
        while offset < data.count {
            let end = min(data.count, offset + TCPConversation.segmentSize)
            emit(fromClient: fromClient, flags: TCPFlag.ack | (end == data.count ? TCPFlag.psh : 0), payload: Array(data[offset..<end]))
            offset = end
            segments += 1
            if segments % 2 == 0 || offset == data.count { emit(fromClient: !fromClient, flags: TCPFlag.ack) }
        }
    }

    mutating func close() {
        emit(fromClient: true, flags: TCPFlag.fin | TCPFlag.ack)
        emit(fromClient: false, flags: TCPFlag.ack)
        emit(fromClient: false, flags: TCPFlag.fin | TCPFlag.ack)
        emit(fromClient: true, flags: TCPFlag.ack)
    }
}

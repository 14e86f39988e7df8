public import Foundation

/// Frames: a 4-byte big-endian payload length, a 1-byte message type, then the JSON payload.
public enum WireCodec {
    /// The largest payload either side accepts.
    public static let maximumPayload = 64 * 1024 * 1024

    /// The bytes of one frame carrying `message`.
    public static func encode(_ message: WireMessage) throws -> [UInt8] {
        let payload: Data
        switch message {
        case .hello(let value): payload = try CanonicalJSON.encode(value)
        case .snapshot(let value): payload = try CanonicalJSON.encode(value)
        case .ack(let value): payload = try CanonicalJSON.encode(value)
        case .nack(let value): payload = try CanonicalJSON.encode(value)
        case .stats(let value): payload = try CanonicalJSON.encode(value)
        case .events(let value): payload = try CanonicalJSON.encode(value)
        case .heartbeat(let value): payload = try CanonicalJSON.encode(value)
        }
        guard payload.count <= maximumPayload else { throw WireError.frameTooLarge(payload.count) }
        let length = UInt32(payload.count)
        var frame: [UInt8] = [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF), message.typeCode]
        frame.append(contentsOf: payload)
        return frame
    }

    /// Decodes the payload of a frame of type `type`.
    public static func decode(type: UInt8, payload: Data) throws -> WireMessage {
        do {
            switch type {
            case 1: return .hello(try CanonicalJSON.decode(Hello.self, from: payload))
            case 2: return .snapshot(try CanonicalJSON.decode(Snapshot.self, from: payload))
            case 3: return .ack(try CanonicalJSON.decode(Ack.self, from: payload))
            case 4: return .nack(try CanonicalJSON.decode(Nack.self, from: payload))
            case 5: return .stats(try CanonicalJSON.decode(Stats.self, from: payload))
            case 6: return .events(try CanonicalJSON.decode(Events.self, from: payload))
            case 7: return .heartbeat(try CanonicalJSON.decode(Heartbeat.self, from: payload))
            default: throw WireError.unknownType(type)
            }
        } catch let error as WireError {
            throw error
        } catch {
            throw WireError.malformedPayload(type: type, reason: "\(error)")
        }
    }
}

/// Accumulates bytes from a stream and yields whole messages.
public struct FrameDecoder: Sendable {
    private var buffer: [UInt8] = []
    private var start = 0

    public init() {}

    /// Adds received bytes.
    public mutating func append<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        buffer.append(contentsOf: bytes)
    }

    /// The next whole message, or nil when more bytes are needed.
    public mutating func next() throws -> WireMessage? {
        let available = buffer.count - start
        guard available >= 5 else { return nil }
        let length = Int(buffer[start]) << 24 | Int(buffer[start + 1]) << 16 | Int(buffer[start + 2]) << 8 | Int(buffer[start + 3])
        guard length <= WireCodec.maximumPayload else { throw WireError.frameTooLarge(length) }
        guard available >= 5 + length else { return nil }
        let type = buffer[start + 4]
        let payload = Data(buffer[(start + 5)..<(start + 5 + length)])
        start += 5 + length
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        } else if start > 1 << 20 {
            buffer.removeFirst(start)
            start = 0
        }
        return try WireCodec.decode(type: type, payload: payload)
    }
}

/// Why a frame could not be read or written.
public enum WireError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The frame's payload is larger than ``WireCodec/maximumPayload``.
    case frameTooLarge(Int)
    /// The type byte names no message.
    case unknownType(UInt8)
    /// The payload is not the JSON of its message type.
    case malformedPayload(type: UInt8, reason: String)

    public var description: String {
        switch self {
        case .frameTooLarge(let size): "frame of \(size) bytes exceeds the \(WireCodec.maximumPayload)-byte limit"
        case .unknownType(let type): "unknown frame type \(type)"
        case .malformedPayload(let type, let reason): "malformed payload for frame type \(type): \(reason)"
        }
    }
}

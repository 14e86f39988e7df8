/// A bounds-checked big-endian cursor over a byte array, for the binary parsers (TLS, DER, DNS): every read
/// returns nil instead of trapping when the input is short, so a truncated or hostile message is an
/// ordinary parse failure.
struct ByteReader {
    let bytes: [UInt8]
    private(set) var offset: Int
    let end: Int

    init(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        let end = min(end ?? bytes.count, bytes.count)
        self.offset = min(max(start, 0), end)
        self.end = end
    }

    var remaining: Int { end - offset }
    var isAtEnd: Bool { offset >= end }

    mutating func u8() -> UInt8? {
        guard offset < end else { return nil }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u16() -> UInt16? {
        guard remaining >= 2 else { return nil }
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    mutating func u24() -> Int? {
        guard remaining >= 3 else { return nil }
        defer { offset += 3 }
        return Int(bytes[offset]) << 16 | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2])
    }

    mutating func u32() -> UInt32? {
        guard remaining >= 4 else { return nil }
        defer { offset += 4 }
        return UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8
            | UInt32(bytes[offset + 3])
    }

    /// The next `count` bytes, copied.
    mutating func bytes(_ count: Int) -> [UInt8]? {
        guard count >= 0, remaining >= count else { return nil }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    /// Skips `count` bytes; false when fewer remain.
    mutating func skip(_ count: Int) -> Bool {
        guard count >= 0, remaining >= count else { return false }
        offset += count
        return true
    }

    /// A reader over the next `count` bytes, which this reader skips.
    mutating func sub(_ count: Int) -> ByteReader? {
        guard count >= 0, remaining >= count else { return nil }
        defer { offset += count }
        return ByteReader(bytes, from: offset, to: offset + count)
    }

    /// A reader over the next `u8`-length-prefixed field.
    mutating func subU8() -> ByteReader? {
        guard let length = u8() else { return nil }
        return sub(Int(length))
    }

    /// A reader over the next `u16`-length-prefixed field.
    mutating func subU16() -> ByteReader? {
        guard let length = u16() else { return nil }
        return sub(Int(length))
    }

    /// A reader over the next `u24`-length-prefixed field.
    mutating func subU24() -> ByteReader? {
        guard let length = u24() else { return nil }
        return sub(length)
    }

    /// The bytes between the reader's position and its end, copied.
    var rest: [UInt8] { Array(bytes[offset..<end]) }
}

extension ByteTest {
    /// Whether the test holds on `buffer`, reading at `offset` (from `previousEnd`, the end of the previous
    /// match, when `relative`), as Suricata's `DetectBytetestDoMatch` does:
    /// - an empty buffer, bytes outside the buffer, or a relative position at or past its end: no match,
    ///   whatever the negation;
    /// - `string`: the bytes are read as C's `strtoull` reads them (leading spaces and a sign allowed, `0x`
    ///   allowed in hexadecimal, digits up to the first other byte); no digit or an overflow: no match;
    /// - `bitmask`: the value is masked, then shifted right by the mask's trailing zero bits;
    /// - the comparison is negated by `!`.
    func matches(_ buffer: UnsafeRawBufferPointer, previousEnd: Int) -> Bool {
        let length = buffer.count
        guard length > 0 else { return false }
        let start = relative ? previousEnd + offset : offset
        if relative && length - start <= 0 { return false }
        guard start >= 0, count <= length - start else { return false }
        let bytes = UnsafeRawBufferPointer(rebasing: buffer[start..<(start + count)])
        var number: UInt64
        if let stringBase {
            guard let parsed = Self.readNumber(bytes, base: stringBase.rawValue) else { return false }
            number = parsed
        } else {
            number = 0
            if littleEndian {
                for byte in bytes.reversed() { number = number << 8 | UInt64(byte) }
            } else {
                for byte in bytes { number = number << 8 | UInt64(byte) }
            }
        }
        if let bitmask, bitmask != 0 {
            number &= bitmask
            if number != 0 { number >>= UInt64(bitmask.trailingZeroBitCount) }
        }
        let holds = switch op {
        case .equal: number == value
        case .less: number < value
        case .greater: number > value
        case .lessOrEqual: number <= value
        case .greaterOrEqual: number >= value
        case .and: number & value != 0
        case .or: number ^ value != 0
        }
        return holds != negated
    }

    /// `strtoull(bytes, base)` over bytes that are not NUL-terminated: leading white space, an optional
    /// sign (a minus negates modulo 2^64), `0x` before hexadecimal digits, then the longest run of digits.
    /// Nil without a digit or on overflow.
    static func readNumber(_ bytes: UnsafeRawBufferPointer, base: Int) -> UInt64? {
        var index = 0
        while index < bytes.count, bytes[index] == 0x20 || (bytes[index] >= 0x09 && bytes[index] <= 0x0D) { index += 1 }
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        if base == 16, index + 2 < bytes.count, bytes[index] == UInt8(ascii: "0"),
           bytes[index + 1] | 0x20 == UInt8(ascii: "x"), digit(bytes[index + 2], base: 16) != nil
        {
            index += 2
        }
        var number: UInt64 = 0
        var digits = 0
        while index < bytes.count, let digit = digit(bytes[index], base: base) {
            let (shifted, overflow1) = number.multipliedReportingOverflow(by: UInt64(base))
            let (sum, overflow2) = shifted.addingReportingOverflow(UInt64(digit))
            if overflow1 || overflow2 { return nil }
            number = sum
            digits += 1
            index += 1
        }
        guard digits > 0 else { return nil }
        return negative ? 0 &- number : number
    }

    private static func digit(_ byte: UInt8, base: Int) -> Int? {
        let value: Int
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): value = Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): value = Int(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): value = Int(byte - UInt8(ascii: "A")) + 10
        default: return nil
        }
        return value < base ? value : nil
    }
}

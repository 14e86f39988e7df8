/// Decimal numbers written straight into a byte buffer, for the text EVE builds as bytes (JSON numbers,
/// timestamps, JA3 strings), without the intermediate string `String(value)` would allocate.
enum ASCIIDecimal {
    /// Appends `value` in decimal, zero-padded to at least `minimumDigits` digits, `-` first when negative.
    static func append(_ value: Int64, minimumDigits: Int = 1, to text: inout [UInt8]) {
        if value < 0 { text.append(UInt8(ascii: "-")) }
        append(value.magnitude, minimumDigits: minimumDigits, to: &text)
    }

    /// Appends `value` in decimal, zero-padded to at least `minimumDigits` digits.
    static func append(_ value: UInt64, minimumDigits: Int = 1, to text: inout [UInt8]) {
        var divisor: UInt64 = 1
        var count = 1
        while value / divisor >= 10 {
            divisor *= 10
            count += 1
        }
        if count < minimumDigits { text.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: minimumDigits - count)) }
        while divisor > 0 {
            text.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
            divisor /= 10
        }
    }
}

/// Small text helpers shared by the payload option parsers.
enum PayloadText {
    /// `text` without leading and trailing spaces, tabs and line breaks.
    static func trimmed(_ text: Substring) -> Substring {
        guard let first = text.firstIndex(where: { !isSpace($0) }), let last = text.lastIndex(where: { !isSpace($0) }) else {
            return text[text.endIndex...]
        }
        return text[first...last]
    }

    static func isSpace(_ character: Character) -> Bool {
        character == " " || character == "\t" || character == "\n" || character == "\r"
    }

    /// An unsigned number read as C's `strtoull` with base 0 reads it (Suricata's parsers do): `0x…` is
    /// hexadecimal, a leading `0` octal, anything else decimal. The whole text must be the number; nil
    /// on anything else or on overflow.
    static func unsigned(_ text: Substring) -> UInt64? {
        let text = trimmed(text)
        if text.count > 2, text.hasPrefix("0x") || text.hasPrefix("0X") {
            return UInt64(text.dropFirst(2), radix: 16)
        }
        if text.count > 1, text.hasPrefix("0") {
            return UInt64(text.dropFirst(), radix: 8)
        }
        guard let first = text.first, first.isASCII, first.isNumber else { return nil }
        return UInt64(text, radix: 10)
    }

    /// A signed number: an optional `-` or `+`, then what `unsigned` reads.
    static func signed(_ text: Substring) -> Int64? {
        var text = trimmed(text)
        var negative = false
        if let sign = text.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            text = text.dropFirst()
        }
        guard let magnitude = unsigned(text) else { return nil }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }
}

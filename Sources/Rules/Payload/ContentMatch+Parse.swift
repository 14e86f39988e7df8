extension ContentMatch {
    /// Reads a `content` option value as written in the rule: `"abc|0d 0a|def"`, `!"x"`, `"a\"b\;c"`.
    ///
    /// The value is `[!]"…"`. Between the quotes, `|…|` holds hexadecimal bytes (spaces between digits
    /// are ignored, each byte is two digits), and `\"`, `\;`, `\\` and `\:` stand for the character
    /// after the backslash; other characters are their UTF-8 bytes. An empty pattern, an odd number of
    /// hex digits, a character that is not a hex digit between pipes, an unterminated `|`, an unescaped
    /// `"`, or another escape are errors. Errors have column 0; the caller adds the option's position.
    static func parsePattern(_ text: String) throws(RuleError) -> (pattern: [UInt8], negated: Bool) {
        var value = PayloadText.trimmed(Substring(text))
        var negated = false
        if value.first == "!" {
            negated = true
            value = PayloadText.trimmed(value.dropFirst())
        }
        guard value.count >= 2, value.first == "\"", value.last == "\"" else {
            throw invalid("content value must be enclosed in double quotes: \(text)")
        }
        let inner = value.dropFirst().dropLast().utf8
        var pattern: [UInt8] = []
        pattern.reserveCapacity(inner.count)
        var inHex = false
        var escaped = false
        var highNibble: UInt8?
        for byte in inner {
            if inHex {
                if byte == UInt8(ascii: "|") {
                    guard highNibble == nil else { throw invalid("odd number of hex digits between '|' in content \(text)") }
                    inHex = false
                } else if let nibble = hexValue(byte) {
                    if let high = highNibble {
                        pattern.append(high << 4 | nibble)
                        highNibble = nil
                    } else {
                        highNibble = nibble
                    }
                } else if byte != UInt8(ascii: " ") {
                    throw invalid("'\(display(byte))' is not a hex digit (between '|' in content \(text))")
                }
            } else if escaped {
                guard byte == UInt8(ascii: "\"") || byte == UInt8(ascii: ";") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: ":") else {
                    throw invalid("invalid escape '\\\(display(byte))' in content \(text) (only \\\" \\; \\\\ and \\: are escapes)")
                }
                pattern.append(byte)
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == UInt8(ascii: "|") {
                inHex = true
            } else if byte == UInt8(ascii: "\"") {
                throw invalid("unescaped '\"' in content \(text) (write \\\" or |22|)")
            } else {
                pattern.append(byte)
            }
        }
        if inHex { throw invalid("unterminated '|' in content \(text)") }
        if escaped { throw invalid("content \(text) ends with a lone backslash") }
        if pattern.isEmpty { throw invalid("empty content pattern: \(text)") }
        return (pattern, negated)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func display(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16)
    }

    private static func invalid(_ message: String) -> RuleError {
        RuleError(code: .invalidValue, message: message)
    }
}

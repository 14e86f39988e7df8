/// How EVE writes protocol bytes as text, following Suricata's JSON builder: ASCII as is (the JSON writer
/// escapes control characters) and every other byte as `\xNN`, so that no byte sequence is lost or yields
/// invalid UTF-8.
enum EveText {
    static func string<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var text = ""
        for byte in bytes {
            if byte < 0x80 {
                text.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                text += "\\x"
                text += hexDigits(byte, upper: false)
            }
        }
        return text
    }

    /// `00:1A:FF` (upper) or `00:1a:ff`: the bytes in hex, colon-separated.
    static func colonHex<Bytes: Sequence>(_ bytes: Bytes, upper: Bool) -> String where Bytes.Element == UInt8 {
        var text = ""
        for byte in bytes {
            if !text.isEmpty { text += ":" }
            text += hexDigits(byte, upper: upper)
        }
        return text
    }

    /// The bytes in hex without separators.
    static func hex<Bytes: Sequence>(_ bytes: Bytes, upper: Bool) -> String where Bytes.Element == UInt8 {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes { appendHex(byte, upper: upper, to: &text) }
        return String(decoding: text, as: UTF8.self)
    }

    static func hexDigits(_ byte: UInt8, upper: Bool) -> String {
        var text: [UInt8] = []
        appendHex(byte, upper: upper, to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends `byte`'s two hex digits to `text`.
    static func appendHex(_ byte: UInt8, upper: Bool, to text: inout [UInt8]) {
        let digits = upper ? upperDigits : lowerDigits
        text.append(digits[Int(byte >> 4)])
        text.append(digits[Int(byte & 0x0f)])
    }

    private static let lowerDigits: [UInt8] = Array("0123456789abcdef".utf8)
    private static let upperDigits: [UInt8] = Array("0123456789ABCDEF".utf8)
}

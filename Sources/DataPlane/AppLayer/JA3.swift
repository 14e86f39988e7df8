import Crypto

/// A JA3 (client) or JA3S (server) TLS fingerprint: the hello's fields in decimal, values joined by `-`,
/// fields by `,`, GREASE values (RFC 8701) left out; the hash is the MD5 of that string in lower-case hex.
struct JA3: Hashable {
    /// The fingerprint string's bytes (ASCII), built once.
    let text: [UInt8]

    /// The fingerprint of `fields`, each a list of values (GREASE already left out).
    init(fields: [[Int]]) {
        var text: [UInt8] = []
        text.reserveCapacity(fields.reduce(0) { $0 + 6 * $1.count + 1 })
        for (position, field) in fields.enumerated() {
            if position > 0 { text.append(UInt8(ascii: ",")) }
            for (index, value) in field.enumerated() {
                if index > 0 { text.append(UInt8(ascii: "-")) }
                ASCIIDecimal.append(Int64(value), to: &text)
            }
        }
        self.text = text
    }

    var string: String { String(decoding: text, as: UTF8.self) }

    var hash: String {
        EveText.hex(Insecure.MD5.hash(data: text), upper: false)
    }

    /// The 16 GREASE values `0x?a?a` with equal bytes.
    static func isGREASE(_ value: UInt16) -> Bool {
        value & 0x0F0F == 0x0A0A && value >> 8 == value & 0xFF
    }
}

import Crypto

/// A JA3 (client) or JA3S (server) TLS fingerprint: the hello's fields in decimal, values joined by `-`,
/// fields by `,`, GREASE values (RFC 8701) left out; the hash is the MD5 of that string in lower-case hex.
struct JA3: Hashable {
    var fields: [[Int]]

    var string: String {
        fields.map { $0.map(String.init).joined(separator: "-") }.joined(separator: ",")
    }

    var hash: String {
        EveText.hex(Insecure.MD5.hash(data: Array(string.utf8)), upper: false)
    }

    /// The 16 GREASE values `0x?a?a` with equal bytes.
    static func isGREASE(_ value: UInt16) -> Bool {
        value & 0x0F0F == 0x0A0A && value >> 8 == value & 0xFF
    }
}

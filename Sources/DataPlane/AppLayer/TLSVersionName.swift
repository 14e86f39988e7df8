/// How Suricata names a TLS version in EVE (`SSLVersionToString`).
enum TLSVersionName {
    static func eve(_ version: UInt16?) -> String {
        guard let version else { return "UNDETERMINED" }
        switch version {
        case 0: return "UNDETERMINED"
        case 0x0200: return "SSLv2"
        case 0x0300: return "SSLv3"
        case 0x0301: return "TLSv1"
        case 0x0302: return "TLS 1.1"
        case 0x0303: return "TLS 1.2"
        case 0x0304: return "TLS 1.3"
        case 0x7F10...0x7F1C: return "TLS 1.3 draft-\(version - 0x7F00)"
        default: return "0x" + EveText.hex([UInt8(version >> 8), UInt8(version & 0xFF)], upper: false)
        }
    }

    /// TLS 1.3 or one of its drafts: everything after the ServerHello is encrypted.
    static func isTLS13(_ version: UInt16) -> Bool {
        version == 0x0304 || version >> 8 == 0x7F
    }
}

import Crypto
import Shared

/// The fields Suricata takes from a server's first certificate (its `tls.cert_*` buffers and EVE `tls`
/// fields), read from the DER with a minimal X.509 walk (RFC 5280 section 4.1) rather than a full
/// certificate parser: nothing here is verified, only displayed and matched.
///
/// Names print as Suricata's x509-parser does: RDNs in certificate order joined by `", "`, the attributes
/// of a multi-valued RDN by `" + "`, each `ABBREV=value` with C, ST, L, O, OU, CN, DC and Email
/// abbreviated, other known attributes by their short name and unknown ones as `OID(1.2.3)`; values of
/// string types as text, others in upper-case hex.
struct X509Summary: Hashable {
    var subject: String
    var issuer: String
    /// `00:8F:1A:…`: the serial's content bytes in upper-case hex.
    var serial: String
    /// SHA-1 of the DER, lower-case hex with colons.
    var fingerprint: String
    /// `2024-01-15T10:30:45` (UTC).
    var notBefore: String
    var notAfter: String

    init?(der: [UInt8]) {
        var outer = DERReader(der)
        guard let certificate = outer.next(tag: 0x30) else { return nil }
        var certificateContent = DERReader(contentsOf: certificate, in: der)
        guard let tbs = certificateContent.next(tag: 0x30) else { return nil }
        var fields = DERReader(contentsOf: tbs, in: der)
        _ = fields.next(tag: 0xA0) // version
        guard let serial = fields.next(tag: 0x02), fields.next(tag: 0x30) != nil, // signature algorithm
              let issuer = fields.next(tag: 0x30), let validity = fields.next(tag: 0x30),
              let subject = fields.next(tag: 0x30),
              let issuerText = Self.name(issuer, in: der), let subjectText = Self.name(subject, in: der)
        else { return nil }
        var times = DERReader(contentsOf: validity, in: der)
        guard let notBefore = times.next().flatMap({ Self.time($0, in: der) }),
              let notAfter = times.next().flatMap({ Self.time($0, in: der) })
        else { return nil }
        self.serial = EveText.colonHex(der[serial.contentStart..<serial.contentEnd], upper: true)
        self.issuer = issuerText
        self.subject = subjectText
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.fingerprint = EveText.colonHex(Insecure.SHA1.hash(data: der), upper: false)
    }

    /// A Name (SEQUENCE OF RelativeDistinguishedName) as text.
    private static func name(_ element: DERElement, in der: [UInt8]) -> String? {
        var rdns = DERReader(contentsOf: element, in: der)
        var parts: [String] = []
        while !rdns.isAtEnd {
            guard let set = rdns.next(tag: 0x31) else { return nil }
            var attributes = DERReader(contentsOf: set, in: der)
            var values: [String] = []
            while !attributes.isAtEnd {
                guard let pair = attributes.next(tag: 0x30) else { return nil }
                var pairContent = DERReader(contentsOf: pair, in: der)
                guard let oid = pairContent.next(tag: 0x06), let value = pairContent.next(),
                      let dotted = DERReader.objectIdentifier(der[oid.contentStart..<oid.contentEnd])
                else { return nil }
                values.append(attributeName(dotted) + "=" + attributeValue(value, in: der))
            }
            parts.append(values.joined(separator: " + "))
        }
        return parts.joined(separator: ", ")
    }

    private static func attributeName(_ oid: String) -> String {
        switch oid {
        case "2.5.4.3": "CN"
        case "2.5.4.6": "C"
        case "2.5.4.7": "L"
        case "2.5.4.8": "ST"
        case "2.5.4.10": "O"
        case "2.5.4.11": "OU"
        case "0.9.2342.19200300.100.1.25": "DC"
        case "1.2.840.113549.1.9.1": "Email"
        case "2.5.4.4": "surname"
        case "2.5.4.5": "serialNumber"
        case "2.5.4.9": "streetAddress"
        case "2.5.4.12": "title"
        case "2.5.4.15": "businessCategory"
        case "2.5.4.17": "postalCode"
        case "2.5.4.42": "givenName"
        default: "OID(\(oid))"
        }
    }

    private static func attributeValue(_ element: DERElement, in der: [UInt8]) -> String {
        let content = der[element.contentStart..<element.contentEnd]
        switch element.tag {
        case 0x1E: // BMPString: UTF-16BE
            var units: [UInt16] = []
            var index = content.startIndex
            while index + 1 < content.endIndex {
                units.append(UInt16(content[index]) << 8 | UInt16(content[index + 1]))
                index += 2
            }
            return String(decoding: units, as: UTF16.self)
        case 0x07, 0x0C, 0x12, 0x13, 0x14, 0x15, 0x16, 0x19, 0x1A, 0x1B:
            if let text = String(validating: content, as: UTF8.self) { return text }
            return EveText.hex(content, upper: true)
        default:
            return EveText.hex(content, upper: true)
        }
    }

    /// UTCTime (`YYMMDDHHMM[SS]Z`, years 50–99 are 19xx) or GeneralizedTime (`YYYYMMDDHHMMSS[.f]Z`) as
    /// `YYYY-MM-DDTHH:MM:SS`.
    private static func time(_ element: DERElement, in der: [UInt8]) -> String? {
        let text = Array(der[element.contentStart..<element.contentEnd])
        var digits = text.prefix { $0 >= 0x30 && $0 <= 0x39 }.map { Int($0 - 0x30) }
        switch element.tag {
        case 0x17:
            guard digits.count == 10 || digits.count == 12 else { return nil }
            let century = digits[0] * 10 + digits[1] >= 50 ? [1, 9] : [2, 0]
            digits.insert(contentsOf: century, at: 0)
        case 0x18:
            guard digits.count >= 12 else { return nil }
        default:
            return nil
        }
        if digits.count == 12 { digits += [0, 0] }
        guard digits.count >= 14 else { return nil }
        func pair(_ index: Int) -> String { "\(digits[index])\(digits[index + 1])" }
        return pair(0) + pair(2) + "-" + pair(4) + "-" + pair(6) + "T" + pair(8) + ":" + pair(10) + ":" + pair(12)
    }
}

extension EveTLS {
    /// Sets the server certificate's fields: `subject`, `issuerdn`, `serial`, `fingerprint`, `notbefore`,
    /// `notafter`.
    mutating func describe(_ certificate: X509Summary) {
        subject = certificate.subject
        issuerdn = certificate.issuer
        serial = certificate.serial
        fingerprint = certificate.fingerprint
        notbefore = certificate.notBefore
        notafter = certificate.notAfter
    }
}

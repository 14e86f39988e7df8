/// The small formatting rules of Suricata's EVE output.
public enum EveFormat {
    /// `2024-01-15T10:30:45.123456+0000`: ISO 8601 in UTC with microseconds and a `+0000` offset,
    /// as Suricata writes it. Computed arithmetically (no formatter, no locale, no allocation
    /// beyond the string).
    public static func timestamp(_ secondsSince1970: Double) -> String {
        var micros = Int64((secondsSince1970 * 1_000_000).rounded(.down))
        if !secondsSince1970.isFinite { micros = 0 }
        var seconds = micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000
        let fraction = micros - seconds * 1_000_000
        var days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        seconds -= days * 86_400
        let hour = seconds / 3600
        let minute = seconds % 3600 / 60
        let second = seconds % 60
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
        let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        var text: [UInt8] = []
        text.reserveCapacity(32)
        func part(_ separator: String, _ value: Int64, digits: Int) {
            text.append(contentsOf: separator.utf8)
            ASCIIDecimal.append(value, minimumDigits: digits, to: &text)
        }
        part("", year, digits: 4)
        part("-", month, digits: 2)
        part("-", day, digits: 2)
        part("T", hour, digits: 2)
        part(":", minute, digits: 2)
        part(":", second, digits: 2)
        part(".", fraction, digits: 6)
        text.append(contentsOf: "+0000".utf8)
        return String(decoding: text, as: UTF8.self)
    }

    /// `TCP`, `UDP`, `ICMP`, `IPv6-ICMP`, or the protocol number.
    public static func protocolName(_ number: UInt8) -> String {
        switch number {
        case 6: "TCP"
        case 17: "UDP"
        case 1: "ICMP"
        case 58: "IPv6-ICMP"
        default: String(number)
        }
    }
}

import Foundation
import SwiftASN1

/// Dates in X.509 and OCSP: UTCTime or GeneralizedTime in, `Date` out, and the text the reasons print.
enum ASN1Time {
    /// The date of a UTCTime or GeneralizedTime node (always UTC in DER).
    static func date(_ node: ASN1Node) throws -> Date {
        switch node.identifier {
        case .utcTime:
            let time = try UTCTime(derEncoded: node)
            return date(year: time.year, month: time.month, day: time.day,
                        hours: time.hours, minutes: time.minutes, seconds: Double(time.seconds))
        case .generalizedTime:
            return date(try GeneralizedTime(derEncoded: node))
        default:
            throw ASN1Error.unexpectedFieldType(node.identifier)
        }
    }

    static func date(_ time: GeneralizedTime) -> Date {
        date(year: time.year, month: time.month, day: time.day, hours: time.hours, minutes: time.minutes,
             seconds: Double(time.seconds) + time.fractionalSeconds)
    }

    /// `2026-01-02T03:04:05.000000+0000`: as EVE events print times, since reasons end up in them.
    static func text(_ date: Date) -> String {
        EveFormat.timestamp(date.timeIntervalSince1970)
    }

    private static func date(year: Int, month: Int, day: Int, hours: Int, minutes: Int, seconds: Double) -> Date {
        let days = Self.days(year: year, month: month, day: day)
        let interval = Double(days * 86400 + hours * 3600 + minutes * 60) + seconds
        return Date(timeIntervalSince1970: interval)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
    private static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

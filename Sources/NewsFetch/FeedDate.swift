internal import Foundation

/// Dates in feeds and sitemaps, as ISO 8601: `2024-05-01T10:00:00Z`, `2002-10-02T13:00:00+01:00`, or
/// `2024-05-01` when the document gives only the day (or a time whose offset it does not say). Hand-parsed:
/// no DateFormatter (slow, locale-dependent), no guessing: what cannot be read is nil.
enum FeedDate {
    /// An ISO 8601 / W3C date-time (Atom, sitemaps, `dc:date`) or an RFC 822 / 1123 date (RSS `pubDate`).
    static func normalized(_ raw: String) -> String? {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.utf8.count <= 128 else { return nil }
        return iso8601(text) ?? rfc822(text)
    }

    // MARK: ISO 8601

    /// `YYYY-MM-DD`, then optionally `T` (or a space) `hh:mm[:ss[.fraction]]` and `Z` or `±hh:mm` (also
    /// `±hhmm`, `±hh`). A valid date with a time that does not read is kept as the date alone; a time
    /// without offset is kept as local time, as given.
    static func iso8601(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? { digits(bytes, range) }
        guard bytes.count >= 10, let year = number(0..<4), bytes[4] == dash, let month = number(5..<7), bytes[7] == dash,
            let day = number(8..<10), isValid(year: year, month: month, day: day)
        else { return nil }
        let date = dateString(year: year, month: month, day: day)
        guard bytes.count > 10 else { return date }
        guard bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t") || bytes[10] == UInt8(ascii: " "),
            let hour = number(11..<13), bytes.count > 13, bytes[13] == colon, let minute = number(14..<16)
        else { return date }
        var index = 16
        var second = 0
        if index < bytes.count, bytes[index] == colon {
            guard let value = number(index + 1..<index + 3) else { return date }
            second = value
            index += 3
        }
        var fraction = ""
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ",") {
            var end = index + 1
            while end < bytes.count, isDigit(bytes[end]) { end += 1 }
            guard end > index + 1 else { return date }
            fraction = "." + String(decoding: bytes[(index + 1)..<min(end, index + 10)], as: UTF8.self)
            index = end
        }
        guard hour <= 23, minute <= 59, second <= 60 else { return date }
        let dateTime = date + "T" + timeString(hour: hour, minute: minute, second: second) + fraction
        guard index < bytes.count else { return dateTime }
        guard let zone = isoOffset(bytes[index...]) else { return date }
        return dateTime + zone
    }

    /// `Z`, or `±hh:mm`, `±hhmm`, `±hh`, as `Z` or `±hh:mm`.
    private static func isoOffset(_ bytes: ArraySlice<UInt8>) -> String? {
        if bytes.count == 1, bytes.first == UInt8(ascii: "Z") || bytes.first == UInt8(ascii: "z") { return "Z" }
        return numericOffset(bytes)
    }

    /// `±hh:mm`, `±hhmm`, `±hh` or `±h` as `±hh:mm`; nil when it is not one.
    private static func numericOffset(_ bytes: ArraySlice<UInt8>) -> String? {
        guard let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
        let body = Array(bytes.dropFirst())
        let parts: (hours: Int?, minutes: Int?)
        switch body.count {
        case 1, 2: parts = (digits(body, 0..<body.count), 0)
        case 4: parts = (digits(body, 0..<2), digits(body, 2..<4))
        case 5 where body[2] == colon: parts = (digits(body, 0..<2), digits(body, 3..<5))
        default: return nil
        }
        guard let hours = parts.hours, let minutes = parts.minutes, hours <= 23, minutes <= 59 else { return nil }
        return (sign == UInt8(ascii: "+") ? "+" : "-") + twoDigits(hours) + ":" + twoDigits(minutes)
    }

    // MARK: RFC 822 / 1123

    /// `[Day,] DD Mon YYYY hh:mm[:ss] zone`, as RSS writes it. Tolerated: no weekday, a full weekday or
    /// month name, month before day, 2-digit years (00–49 → 20xx, 50–99 → 19xx), a trailing `(comment)`,
    /// `GMT+01:00`. Zones: `GMT`/`UT`/`UTC`/`Z` → `Z`, numeric offsets kept, the US names and a few
    /// unambiguous others mapped. No time, or a zone name that does not say its offset (`IST`), gives the
    /// day alone.
    static func rfc822(_ text: String) -> String? {
        var body = text[...]
        if let comment = body.firstIndex(of: "(") { body = body[..<comment] }
        var tokens = body.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" || $0 == "\n" || $0 == "\r" })[...]
        guard let first = tokens.first else { return nil }
        if isWeekday(first) { tokens = tokens.dropFirst() }
        guard tokens.count >= 3 else { return nil }
        let firstToken = tokens[tokens.startIndex], secondToken = tokens[tokens.startIndex + 1]
        let day: Int, month: Int
        if let value = digits(firstToken, counts: 1...2), let name = monthNumber(secondToken) {
            day = value
            month = name
        } else if let name = monthNumber(firstToken), let value = digits(secondToken, counts: 1...2) {
            day = value
            month = name
        } else {
            return nil
        }
        let yearToken = tokens[tokens.startIndex + 2]
        guard var year = digits(yearToken, counts: 2...4), yearToken.utf8.count != 3 else { return nil }
        if yearToken.utf8.count == 2 { year += year < 50 ? 2000 : 1900 }
        guard isValid(year: year, month: month, day: day) else { return nil }
        let date = dateString(year: year, month: month, day: day)
        tokens = tokens.dropFirst(3)

        guard let timeToken = tokens.first else { return date }
        let parts = timeToken.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, let hour = digits(parts[0], counts: 1...2),
            let minute = digits(parts[1], counts: 2...2), hour <= 23, minute <= 59
        else { return nil }
        var second = 0
        if parts.count == 3 {
            guard let value = digits(parts[2], counts: 2...2), value <= 60 else { return nil }
            second = value
        }
        tokens = tokens.dropFirst()

        // No zone: the moment is not known, the day is.
        guard let zoneToken = tokens.first else { return date }
        guard tokens.count == 1 else { return nil }
        switch rfcZone(zoneToken) {
        case .offset(let zone): return date + "T" + timeString(hour: hour, minute: minute, second: second) + zone
        case .unknownName: return date
        case .invalid: return nil
        }
    }

    private enum Zone {
        case offset(String)
        case unknownName
        case invalid
    }

    private static func rfcZone(_ token: Substring) -> Zone {
        let upper = token.uppercased()
        if let offset = zoneNames[upper] { return .offset(offset) }
        let bytes = Array(upper.utf8)[...]
        if let offset = numericOffset(bytes) { return .offset(offset) }
        // `GMT+01:00`, `UTC-5`.
        for prefix in ["GMT", "UTC", "UT"] where upper.hasPrefix(prefix) {
            if let offset = numericOffset(bytes.dropFirst(prefix.utf8.count)) { return .offset(offset) }
        }
        if (1...5).contains(bytes.count), bytes.allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }) {
            return .unknownName
        }
        return .invalid
    }

    /// Zone names whose offset is not in doubt (not `IST`, `BST` or `AST`, each used for more than one).
    private static let zoneNames: [String: String] = [
        "GMT": "Z", "UT": "Z", "UTC": "Z", "Z": "Z",
        "EST": "-05:00", "EDT": "-04:00", "CST": "-06:00", "CDT": "-05:00",
        "MST": "-07:00", "MDT": "-06:00", "PST": "-08:00", "PDT": "-07:00",
        "AKST": "-09:00", "AKDT": "-08:00", "HST": "-10:00",
        "WET": "+00:00", "WEST": "+01:00", "CET": "+01:00", "CEST": "+02:00", "EET": "+02:00", "EEST": "+03:00",
        "MSK": "+03:00", "JST": "+09:00", "KST": "+09:00", "HKT": "+08:00", "SGT": "+08:00",
        "AWST": "+08:00", "ACST": "+09:30", "ACDT": "+10:30", "AEST": "+10:00", "AEDT": "+11:00",
        "NZST": "+12:00", "NZDT": "+13:00",
    ]

    private static let weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    private static let months = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december",
    ]

    /// `Tue`, `Tue.`, `Tues`, `Tuesday`: a weekday name's first three letters or more.
    private static func isWeekday(_ token: Substring) -> Bool {
        let word = wordPrefix(token)
        return word.count >= 3 && weekdays.contains { $0.hasPrefix(word) }
    }

    /// `Jun`, `June`, `Sept.` → 1…12.
    private static func monthNumber(_ token: Substring) -> Int? {
        let word = wordPrefix(token)
        guard word.count >= 3 else { return nil }
        return months.firstIndex { $0.hasPrefix(word) }.map { $0 + 1 }
    }

    /// The lower-cased token less one trailing dot; empty when it holds anything but ASCII letters.
    private static func wordPrefix(_ token: Substring) -> String {
        var word = token
        if word.hasSuffix(".") { word = word.dropLast() }
        guard word.utf8.count <= 9,
            word.utf8.allSatisfy({ (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0 | 0x20) })
        else { return "" }
        return word.lowercased()
    }

    // MARK: Pieces

    private static let dash = UInt8(ascii: "-")
    private static let colon = UInt8(ascii: ":")

    private static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }

    /// The number written in `bytes[range]`, all ASCII digits; nil otherwise or when out of bounds.
    private static func digits(_ bytes: [UInt8], _ range: Range<Int>) -> Int? {
        guard !range.isEmpty, range.upperBound <= bytes.count else { return nil }
        var value = 0
        for index in range {
            guard isDigit(bytes[index]) else { return nil }
            value = value * 10 + Int(bytes[index] - 0x30)
        }
        return value
    }

    /// The number `token` writes with a count of digits in `counts`.
    private static func digits(_ token: Substring, counts: ClosedRange<Int>) -> Int? {
        let bytes = Array(token.utf8)
        guard counts.contains(bytes.count) else { return nil }
        return digits(bytes, 0..<bytes.count)
    }

    private static func isValid(year: Int, month: Int, day: Int) -> Bool {
        // Years before 1900 are placeholders (`0001-01-01`) or typos, not news.
        guard (1900...2200).contains(year), (1...12).contains(month), day >= 1 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= lengths[month - 1]
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0" + String(value) : String(value)
    }

    private static func dateString(year: Int, month: Int, day: Int) -> String {
        String(year) + "-" + twoDigits(month) + "-" + twoDigits(day)
    }

    private static func timeString(hour: Int, minute: Int, second: Int) -> String {
        twoDigits(hour) + ":" + twoDigits(minute) + ":" + twoDigits(second)
    }
}

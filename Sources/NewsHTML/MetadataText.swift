internal import Foundation

/// ISO 8601 dates and date-times (`2025-02-24`, `2025-02-24T09:30:00Z`, `…+08:00`) are the only form passed
/// through from markup; a space between date and time (`2025-02-24 09:30:00`) becomes `T`.
enum ISODate {
    static func normalized(_ value: String) -> String? {
        var scalars = Array(value.trimmingCharacters(in: .whitespaces).unicodeScalars)
        guard scalars.count >= 10 else { return nil }
        func digits(_ range: Range<Int>) -> Bool { range.allSatisfy { CharacterSet.decimalDigits.contains(scalars[$0]) } }
        guard digits(0..<4), scalars[4] == "-", digits(5..<7), scalars[7] == "-", digits(8..<10) else { return nil }
        // `0001-01-01`: a placeholder some CMSs print for "no date".
        guard let year = Int(String(String.UnicodeScalarView(scalars[0..<4]))), year >= 1900 else { return nil }
        if scalars.count > 10 {
            guard scalars[10] == "T" || scalars[10] == " ", scalars.count >= 13, digits(11..<13) else { return nil }
            scalars[10] = "T"
        }
        return String(String.UnicodeScalarView(scalars))
    }
}

/// The words bylines are read with, from the pipeline's data files: month names (any language) for dates
/// written out, words that end the names in a byline (`updated`, `staff`), and pieces that are a desk, not a
/// person (`news`, `staff`).
public struct BylineVocabulary: Sendable {
    public var monthNames: [String: Int]
    public var nameStopWords: Set<String>
    public var nonNames: Set<String>

    public init(monthNames: [String: Int] = [:], nameStopWords: Set<String> = [], nonNames: Set<String> = []) {
        self.monthNames = Dictionary(monthNames.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        self.nameStopWords = Set(nameStopWords.map { $0.lowercased() })
        self.nonNames = Set(nonNames.map { $0.lowercased() })
    }
}

/// A date written out in a byline (`November 18, 2019`, `18 Nov 2019`, `2019/11/18`, `18.11.2019`), as
/// `YYYY-MM-DD`. Only unambiguous forms: a month name, or year first, or day-dot-month-dot-year.
struct TextDate: Sendable {
    /// Lower-case month names and abbreviations → 1…12.
    let months: [String: Int]

    private static let patterns: [NSRegularExpression] = [
        #"\b(\p{L}{3,12})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b"#,  // November 18, 2019
        #"\b(\d{1,2})(?:st|nd|rd|th)?\s+(\p{L}{3,12})\.?,?\s+(\d{4})\b"#,  // 18 November 2019
        #"\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b"#,  // 2019/11/18
        #"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b"#,  // 18.11.2019
    ].map { try! NSRegularExpression(pattern: $0) }

    func find(in text: String) -> String? {
        let range = NSRange(text.startIndex..., in: text)
        for (kind, pattern) in Self.patterns.enumerated() {
            for match in pattern.matches(in: text, range: range) {
                let groups = (1...3).map { Range(match.range(at: $0), in: text).map { String(text[$0]) } ?? "" }
                let parts: (year: Int?, month: Int?, day: Int?)
                switch kind {
                case 0: parts = (Int(groups[2]), months[groups[0].lowercased()], Int(groups[1]))
                case 1: parts = (Int(groups[2]), months[groups[1].lowercased()], Int(groups[0]))
                case 2: parts = (Int(groups[0]), Int(groups[1]), Int(groups[2]))
                default: parts = (Int(groups[2]), Int(groups[1]), Int(groups[0]))
                }
                if let year = parts.year, let month = parts.month, let day = parts.day,
                    (1990...2100).contains(year), (1...12).contains(month), (1...31).contains(day)
                {
                    return String(format: "%04d-%02d-%02d", year, month, day)
                }
            }
        }
        return nil
    }

    /// The text with every date form above, and times of day, taken out (a byline that gives both).
    static func removingDates(from text: String) -> String {
        var result = text
        for pattern in patterns + [timeOfDay] {
            result = pattern.stringByReplacingMatches(
                in: result, range: NSRange(result.startIndex..., in: result), withTemplate: " ")
        }
        return result
    }

    /// `08:00`, `8:00 a.m.`, `08:00 GMT`.
    private static let timeOfDay = try! NSRegularExpression(
        pattern: #"\b\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?i:[ap]\.?m\.?))?(?:\s*[A-Z]{2,4}\b)?"#)
}

/// Person names from a byline or an author field: `By Jane Doe and John Roe, Reuters` → Jane Doe, John Roe.
struct AuthorNames: Sendable {
    /// Words that end the names in a byline: what follows is the role or the date.
    let stopWords: Set<String>
    /// Pieces of a byline that are a desk, not a person.
    let nonNames: Set<String>

    private static let separators = try! NSRegularExpression(
        pattern: #"\s*(?:\n|,|;|\||/|&|\band\b|\bund\b|\bet\b|\bwith\b)\s*"#, options: [.caseInsensitive])
    private static let lead = try! NSRegularExpression(
        pattern: #"^\s*(?:(?:written|posted|reported|published|updated)\s+)?(?:by|von|par|por|door|di|da)\s*:?\s+|^\s*(?:author|authors|autor|auteur)\s*:\s*"#,
        options: [.caseInsensitive])

    /// The names in `raw`; line breaks separate names (`Eric Tucker<br>Associated Press`).
    func split(_ raw: String) -> [String] {
        var text = raw.split(separator: "\n").map { String($0).collapsedWhitespace }.joined(separator: "\n")
        if text.count > 200 { return [] }
        text = Self.lead.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "")
        let pieces = Self.separators.stringByReplacingMatches(
            in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "\u{1F}"
        ).split(separator: "\u{1F}")
        var names: [String] = []
        for piece in pieces {
            var words: [Substring] = []
            for word in piece.split(separator: " ") {
                if stopWords.contains(word.lowercased()) { break }
                words.append(word)
            }
            let name = words.joined(separator: " ").trimmingCharacters(in: CharacterSet(charactersIn: " .:-–—·•|"))
            if isName(name) { names.append(name) }
        }
        return Self.unique(names)
    }

    /// One to five words, starting with a capital letter; no digits, brackets, addresses or domains
    /// (`Cleveland.com` is the site, `Name (required)` a comment form).
    private func isName(_ name: String) -> Bool {
        let words = name.split(separator: " ")
        guard (1...5).contains(words.count), let first = name.first, first.isLetter, first.isUppercase || !first.isCased
        else { return false }
        let lower = name.lowercased()
        // `MS, RDN` after a name are credentials.
        if words.count == 1, name.count <= 4, name.allSatisfy({ $0.isUppercase }) { return false }
        return !nonNames.contains(lower) && !name.contains { $0.isNumber || "@()[]{}<>*".contains($0) } && !lower.contains("http")
            && ![".com", ".co.", ".org", ".net", ".in"].contains { lower.contains($0) }
    }

    static func unique(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0.lowercased()).inserted }
    }
}

/// Removes the site's name that pages add to a headline (`Alibaba to invest in AI | Reuters`).
enum TitleCleaner {
    private static let separators = [" | ", " - ", " – ", " — ", " :: ", " · ", " » ", " • ", " // ", " : "]

    /// The part of `title` left after a separator, when another part names the site (its name, or its host
    /// without `www.`), or when one part is the page's `<h1>`; the title as given otherwise.
    static func strippingSiteName(_ title: String, siteName: String?, host: String?, heading: String?) -> String {
        // The host's own name: `autoracing` for www.autoracing.com.br, `thehill` for thehill.com.
        let hostName = host?.split(separator: ".").filter { $0 != "www" && $0.count > 3 }.first.map(String.init)
        let names = [siteName, hostName].compactMap { $0.map(key) }.filter { !$0.isEmpty }
        for separator in separators where title.contains(separator) {
            let parts = title.components(separatedBy: separator)
            func isSite(_ part: String) -> Bool {
                let part = key(part)
                return part.count >= 3 && names.contains { $0 == part || $0.hasPrefix(part) || part.hasPrefix($0) }
            }
            // Some pages put the logo in the `<h1>`, so a part that names the site is never the headline.
            if let heading, let match = parts.first(where: { key($0) == key(heading) && !isSite($0) }) {
                return match.trimmed
            }
            // The headline comes first and the site after it (`Headline | Site | Section`), or the other way.
            if let site = parts.indices.dropFirst().first(where: { isSite(parts[$0]) }) {
                return parts[..<site].joined(separator: separator).trimmed
            }
            if parts.count >= 2, isSite(parts[0]) { return parts.dropFirst().joined(separator: separator).trimmed }
        }
        return title
    }

    /// Letters and digits only, lower-cased: `The Hill` and `thehill.com` compare as `thehill`, `thehillcom`.
    private static func key(_ text: String) -> String {
        var result = text.lowercased()
        for suffix in [".com", ".co.uk", ".org", ".net"] where result.hasSuffix(suffix) { result.removeLast(suffix.count) }
        return String(result.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
    }
}

extension String {
    fileprivate var trimmed: String { trimmingCharacters(in: .whitespaces) }
}

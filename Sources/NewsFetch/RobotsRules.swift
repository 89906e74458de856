/// The rules of one robots.txt for one crawler (RFC 9309).
///
/// Parsing keeps only the groups that apply to our crawler, normalises every pattern once and sorts the rules
/// by precedence, so `allows(path:)` normalises the path and stops at the first matching rule. Works on UTF-8
/// bytes throughout: patterns and paths are octet strings, and RFC 9309 measures specificity in octets.
public struct RobotsRules: Sendable, Equatable {
    /// One `allow`/`disallow` line, normalised at parse time.
    struct Rule: Sendable, Equatable {
        var allow: Bool
        /// Normalised pattern bytes with runs of `*` collapsed and no trailing `$` or trailing `*`;
        /// `*` is the only wildcard.
        var pattern: [UInt8]
        /// The pattern ended in `$`: the path must end where the pattern does.
        var anchored: Bool
        /// No `*` in `pattern`: matching is a plain prefix (or equality) test.
        var literal: Bool
        /// Octets of the normalised pattern as written (with its `*`s and `$`): "longest match wins".
        var specificity: Int

        /// Nil for an empty value, which RFC 9309 treats as no rule at all.
        init?(allow: Bool, value: ArraySlice<UInt8>) {
            guard let first = value.first else { return nil }
            var written = [UInt8]()
            written.reserveCapacity(value.count + 1)
            // A pattern must start at the root; "private/" is read as "/private/" (the stricter reading).
            if first != RobotsRules.slash && first != RobotsRules.star { written.append(RobotsRules.slash) }
            written.append(contentsOf: value)
            let normalised = RobotsRules.normalise(written[...])
            self.allow = allow
            specificity = normalised.count

            var body = normalised[...]
            var anchored = false
            if body.last == RobotsRules.dollar {
                anchored = true
                body = body.dropLast()
            }
            var pattern = [UInt8]()
            pattern.reserveCapacity(body.count)
            for byte in body where !(byte == RobotsRules.star && pattern.last == RobotsRules.star) {
                pattern.append(byte)
            }
            // A trailing `*` swallows any rest, so "/a*" and "/a*$" are the prefix pattern "/a".
            if pattern.last == RobotsRules.star {
                pattern.removeLast()
                anchored = false
            }
            self.pattern = pattern
            self.anchored = anchored
            literal = !pattern.contains(RobotsRules.star)
        }

        func matches(_ path: [UInt8]) -> Bool {
            if literal {
                if anchored { return path == pattern }
                guard path.count >= pattern.count else { return false }
                for index in pattern.indices where pattern[index] != path[index] { return false }
                return true
            }
            return Self.wildcardMatch(pattern, anchored: anchored, path)
        }

        /// Greedy matching that, on a mismatch, retries only from the most recent `*` with one more byte
        /// swallowed. Earlier stars never need revisiting, so this is O(pattern × path) at worst, where
        /// naive recursion is exponential in the number of stars (`/*a*a*a*a*b`).
        static func wildcardMatch(_ pattern: [UInt8], anchored: Bool, _ path: [UInt8]) -> Bool {
            let patternCount = pattern.count, pathCount = path.count
            var p = 0, s = 0
            var starP = -1, starS = 0
            while s < pathCount {
                if p < patternCount {
                    let byte = pattern[p]
                    if byte == RobotsRules.star {
                        if p == patternCount - 1 { return true }
                        starP = p
                        starS = s
                        p += 1
                        continue
                    }
                    if byte == path[s] {
                        p += 1
                        s += 1
                        continue
                    }
                } else if !anchored {
                    // The whole pattern matched a prefix of the path.
                    return true
                }
                guard starP >= 0 else { return false }
                starS += 1
                s = starS
                p = starP + 1
            }
            while p < patternCount && pattern[p] == RobotsRules.star { p += 1 }
            return p == patternCount
        }
    }

    /// Sorted by precedence: longest pattern first, `allow` before `disallow` of the same length.
    private let rules: [Rule]
    /// Crawl-delay of the chosen group in seconds, if given (non-standard but common); nil when absent or invalid.
    public let crawlDelay: Double?
    /// Sitemap: lines (any group; they are global).
    public let sitemaps: [String]

    /// What a missing robots.txt (or a 4xx for it) means.
    public static let allowAll = RobotsRules(rules: [], crawlDelay: nil, sitemaps: [])
    /// What an unreachable robots.txt (5xx, network failure) means.
    public static let disallowAll = RobotsRules(
        rules: [Rule(allow: false, value: [RobotsRules.slash][...])!], crawlDelay: nil, sitemaps: []
    )

    private init(rules: [Rule], crawlDelay: Double?, sitemaps: [String]) {
        self.rules = rules
        self.crawlDelay = crawlDelay
        self.sitemaps = sitemaps
    }

    /// Parses `text` and keeps the group(s) that apply to `userAgent` (the product token, e.g. "newsflow"),
    /// falling back to `*` groups.
    public init(parsing text: String, userAgent: String) {
        var parser = Parser(bytes: Self.limitedBytes(text), token: Self.productToken(Array(userAgent.utf8)[...]))
        parser.run()
        let chosen = parser.specific.found ? parser.specific : parser.global
        let compiled = chosen.rules.compactMap { Rule(allow: $0.allow, value: parser.bytes[$0.range]) }
        rules = compiled.enumerated().sorted { lhs, rhs in
            if lhs.element.specificity != rhs.element.specificity {
                return lhs.element.specificity > rhs.element.specificity
            }
            if lhs.element.allow != rhs.element.allow { return lhs.element.allow }
            return lhs.offset < rhs.offset
        }.map(\.element)
        crawlDelay = chosen.crawlDelay
        sitemaps = parser.sitemaps
    }

    /// Whether `path` (the URL's percent-encoded path plus "?query" if any; "" means "/") may be fetched.
    public func allows(path: String) -> Bool {
        if rules.isEmpty { return true }
        var raw = Array(path.utf8)
        if raw.first != Self.slash { raw.insert(Self.slash, at: 0) }
        let normalised = Self.normalise(raw[...])
        if Self.isRobotsTxt(normalised) { return true }
        for rule in rules where rule.matches(normalised) { return rule.allow }
        return true
    }

    // MARK: Parsing

    /// Rules and crawl-delay gathered from the groups of one kind (ours, or `*`).
    struct Selection {
        /// Some group named this agent, even one without rules: it then replaces the `*` groups entirely.
        var found = false
        var rules: [(allow: Bool, range: Range<Int>)] = []
        var crawlDelay: Double?
    }

    struct Parser {
        let bytes: [UInt8]
        let token: [UInt8]
        var specific = Selection()
        var global = Selection()
        var sitemaps: [String] = []
        /// Whether the current group names our token / `*`; both false before the first user-agent line.
        var groupIsOurs = false
        var groupIsGlobal = false
        /// The last significant line was a user-agent line, so another one joins the same group.
        var readingAgents = false

        init(bytes: [UInt8], token: [UInt8]) {
            self.bytes = bytes
            self.token = token
        }

        mutating func run() {
            var start = 0
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
            let end = bytes.count
            while start < end {
                var lineEnd = start
                while lineEnd < end && bytes[lineEnd] != RobotsRules.lf && bytes[lineEnd] != RobotsRules.cr {
                    lineEnd += 1
                }
                line(start..<lineEnd)
                // CR LF yields an empty line in between, which `line` ignores.
                start = lineEnd + 1
            }
        }

        mutating func line(_ range: Range<Int>) {
            var content = range
            if let hash = bytes[range].firstIndex(of: RobotsRules.hash) { content = range.lowerBound..<hash }
            guard let colon = bytes[content].firstIndex(of: RobotsRules.colon) else { return }
            let key = RobotsRules.trimmed(bytes, content.lowerBound..<colon)
            let value = RobotsRules.trimmed(bytes, (colon + 1)..<content.upperBound)
            let field = String(decoding: bytes[key].map(RobotsRules.lowercased), as: UTF8.self)
            switch field {
            case "user-agent":
                if !readingAgents {
                    readingAgents = true
                    groupIsOurs = false
                    groupIsGlobal = false
                }
                let agent = RobotsRules.productToken(bytes[value])
                if agent == [RobotsRules.star] {
                    groupIsGlobal = true
                    global.found = true
                } else if !agent.isEmpty && agent == token {
                    groupIsOurs = true
                    specific.found = true
                }
            case "allow", "disallow":
                readingAgents = false
                let rule = (allow: field == "allow", range: value)
                if groupIsOurs { specific.rules.append(rule) }
                if groupIsGlobal { global.rules.append(rule) }
            case "crawl-delay":
                readingAgents = false
                guard let delay = Double(String(decoding: bytes[value], as: UTF8.self)),
                      delay.isFinite, delay >= 0
                else { return }
                if groupIsOurs { specific.crawlDelay = max(specific.crawlDelay ?? 0, delay) }
                if groupIsGlobal { global.crawlDelay = max(global.crawlDelay ?? 0, delay) }
            case "sitemap":
                // Global: does not end a run of user-agent lines.
                if !value.isEmpty { sitemaps.append(String(decoding: bytes[value], as: UTF8.self)) }
            default:
                return
            }
        }
    }

    /// RFC 9309 lets a crawler stop at 500 KiB (at least). A line cut by the limit is dropped too, since half a
    /// pattern could allow or forbid far more than the whole one.
    static let sizeLimit = 500 * 1024

    static func limitedBytes(_ text: String) -> [UInt8] {
        var bytes = Array(text.utf8.prefix(sizeLimit + 1))
        guard bytes.count > sizeLimit else { return bytes }
        let next = bytes[sizeLimit]
        bytes.removeLast(bytes.count - sizeLimit)
        if next != lf && next != cr {
            let lastBreak = bytes.lastIndex { $0 == lf || $0 == cr } ?? -1
            bytes.removeLast(bytes.count - (lastBreak + 1))
        }
        return bytes
    }

    /// The lowercased user-agent name cut at the first `/` or whitespace: "NewsFlow/1.0 (+url)" → "newsflow".
    static func productToken(_ value: ArraySlice<UInt8>) -> [UInt8] {
        var token = [UInt8]()
        for byte in value.drop(while: isWhitespace) {
            if byte == slash || isWhitespace(byte) { break }
            token.append(lowercased(byte))
        }
        return token
    }

    static func trimmed(_ bytes: [UInt8], _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound, upper = range.upperBound
        while lower < upper && isWhitespace(bytes[lower]) { lower += 1 }
        while upper > lower && isWhitespace(bytes[upper - 1]) { upper -= 1 }
        return lower..<upper
    }

    // MARK: Normalisation

    /// Makes equivalent spellings equal: decodes escapes of unreserved characters (`%7E` → `~`), uppercases the
    /// hex of the other escapes, and escapes raw non-ASCII, control and space bytes as UTF-8 `%XX`.
    /// Applied alike to patterns and paths, so octet comparison afterwards is spelling-blind.
    static func normalise(_ input: ArraySlice<UInt8>) -> [UInt8] {
        var output = [UInt8]()
        output.reserveCapacity(input.count)
        var index = input.startIndex
        let end = input.endIndex
        while index < end {
            let byte = input[index]
            if byte == percent, index + 2 < end,
               let high = hexValue(input[index + 1]), let low = hexValue(input[index + 2]) {
                let decoded = high << 4 | low
                if isUnreserved(decoded) {
                    output.append(decoded)
                } else {
                    output.append(contentsOf: [percent, hexDigits[Int(high)], hexDigits[Int(low)]])
                }
                index += 3
            } else {
                if byte <= 0x20 || byte >= 0x7F {
                    output.append(contentsOf: [percent, hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]])
                } else {
                    output.append(byte)
                }
                index += 1
            }
        }
        return output
    }

    static func isRobotsTxt(_ path: [UInt8]) -> Bool {
        let name = robotsTxt
        guard path.count >= name.count else { return false }
        for index in name.indices where path[index] != name[index] { return false }
        return path.count == name.count || path[name.count] == question
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    /// RFC 3986 unreserved: ALPHA / DIGIT / "-" / "." / "_" / "~".
    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0B || byte == 0x0C
    }

    static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 0x20 : byte
    }

    static let slash = UInt8(ascii: "/")
    static let star = UInt8(ascii: "*")
    static let dollar = UInt8(ascii: "$")
    static let percent = UInt8(ascii: "%")
    static let hash = UInt8(ascii: "#")
    static let colon = UInt8(ascii: ":")
    static let question = UInt8(ascii: "?")
    static let lf = UInt8(ascii: "\n")
    static let cr = UInt8(ascii: "\r")
    static let hexDigits = Array("0123456789ABCDEF".utf8)
    static let robotsTxt = Array("/robots.txt".utf8)
}

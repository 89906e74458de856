public import NewsCore

/// A rule-based tokenizer for news text.
///
/// - Words keep internal periods and digit grouping: `U.S.`, `JD.com`, `52.44`, `1,234.56`, `S&P`.
/// - Hyphens (`-`, U+2010, U+2011) are tokens of their own, as in spaCy, so `US‑China` gives `US`, `‑`, `China`
///   and `Qwen3-Max` gives `Qwen3`, `-`, `Max`; `spaceBefore` tells joined pieces from separate words.
/// - A possessive or contraction is split off: `Alibaba’s` → `Alibaba`, `’s`.
/// - A number's letter suffix is split off: `1.2bn` → `1.2`, `bn`; `US$` stays whole.
/// - Each CJK ideograph, kana or hangul syllable is a token, so dictionary matching works inside
///   unsegmented Chinese text.
/// - A trailing period stays on known abbreviations (`Mr.`, `Inc.`) and on initialisms (`U.K.`).
///
/// Offsets are Unicode scalar offsets into the text.
public struct Tokenizer: Sendable {
    /// Abbreviations that keep their final period, as written (`Mr.`, `Inc.`, `Jan.`).
    public var abbreviations: Set<String>

    public init(abbreviations: Set<String> = []) {
        self.abbreviations = abbreviations
    }

    public func tokenize(_ text: ScalarText) -> [Token] {
        text.scalars.withUnsafeBufferPointer { scalars in
            var run = TokenizerRun(text: text, s: scalars, abbreviations: abbreviations)
            run.tokenize()
            return run.tokens
        }
    }
    /// `U.K.`, `U.S.A.`, `e.g.`: single letters each followed by a period.
    static func isInitialism(_ s: UnsafeBufferPointer<Unicode.Scalar>, _ start: Int, _ end: Int) -> Bool {
        let length = end - start
        guard length >= 2, length % 2 == 0 else { return false }
        var k = start
        while k < end {
            guard CharacterClass.isLetter(s[k]), s[k + 1] == "." else { return false }
            k += 2
        }
        // A lone capital plus period (`J.`) is an initial too.
        return true
    }
}

/// One tokenization: the scalars, the tokens so far and the whitespace state, in a struct whose mutating
/// methods append tokens (a closure capturing the token array cost a runtime exclusivity check per token).
private struct TokenizerRun {
    let text: ScalarText
    let s: UnsafeBufferPointer<Unicode.Scalar>
    let abbreviations: Set<String>
    var tokens: [Token] = []
    var spaceBefore = true
    var lineBreakBefore = false

    init(text: ScalarText, s: UnsafeBufferPointer<Unicode.Scalar>, abbreviations: Set<String>) {
        self.text = text
        self.s = s
        self.abbreviations = abbreviations
        tokens.reserveCapacity(s.count / 5)
    }

    mutating func emit(_ start: Int, _ end: Int) {
        tokens.append(
            Token(text: text[start..<end], start: start, end: end, spaceBefore: spaceBefore, lineBreakBefore: lineBreakBefore))
        spaceBefore = false
        lineBreakBefore = false
    }

    mutating func tokenize() {
        var i = 0
        while i < s.count {
            let c = s[i]
            if CharacterClass.isWhitespace(c) {
                spaceBefore = true
                if c == "\n" || c == "\r" || c == "\u{2028}" || c == "\u{2029}" { lineBreakBefore = true }
                i += 1
                continue
            }
            if let end = urlOrEmailEnd(from: i) {
                emit(i, end)
                i = end
                continue
            }
            if CharacterClass.isCJK(c) {
                emit(i, i + 1)
                i += 1
                continue
            }
            if CharacterClass.isWordCharacter(c) {
                i = scanWord(from: i)
                continue
            }
            // Punctuation and symbols: one token each, but keep "..." together.
            var end = i + 1
            if c == ".", end < s.count, s[end] == "." {
                while end < s.count, s[end] == "." { end += 1 }
            }
            emit(i, end)
            i = end
        }
    }

    /// Scans a word starting at `start`, emits it (possibly as several tokens) and returns its end.
    private mutating func scanWord(from start: Int) -> Int {
        var j = start
        while j < s.count {
            let c = s[j]
            if CharacterClass.isWordCharacter(c) {
                j += 1
                continue
            }
            let next: Unicode.Scalar? = j + 1 < s.count ? s[j + 1] : nil
            let previous = s[j - 1]
            // Internal period: U.S, JD.com, 52.44, e.g
            if c == ".", let next, CharacterClass.isWordCharacter(next), !CharacterClass.isCJK(next) {
                j += 1
                continue
            }
            // Digit grouping: 1,234 and 12,34,567
            if c == ",", let next, CharacterClass.isASCIIDigit(previous), CharacterClass.isASCIIDigit(next) {
                j += 1
                continue
            }
            // O'Brien, D'Alema, Côte d'Ivoire: an apostrophe inside a name, unless a possessive or contraction follows.
            if CharacterClass.isApostrophe(c), let next, CharacterClass.isLetter(previous), CharacterClass.isUppercase(next),
                j + 2 < s.count, CharacterClass.isLetter(s[j + 2])
            {
                j += 1
                continue
            }
            // S&P, AT&T: an ampersand between capitals
            if c == "&", let next, CharacterClass.isUppercase(previous), CharacterClass.isUppercase(next) {
                j += 1
                continue
            }
            break
        }
        var end = j
        // US$, HK$, A$: a short capital prefix glued to a dollar sign.
        if end < s.count, s[end] == "$", end - start <= 3, (start..<end).allSatisfy({ CharacterClass.isUppercase(s[$0]) }) {
            end += 1
            emit(start, end)
            return end
        }
        // Trailing period of abbreviations and initialisms.
        if end < s.count, s[end] == "." {
            if Tokenizer.isInitialism(s, start, end + 1) || abbreviations.contains(text[start..<(end + 1)]) {
                end += 1
                emit(start, end)
                return end
            }
        }
        // Possessives and contractions: Alibaba’s, don't, companies’
        if end < s.count, CharacterClass.isApostrophe(s[end]) {
            let afterApostrophe = end + 1
            var suffixEnd = afterApostrophe
            while suffixEnd < s.count, CharacterClass.isLetter(s[suffixEnd]) { suffixEnd += 1 }
            let suffix = text[afterApostrophe..<suffixEnd].lowercased()
            if Self.cliticSuffixes.contains(suffix) {
                emitNumberAware(start, end)
                emit(end, suffixEnd)
                return suffixEnd
            }
            if suffix == "t", end - start >= 2, s[end - 1] == "n" || s[end - 1] == "N" {
                emit(start, end - 1)
                emit(end - 1, suffixEnd)
                return suffixEnd
            }
            if suffix.isEmpty, s[end - 1] == "s" || s[end - 1] == "S" {
                emit(start, end)
                emit(end, end + 1)
                return end + 1
            }
        }
        emitNumberAware(start, end)
        return end
    }

    private static let cliticSuffixes: Set<String> = ["s", "re", "ve", "ll", "d", "m"]

    /// Emits a word, splitting a number from a letter suffix (`1.2bn` → `1.2` `bn`, `10p` → `10` `p`).
    private mutating func emitNumberAware(_ start: Int, _ end: Int) {
        guard CharacterClass.isASCIIDigit(s[start]) else {
            emit(start, end)
            return
        }
        var split = start
        while split < end, CharacterClass.isASCIIDigit(s[split]) || s[split] == "." || s[split] == "," { split += 1 }
        if split < end, split > start, (split..<end).allSatisfy({ CharacterClass.isLetter(s[$0]) }) {
            emit(start, split)
            emit(split, end)
        } else {
            emit(start, end)
        }
    }

    /// A URL or e-mail address running to the next whitespace, minus trailing punctuation.
    private func urlOrEmailEnd(from start: Int) -> Int? {
        // Called at every word: it must give up fast. URLs and addresses start with an ASCII letter, and the
        // scheme, `www.` or the `@` shows within the first 64 scalars.
        guard s[start].isASCII, CharacterClass.isLetter(s[start]) else { return nil }
        let isWWW = start + 4 <= s.count && s[start..<start + 3].allSatisfy { $0 == "w" || $0 == "W" } && s[start + 3] == "."
        var end = start
        var sawScheme = false
        var sawAt = false
        while end < s.count, !CharacterClass.isWhitespace(s[end]) {
            if s[end] == ":", end + 2 < s.count, s[end + 1] == "/", s[end + 2] == "/" { sawScheme = true }
            if s[end] == "@" { sawAt = true }
            end += 1
            if !(sawScheme || sawAt || isWWW), end - start > 64 { return nil }
            if end - start > 2048 { break }
        }
        guard sawScheme || isWWW || sawAt else { return nil }
        while end > start, Self.trailingPunctuation.contains(s[end - 1]) { end -= 1 }
        if sawAt, !sawScheme {
            // An e-mail address needs a dot after the @.
            let body = s[start..<end]
            guard let at = body.firstIndex(of: "@"), body[at...].contains("."), at > start else { return nil }
        }
        return end > start ? end : nil
    }

    private static let trailingPunctuation = Set(".,;:!?)]}\"'”’".unicodeScalars)
}

/// Character predicates shared by the text stages.
public enum CharacterClass {
    public static func isCJK(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x3040...0x30FF,  // hiragana, katakana
            0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FA1F,  // ideographs
            0xAC00...0xD7AF:  // hangul syllables
            return true
        default:
            return false
        }
    }

    // ASCII fast paths first: Unicode property look-ups dominate the profile otherwise.

    @inline(__always)
    public static func isLetter(_ c: Unicode.Scalar) -> Bool {
        if c.value < 0x80 { return (c.value | 0x20) >= 0x61 && (c.value | 0x20) <= 0x7A }
        return c.properties.isAlphabetic && !isCJK(c)
    }

    @inline(__always)
    public static func isASCIIDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 0x30 && c.value <= 0x39 }

    @inline(__always)
    public static func isUppercase(_ c: Unicode.Scalar) -> Bool {
        if c.value < 0x80 { return c.value >= 0x41 && c.value <= 0x5A }
        return c.properties.isUppercase
    }

    @inline(__always)
    public static func isWhitespace(_ c: Unicode.Scalar) -> Bool {
        if c.value < 0x80 { return c == " " || (c.value >= 0x09 && c.value <= 0x0D) }
        return c.properties.isWhitespace
    }

    public static func isApostrophe(_ c: Unicode.Scalar) -> Bool { c == "'" || c == "\u{2019}" }

    public static func isHyphen(_ c: Unicode.Scalar) -> Bool {
        c == "-" || c == "\u{2010}" || c == "\u{2011}" || c == "\u{2012}"
    }

    /// Letters (not CJK), digits and combining marks make up words.
    @inline(__always)
    public static func isWordCharacter(_ c: Unicode.Scalar) -> Bool {
        if c.value < 0x80 { return isLetter(c) || isASCIIDigit(c) }
        if isCJK(c) { return false }
        let properties = c.properties
        return properties.isAlphabetic || properties.numericType != nil || properties.generalCategory == .nonspacingMark
            || properties.generalCategory == .spacingMark
    }
}

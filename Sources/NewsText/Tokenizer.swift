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
            Token(
                text: text[start..<end], start: start, end: end, spaceBefore: spaceBefore, lineBreakBefore: lineBreakBefore,
                shape: TokenShape(s[start..<end])))
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
            if CharacterClass.isCJK(c) {
                emit(i, i + 1)
                i += 1
                continue
            }
            if CharacterClass.isWordCharacter(c) {
                let end = wordEnd(from: i)
                // A word running up to whitespace holds no `://` or `@`, so only `www.` can make it a URL there:
                // the URL scan, which reads on to the next whitespace, runs for few words.
                if (end < s.count && !CharacterClass.isWhitespace(s[end])) || isWWW(at: i), let urlEnd = urlOrEmailEnd(from: i) {
                    emit(i, urlEnd)
                    i = urlEnd
                } else {
                    i = emitWord(i, end)
                }
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

    /// The end of the word starting at `start`: word characters, with internal periods, digit grouping commas,
    /// name apostrophes and ampersands between capitals.
    private func wordEnd(from start: Int) -> Int {
        var j = start
        while j < s.count {
            let c = s[j]
            // ASCII letters and digits, the bulk of every word, without a call.
            if CharacterClass.isASCIILetter(c) || CharacterClass.isASCIIDigit(c) {
                j += 1
                continue
            }
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
        return j
    }

    /// Emits the word `start..<wordEnd` (possibly as several tokens, and taking in a trailing `$`, period or
    /// clitic) and returns where the text after it starts.
    private mutating func emitWord(_ start: Int, _ wordEnd: Int) -> Int {
        var end = wordEnd
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
        // Called for every word that runs into punctuation: it must give up fast. URLs and addresses start with
        // an ASCII letter, and the scheme, `www.` or the `@` shows within the first 64 scalars.
        guard s[start].isASCII, CharacterClass.isLetter(s[start]) else { return nil }
        let isWWW = isWWW(at: start)
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

    private func isWWW(at start: Int) -> Bool {
        start + 4 <= s.count && s[start..<start + 3].allSatisfy { $0 == "w" || $0 == "W" } && s[start + 3] == "."
    }

    private static let trailingPunctuation = Set(".,;:!?)]}\"'”’".unicodeScalars)
}

extension TokenShape {
    /// The shape of a token's scalars, in one pass: a table look-up per ASCII scalar.
    init(_ scalars: Slice<UnsafeBufferPointer<Unicode.Scalar>>) {
        guard let first = scalars.first else {
            self = []
            return
        }
        var every: TokenShape = [.ascii, .letters, .nameLetters, .nameWordLetters, .capitals, .capitalLetters]
        var some: TokenShape = []
        let firstFacts = Self.asciiFacts.withUnsafeBufferPointer { asciiFacts in
            func facts(_ scalar: Unicode.Scalar) -> TokenShape {
                scalar.value < 0x80 ? asciiFacts[Int(scalar.value)] : Self.facts(of: scalar)
            }
            for scalar in scalars {
                let facts = facts(scalar)
                every.formIntersection(facts)
                some.formUnion(facts)
            }
            return facts(first)
        }
        var shape = every
        if scalars.count < 2 { shape.subtract([.capitals, .capitalLetters]) }
        if some.contains(.hasASCIICapital) { shape.insert(.hasASCIICapital) }
        // A scalar's `letters` fact is `CharacterClass.isLetter`, its `capitalLetters` fact `isUppercase`.
        if firstFacts.contains(.letters) { shape.insert(.startsWithLetter) }
        if firstFacts.contains(.capitalLetters) { shape.insert(.startsWithCapital) }
        if first.value >= 0x3040, CharacterClass.isCJK(first) { shape.insert(.startsWithCJK) }
        self = shape
    }

    /// For one scalar, the "every scalar" flags it satisfies (and `hasASCIICapital` for A–Z).
    private static func facts(of scalar: Unicode.Scalar) -> TokenShape {
        var facts: TokenShape = scalar.isASCII ? .ascii : []
        if CharacterClass.isLetter(scalar) { facts.formUnion([.letters, .nameLetters, .nameWordLetters]) }
        if CharacterClass.isUppercase(scalar) { facts.formUnion([.capitals, .capitalLetters]) }
        if scalar.isASCII, CharacterClass.isUppercase(scalar) { facts.insert(.hasASCIICapital) }
        switch scalar {
        case ".": facts.formUnion([.nameLetters, .nameWordLetters, .capitals])
        case "'": facts.formUnion([.nameLetters, .nameWordLetters])
        case "&": facts.formUnion([.nameWordLetters, .capitals])
        default: break
        }
        return facts
    }

    private static let asciiFacts: [TokenShape] = (0..<128).map { facts(of: Unicode.Scalar(UInt8($0))) }
}

/// Character predicates shared by the text stages.
public enum CharacterClass {
    @inlinable
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

    // ASCII fast paths first: Unicode property look-ups dominate the profile otherwise. The General
    // Punctuation block (U+2000–U+206F: dashes, curly quotes, ellipsis, typographic spaces), common in news
    // text, has no letters, capitals, digits or marks, so it skips the look-up too.

    @inlinable
    static func isGeneralPunctuation(_ c: Unicode.Scalar) -> Bool { c.value &- 0x2000 < 0x70 }

    /// A–Z or a–z, in one comparison.
    @inlinable
    public static func isASCIILetter(_ c: Unicode.Scalar) -> Bool { (c.value | 0x20) &- 0x61 < 26 }

    @inlinable
    public static func isLetter(_ c: Unicode.Scalar) -> Bool {
        if c.value < 0x80 { return isASCIILetter(c) }
        if isGeneralPunctuation(c) { return false }
        return unicodeIsLetter(c)
    }

    @inlinable
    public static func isASCIIDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 0x30 && c.value <= 0x39 }

    @inlinable
    public static func isUppercase(_ c: Unicode.Scalar) -> Bool {
        if c.value < 0x80 { return c.value >= 0x41 && c.value <= 0x5A }
        if isGeneralPunctuation(c) { return false }
        return unicodeIsUppercase(c)
    }

    @inlinable
    public static func isWhitespace(_ c: Unicode.Scalar) -> Bool {
        if c.value < 0x80 { return c == " " || (c.value >= 0x09 && c.value <= 0x0D) }
        if isGeneralPunctuation(c) {
            return c.value <= 0x200A || c.value == 0x2028 || c.value == 0x2029 || c.value == 0x202F || c.value == 0x205F
        }
        return unicodeIsWhitespace(c)
    }

    public static func isApostrophe(_ c: Unicode.Scalar) -> Bool { c == "'" || c == "\u{2019}" }

    public static func isHyphen(_ c: Unicode.Scalar) -> Bool {
        c == "-" || c == "\u{2010}" || c == "\u{2011}" || c == "\u{2012}"
    }

    /// Letters (not CJK), digits and combining marks make up words.
    @inlinable
    public static func isWordCharacter(_ c: Unicode.Scalar) -> Bool {
        if c.value < 0x80 { return isLetter(c) || isASCIIDigit(c) }
        if isGeneralPunctuation(c) || isCJK(c) { return false }
        return unicodeIsWordCharacter(c)
    }

    // The property look-ups, out of line: inlined, their type-metadata set-up was hoisted to the top of the
    // caller and ran on every call, ASCII included (about 90 instructions each time).

    @usableFromInline @inline(never)
    static func unicodeIsLetter(_ c: Unicode.Scalar) -> Bool { c.properties.isAlphabetic && !isCJK(c) }

    @usableFromInline @inline(never)
    static func unicodeIsUppercase(_ c: Unicode.Scalar) -> Bool { c.properties.isUppercase }

    @usableFromInline @inline(never)
    static func unicodeIsWhitespace(_ c: Unicode.Scalar) -> Bool { c.properties.isWhitespace }

    @usableFromInline @inline(never)
    static func unicodeIsWordCharacter(_ c: Unicode.Scalar) -> Bool {
        let properties = c.properties
        return properties.isAlphabetic || properties.numericType != nil || properties.generalCategory == .nonspacingMark
            || properties.generalCategory == .spacingMark
    }
}

internal import NewsCore
internal import NewsText

/// The text views the money recognizer reads: original scalars, lower-cased scalars (same length) and
/// normalised digits (full-width `０-９` read as `0-9`).
struct Scan {
    struct Number {
        var start: Int
        var end: Int
        var value: ExactDecimal
        /// Written in words (`ten`, `a`): no symbol before it.
        var isWords: Bool
    }

    /// The most digits a number may have, with its decimals (`Int64` holds 18).
    static let maxDigits = 19
    /// The most words a number written in words may have (`one hundred and twenty-five thousand` is 6).
    static let maxNumberWords = 12

    let text: ScalarText
    let scalars: [Unicode.Scalar]
    let lower: [Unicode.Scalar]
    let digits: [Unicode.Scalar]

    init(text: ScalarText) {
        self.text = text
        scalars = text.scalars
        var hasWideDigits = false
        // Written in place, not appended: this runs over every scalar of every article.
        let source = text.scalars
        lower = [Unicode.Scalar](unsafeUninitializedCapacity: source.count) { lower, initialized in
            source.withUnsafeBufferPointer { scalars in
                for index in scalars.indices {
                    let scalar = scalars[index]
                    lower.initializeElement(at: index, to: Self.lowercased(scalar))
                    if !scalar.isASCII { hasWideDigits = hasWideDigits || (0xFF0C...0xFF19).contains(scalar.value) }
                }
            }
            initialized = source.count
        }
        // Nearly every text has no full-width digits: then `digits` shares the scalars' storage.
        digits = !hasWideDigits ? scalars : scalars.map { scalar in
            switch scalar.value {
            case 0xFF10...0xFF19: return Unicode.Scalar(scalar.value - 0xFF10 + 0x30) ?? scalar
            case 0xFF0C: return ","
            case 0xFF0E: return "."
            default: return scalar
            }
        }
    }

    /// One-to-one lower-casing; ASCII without a Unicode property lookup, which dominates the scan otherwise.
    private static func lowercased(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        if scalar.isASCII {
            return scalar.value >= 0x41 && scalar.value <= 0x5A ? Unicode.Scalar(UInt8(scalar.value + 0x20)) : scalar
        }
        guard scalar.properties.changesWhenLowercased else { return scalar }
        let mapping = scalar.properties.lowercaseMapping.unicodeScalars
        return mapping.count == 1 ? mapping.first ?? scalar : scalar
    }

    var count: Int { scalars.count }

    func isDigit(_ i: Int) -> Bool { i >= 0 && i < count && CharacterClass.isASCIIDigit(digits[i]) }
    func isLetter(_ i: Int) -> Bool { i >= 0 && i < count && CharacterClass.isLetter(scalars[i]) }
    func isWordCharacter(_ i: Int) -> Bool { i >= 0 && i < count && CharacterClass.isWordCharacter(scalars[i]) }

    /// One blank between words: a space, no-break space or thin space, not a line break.
    func isSpace(_ i: Int) -> Bool {
        guard i >= 0, i < count else { return false }
        let s = scalars[i]
        return s == " " || s == "\u{00A0}" || s == "\u{202F}" || s == "\u{2009}" || s == "\t"
    }

    func isCJK(_ i: Int) -> Bool { i >= 0 && i < count && CharacterClass.isCJK(scalars[i]) }

    /// The first position at or after `i` that is not a blank.
    func skipSpaces(_ i: Int) -> Int {
        var k = i
        while isSpace(k) { k += 1 }
        return k
    }

    /// The start of the run of blanks that ends just before `i` (`i` itself when there is none).
    func skipSpacesBackwards(_ i: Int) -> Int {
        var k = i
        while isSpace(k - 1) { k -= 1 }
        return k
    }

    /// Where the run of letters that ends just before `i` starts (`i` when there is none).
    func wordStart(before i: Int) -> Int {
        var k = i
        while isLetter(k - 1) { k -= 1 }
        return k
    }

    /// Where the run of letters that starts at `i` ends (`i` when there is none).
    func wordEnd(after i: Int) -> Int {
        var k = i
        while isLetter(k) { k += 1 }
        return k
    }

    /// No upper-case letter in `range`: text that was lower-cased as a whole (`us $ 150 million`).
    func isLowercase(_ range: Range<Int>) -> Bool {
        let clamped = range.clamped(to: 0..<count)
        return !scalars[clamped].contains(where: CharacterClass.isUppercase)
    }

    /// A sentence ends in `range`: `.`, `!`, `?` or `。` before a blank or line break, or a line break.
    func containsSentenceEnd(_ range: Range<Int>) -> Bool {
        for i in range.clamped(to: 0..<count) {
            switch scalars[i] {
            case "\n", "。", "！", "？": return true
            case ".", "!", "?": if i + 1 == count || CharacterClass.isWhitespace(scalars[i + 1]) { return true }
            default: continue
            }
        }
        return false
    }

    func hasPrefix(_ phrase: String, at i: Int, folded: Bool) -> Bool {
        var k = i
        for scalar in phrase.unicodeScalars {
            guard k < count, (folded ? lower[k] : scalars[k]) == scalar else { return false }
            k += 1
        }
        return true
    }

    /// The first position from `i` on where `startsNumber` may hold: ASCII punctuation and spaces, and ASCII
    /// letters after the first of a word, are passed over in a tight loop. Most of a text is such scalars,
    /// and `startsNumber` is several times the work per scalar.
    func nextPossibleNumberStart(from i: Int) -> Int {
        scalars.withUnsafeBufferPointer { scalars in
            var k = i
            while k < scalars.count {
                let scalar = scalars[k]
                if !scalar.isASCII || CharacterClass.isASCIIDigit(scalar) { return k }
                if CharacterClass.isASCIILetter(scalar) {
                    // A word's first letter, unless a letter (of any script) comes before it.
                    if k == 0 || !CharacterClass.isLetter(scalars[k - 1]) { return k }
                    // The rest of its ASCII letters cannot start a number.
                    k += 1
                    while k < scalars.count, CharacterClass.isASCIILetter(scalars[k]) { k += 1 }
                    continue
                }
                k += 1
            }
            return k
        }
    }

    /// Whether a number can begin at `i` (not in the middle of another number or word).
    func startsNumber(
        at i: Int, numberWords: ScalarTrie<MoneyData.NumberWord>, chineseNumerals: [Unicode.Scalar: MoneyData.NumberWord]
    ) -> Bool {
        if isDigit(i) {
            if isDigit(i - 1) { return false }
            if i >= 2, digits[i - 1] == "." || digits[i - 1] == ",", isDigit(i - 2) { return false }
            return true
        }
        guard i >= 0, i < count else { return false }
        let scalar = scalars[i]
        if scalar.isASCII {
            return CharacterClass.isLetter(scalar) && !isLetter(i - 1) && numberWord(at: i, in: numberWords) != nil
        }
        // Chinese numerals (all beyond U+3000) begin a number where the previous scalar is no numeral or digit.
        if scalar.value >= 0x3000, chineseNumerals[scalar] != nil {
            return i == 0 || chineseNumerals[scalars[i - 1]] == nil && !isDigit(i - 1)
        }
        return isLetter(i) && !isLetter(i - 1) && numberWord(at: i, in: numberWords) != nil
    }

    func number(
        at i: Int, numberWords: ScalarTrie<MoneyData.NumberWord>, chineseNumerals: [Unicode.Scalar: MoneyData.NumberWord]
    ) -> Number? {
        if isDigit(i) { return digitNumber(at: i) }
        if chineseNumerals[scalars[i]] != nil { return chineseNumber(at: i, numerals: chineseNumerals) }
        return wordNumber(at: i, words: numberWords)
    }

    /// The whole word at `i` if it is a number word (`ten`, `a`), and its end.
    private func numberWord(at i: Int, in words: ScalarTrie<MoneyData.NumberWord>) -> (MoneyData.NumberWord, Int)? {
        guard let (length, values) = words.longestMatch(in: lower, at: i, where: { !isLetter(i + $0) }), let word = values.first
        else { return nil }
        return (word, i + length)
    }

    /// `52.44`, `1,234.56`, `12,34,567`, `３８００`.
    func digitNumber(at start: Int) -> Number? {
        var end = start
        while isDigit(end) { end += 1 }
        // Grouping: commas followed by groups of three (or two, Indian style, before a final three).
        while end < count, digits[end] == ",", isDigit(end + 1) {
            var groupEnd = end + 1
            while isDigit(groupEnd) { groupEnd += 1 }
            let size = groupEnd - end - 1
            guard size == 3 || (size == 2 && groupEnd < count && digits[groupEnd] == ",") else { break }
            end = groupEnd
        }
        if end < count, digits[end] == ".", isDigit(end + 1) {
            end += 1
            while isDigit(end) { end += 1 }
        }
        let plain = String(String.UnicodeScalarView(digits[start..<end].filter { $0 != "," }))
        // A run of more digits than any amount has (an ID, a hash) is not a number here.
        guard plain.utf8.count <= Self.maxDigits, let value = ExactDecimal(plain) else { return nil }
        return Number(start: start, end: end, value: value, isWords: false)
    }

    /// `三千八百亿`, `两万`, `一百二十`.
    private func chineseNumber(at start: Int, numerals: [Unicode.Scalar: MoneyData.NumberWord]) -> Number? {
        var end = start
        var total = ExactDecimal.zero
        var section = ExactDecimal.zero
        var pending: ExactDecimal?
        var lastBig = ExactDecimal.zero
        var digitsOnly: [ExactDecimal] = []
        var sawUnit = false
        while end < count, let numeral = numerals[scalars[end]] {
            switch numeral.kind {
            case .chineseDigit:
                if let pending { digitsOnly.append(pending) }
                pending = numeral.value
            case .chineseUnit:
                sawUnit = true
                section = section + (pending ?? .one) * numeral.value
                pending = nil
            case .chineseBig:
                sawUnit = true
                let part = section + (pending ?? .zero)
                if part.significand == 0 {
                    total = total * numeral.value
                } else if total.significand != 0, numeral.value.doubleValue > lastBig.doubleValue {
                    total = (total + part) * numeral.value
                } else {
                    total = total + part * numeral.value
                }
                lastBig = numeral.value
                section = .zero
                pending = nil
            default:
                break
            }
            end += 1
        }
        guard end > start else { return nil }
        if !sawUnit {
            // Digit by digit, as in 二〇二五.
            if let pending { digitsOnly.append(pending) }
            let joined = digitsOnly.map(\.description).joined()
            guard joined.utf8.count <= Self.maxDigits, let value = ExactDecimal(joined) else { return nil }
            return Number(start: start, end: end, value: value, isWords: false)
        }
        let value = total + section + (pending ?? .zero)
        return Number(start: start, end: end, value: value, isWords: false)
    }

    /// `ten`, `a`, `twenty-five`, `one hundred and five`, `a billion`, `quarter million`, `half a billion`.
    private func wordNumber(at start: Int, words: ScalarTrie<MoneyData.NumberWord>) -> Number? {
        let zero = ExactDecimal.zero
        var total = zero
        var current = zero
        // `quarter`, `half`: waits for the multiplier it is a fraction of.
        var fraction: ExactDecimal?
        var cursor = start
        // The longest prefix that is a whole number, and its value.
        var end = start
        var value = zero
        var wordCount = 0
        loop: while wordCount < Self.maxNumberWords, let (word, wordEnd) = numberWord(at: cursor, in: words) {
            wordCount += 1
            switch word.kind {
            case .multiplier:
                let base = fraction ?? (current.significand == 0 ? .one : current)
                fraction = nil
                if word.value.doubleValue >= 1000 {
                    total = total + base * word.value
                    current = zero
                } else {
                    current = base * word.value
                }
            case .fraction:
                // Alone or after `a`: `quarter million`, `a quarter million`.
                guard fraction == nil, total.significand == 0, end == start || isArticle(start..<end) else { break loop }
                fraction = word.value
                current = zero
            default:
                if fraction != nil {
                    // `half a billion`: only an article may stand between a fraction and its multiplier.
                    guard isArticle(cursor..<wordEnd) else { break loop }
                } else {
                    current = current + word.value
                }
            }
            if fraction == nil {
                end = wordEnd
                value = total + current
            }
            // Separators inside a number: a space, a hyphen, or " and " after a multiplier (`one hundred and five`).
            guard isSpace(wordEnd) || (wordEnd < count && CharacterClass.isHyphen(scalars[wordEnd])), isLetter(wordEnd + 1) else { break }
            cursor = wordEnd + 1
            if word.kind == .multiplier, hasPrefix("and ", at: cursor, folded: true) { cursor += 4 }
        }
        guard end > start else { return nil }
        return Number(start: start, end: end, value: value, isWords: true)
    }

    /// `a` or `an`: one, or an article before a fraction (`a quarter million`).
    func isArticle(_ range: Range<Int>) -> Bool {
        let word = lower[range.clamped(to: 0..<count)]
        return word.elementsEqual("a".unicodeScalars) || word.elementsEqual("an".unicodeScalars)
    }
}

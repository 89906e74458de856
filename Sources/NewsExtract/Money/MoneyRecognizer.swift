public import NewsCore
internal import NewsText

/// Finds money amounts and normalises each to a value in major units and an ISO 4217 currency.
///
/// An amount is a number (digits with grouping, Chinese numerals, or English number words) with a currency
/// marker around it: a symbol or code before (`$`, `US$`, `EUR `, `人民币`), a name or code after (`yuan`,
/// `US dollars`, `美元`, `USD`), or a minor unit after (`50 cents`). Scale words sit between (`billion`, `bn`,
/// `亿`); smaller units may continue it (`3 dollars 50 cents`, `五元三毛`). A qualifier before the amount
/// (`approximately`) and a per-unit phrase after (`a share`) are recorded but kept outside the span. A number
/// with no currency marker is never money: years, percentages, `Boeing 737`.
///
/// Ambiguous forms (`$`, `¥`, `dollars`) take the currency their context names; see `CurrencyResolver`.
public struct MoneyRecognizer: Sendable {
    private enum Marker: Sendable {
        case form(MoneyData.Form)
        case scale(MoneyData.Scale)
        case minor(MoneyData.MinorUnit)
    }

    /// A currency form found before a number.
    private struct Candidate {
        var form: MoneyData.Form
        /// Matched on the lower-cased text although the form has capitals (`us $`, `aud$`).
        var lowered: Bool
    }

    private var exactAfter = ScalarTrie<Marker>()
    private var foldedAfter = ScalarTrie<Marker>()
    private var exactBefore = ScalarTrie<Candidate>(reversed: true)
    private var foldedBefore = ScalarTrie<Candidate>(reversed: true)
    private var qualifiers = ScalarTrie<MoneyQualifier>(reversed: true)
    private var perUnits = ScalarTrie<String>()
    private var changeWords = ScalarTrie<MoneyData.ChangeKind>(reversed: true)
    private var numberWords = ScalarTrie<MoneyData.NumberWord>()
    private var chineseNumerals: [Unicode.Scalar: MoneyData.NumberWord] = [:]
    private let resolver: CurrencyResolver
    private let minorDigits: [String: Int]
    /// Lower-case English function words (`for`, `to`): what may follow `a dollar` when it is an amount.
    private let functionWords: Set<String>

    /// How far before a lower-cased symbol (`c $`) the text must have no capital letter, in scalars.
    static let lowercaseWindow = 30

    /// - Parameters:
    ///   - functionWords: lower-case English function words; with none, `a dollar` is an amount only at the
    ///     end of a phrase or before a per-unit phrase.
    public init(data: MoneyData, functionWords: Set<String> = []) {
        resolver = CurrencyResolver(data: data)
        minorDigits = data.minorDigits
        self.functionWords = functionWords
        for form in data.forms { add(form) }
        // Finance notation glues a scale to a code: `48.5 MGBP`, `MAUD 60`, `kEUR 12`.
        for scale in data.scales where scale.codePrefix {
            for form in data.forms where form.kind == .code && form.text.utf8.count == 3 && form.text.utf8.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) {
                add(MoneyData.Form(text: scale.word + form.text, code: form.code, kind: .code, cased: true, scale: scale.multiplier))
            }
        }
        for scale in data.scales {
            if scale.cased { exactAfter.insert(scale.word, value: .scale(scale)) } else { foldedAfter.insert(scale.word.lowercased(), value: .scale(scale)) }
        }
        for unit in data.minorUnits {
            if unit.cased { exactAfter.insert(unit.form, value: .minor(unit)) } else { foldedAfter.insert(unit.form.lowercased(), value: .minor(unit)) }
        }
        for (phrase, qualifier) in data.qualifiers { qualifiers.insert(phrase, value: qualifier) }
        for (word, kind) in data.changeWords { changeWords.insert(word, value: kind) }
        for (phrase, unit) in data.perUnits {
            perUnits.insert(phrase, value: unit)
            // `$70-a-share`
            if phrase.contains(" ") { perUnits.insert(phrase.split(separator: " ").joined(separator: "-"), value: unit) }
        }
        for word in data.numberWords {
            switch word.kind {
            case .chineseDigit, .chineseUnit, .chineseBig:
                if let scalar = word.word.unicodeScalars.first, word.word.unicodeScalars.count == 1 { chineseNumerals[scalar] = word }
            case .unit, .ten, .multiplier, .fraction:
                numberWords.insert(word.word.lowercased(), value: word)
            }
        }
    }

    private mutating func add(_ form: MoneyData.Form) {
        let caseSensitive = form.cased || form.kind != .name
        let key = caseSensitive ? form.text : form.text.lowercased()
        if caseSensitive { exactAfter.insert(key, value: .form(form)) } else { foldedAfter.insert(key, value: .form(form)) }
        // Before the number: symbols and codes, Chinese names (`人民币100元`), qualified names (`Malaysian ringgit 42`).
        let hasCJK = form.text.unicodeScalars.contains(where: CharacterClass.isCJK)
        guard form.kind != .name || hasCJK || form.text.contains(" ") else { return }
        let candidate = Candidate(form: form, lowered: false)
        if caseSensitive { exactBefore.insert(key, value: candidate) } else { foldedBefore.insert(key, value: candidate) }
        // Lower-cased text writes symbols with letters in lower case, and sometimes spaced: `aud$ 15`, `c $ 300`.
        let scalars = Array(form.text.lowercased().unicodeScalars)
        if form.kind == .symbol, let split = scalars.firstIndex(where: { !CharacterClass.isLetter($0) && $0 != "." }), split > 0 {
            let letters = String(String.UnicodeScalarView(scalars[..<split]))
            let sign = String(String.UnicodeScalarView(scalars[split...]))
            foldedBefore.insert(letters + sign, value: Candidate(form: form, lowered: true))
            if !sign.hasPrefix(" ") { foldedBefore.insert(letters + " " + sign, value: Candidate(form: form, lowered: true)) }
        }
    }

    public func recognize(_ text: ScalarText) -> [MoneyMention] {
        let scan = Scan(text: text)
        var article = CurrencyResolver.Article()
        var mentions: [MoneyMention] = []
        var position = 0
        while position < scan.count {
            position = scan.nextPossibleNumberStart(from: position)
            guard position < scan.count,
                scan.startsNumber(at: position, numberWords: numberWords, chineseNumerals: chineseNumerals),
                let number = scan.number(at: position, numberWords: numberWords, chineseNumerals: chineseNumerals)
            else {
                position += 1
                continue
            }
            if let mention = amount(around: number, scan: scan, previous: mentions.last, article: &article) {
                mentions.append(mention)
                position = mention.end
            } else {
                position = number.end
            }
        }
        return mentions
    }

    // MARK: One amount

    private func amount(around number: Scan.Number, scan: Scan, previous: MoneyMention?, article: inout CurrencyResolver.Article)
        -> MoneyMention?
    {
        let floor = previous?.end ?? 0
        var start = number.start
        var currencyForm: MoneyData.Form?

        // A symbol, code or qualified name before the number.
        if !number.isWords, let (form, formStart) = formBefore(number.start, scan: scan, floor: floor) {
            currencyForm = form
            start = formStart
        }
        let nameBefore = currencyForm?.kind == .name && !scan.isCJK(start)
        // `COP28`, `TOP10`: a code that is also a word, glued to a whole number, names a thing, not an amount.
        let weakBefore = currencyForm?.weak == true

        // Scale words, and a compact range: `$5-7 million`, `$2 billion to $3 billion`, `3亿至5亿美元`.
        var end = number.end
        var valueMax: ExactDecimal?
        var cursor = end
        var scales = scalesAfter(&cursor, scan: scan)
        if weakBefore, scales.isEmpty, number.value.exponent >= 0 {
            currencyForm = nil
            start = number.start
        }
        let wordRanges = !isChange(before: start, scan: scan)
        if let (high, highEnd) = rangeEnd(after: scales.isEmpty ? end : cursor, scan: scan, form: currencyForm, words: wordRanges) {
            end = highEnd
            cursor = highEnd
            let highScales = scalesAfter(&cursor, scan: scan)
            if !highScales.isEmpty {
                if scales.isEmpty { scales = highScales }
                end = cursor
            }
            valueMax = high.value * (highScales.isEmpty ? scales : highScales).product
        } else if !scales.isEmpty {
            end = cursor
        }

        // A name, code or symbol after, or a minor unit (`50 cents`).
        var minorUnit: MoneyData.MinorUnit?
        var markerAfterNumber = false
        if let (marker, markerEnd) = markerAfter(end, scan: scan) {
            switch marker {
            case .form(let form):
                // `$ 20,000.00 $ 37,305.97`, `1 $ 10 dollars`: a symbol followed by a number starts the next amount.
                let startsNext = form.kind == .symbol && scan.isDigit(scan.skipSpaces(markerEnd))
                // `新台币3253亿元`: an ambiguous form after agrees with an explicit one before.
                let agrees = currencyForm.map { $0.code == form.code || $0.ambiguous || form.ambiguous } ?? true
                if !startsNext, agrees {
                    if currencyForm?.ambiguous ?? true { currencyForm = form }
                    end = markerEnd
                    markerAfterNumber = true
                    if scales.isEmpty, valueMax == nil {
                        // `75 USD million`
                        var afterCode = end
                        scales = scalesAfter(&afterCode, scan: scan)
                        end = afterCode
                    }
                    if valueMax == nil, let (high, highEnd) = repeatedAmount(after: end, form: form, scan: scan, words: wordRanges) {
                        valueMax = high
                        end = highEnd
                    }
                }
            case .minor(let unit) where currencyForm == nil && scales.isEmpty && !unit.continuationOnly:
                minorUnit = unit
                end = markerEnd
            default:
                break
            }
        }
        guard currencyForm != nil || minorUnit != nil else { return nil }
        // `ten $` and `a EUR 8.75 million` are not amounts; `US dollars 5 times` is not one either.
        if number.isWords, let kind = currencyForm?.kind, kind != .name { return nil }
        if nameBefore, !endsPhrase(at: end, scan: scan) { return nil }
        // `a dollar bond`, `a euro zone`: an article and a currency word before a noun name a kind of thing
        // (but `below a dollar for six months` is an amount).
        var per = perUnit(around: start, end, scan: scan)
        if scan.isArticle(number.start..<number.end), per == nil, !endsPhrase(at: end, scan: scan), !isFunctionWord(after: end, scan: scan) {
            return nil
        }

        let multiplier = scales.product * (currencyForm?.scale ?? .one)
        var value = number.value * multiplier
        valueMax = valueMax.map { $0 * (currencyForm?.scale ?? .one) }

        let currency: String
        if let currencyForm {
            currency = resolver.currency(of: currencyForm, at: start, scan: scan, article: &article)
        } else if let minorUnit {
            currency = minorUnitCurrency(minorUnit, at: start, scan: scan, previous: previous, article: &article)
            value = value * minorUnit.factor
            valueMax = valueMax.map { $0 * minorUnit.factor }
        } else {
            return nil
        }

        // `3 dollars 50 cents`, `US$3 and fourteen`, `50元6角三分`.
        if currencyForm != nil, scales.isEmpty, valueMax == nil, currencyForm?.scale == nil, number.value.exponent >= 0,
            let (minor, minorEnd) = minorParts(after: end, currency: currency, bareAfterSpace: markerAfterNumber, scan: scan)
        {
            value = value + minor
            end = minorEnd
            per = perUnit(around: start, end, scan: scan)
        }

        return MoneyMention(
            text: scan.text[start..<end], start: start, end: end, value: value, valueMax: valueMax, currency: currency,
            qualifier: qualifierBefore(start, scan: scan, floor: floor), per: per)
    }

    // MARK: Around the number

    private func formBefore(_ position: Int, scan: Scan, floor: Int) -> (MoneyData.Form, Int)? {
        // Attached first (`$5`, `USD3.14`), then across blanks (`EUR 12.5`, `Rs. 500`, `人民币  50元`).
        let spaced = scan.skipSpacesBackwards(position)
        for end in spaced < position ? [position, spaced] : [position] {
            guard end > floor else { continue }
            let gap = end < position
            let candidates = exactBefore.matches(in: scan.scalars, at: end) + foldedBefore.matches(in: scan.lower, at: end)
            for (length, values) in candidates.sorted(by: { $0.length > $1.length }) {
                let start = end - length
                guard start >= floor, let candidate = values.first else { continue }
                let form = candidate.form
                if form.weak, gap { continue }
                if scan.isWordCharacter(start - 1), scan.isWordCharacter(start) { continue }
                // `A$`, `US$`: letters glued to a symbol belong to it, so `A$` must not match as `$`.
                if form.kind == .symbol, scan.isLetter(start - 1), !scan.isLetter(start) { continue }
                if candidate.lowered, !acceptsLowered(start..<end, scan: scan) { continue }
                return (form, start)
            }
        }
        return nil
    }

    /// A symbol written in lower case (`aud$`, `u.s $`) is one; spaced (`c $ 300`), it is one only in a passage
    /// written wholly in lower case, and never when its letters are a word of their own: `a $5 fee`,
    /// `music's $5`, `us $5` in ordinary text.
    private func acceptsLowered(_ range: Range<Int>, scan: Scan) -> Bool {
        guard let space = range.firstIndex(where: scan.isSpace), !scan.scalars[range].contains(".") else { return true }
        let before = scan.skipSpacesBackwards(range.lowerBound) - 1
        return scan.isLowercase((range.lowerBound - Self.lowercaseWindow)..<range.upperBound)
            && !scan.isArticle(range.lowerBound..<space)
            && !(before >= 0 && CharacterClass.isApostrophe(scan.scalars[before]))
    }

    private func scalesAfter(_ cursor: inout Int, scan: Scan) -> [ExactDecimal] {
        var multipliers: [ExactDecimal] = []
        // Two at most: `thousand crore`, `十亿`; `trillion trillion` is not an amount.
        while multipliers.count < 2 {
            // `$500-million`, Canadian press style: a hyphen joins a scale word as a blank would.
            let hyphenated = multipliers.isEmpty && cursor < scan.count && scan.scalars[cursor] == "-" && scan.isLetter(cursor + 1)
            let attached = !scan.isSpace(cursor) && !hyphenated
            let from = attached ? cursor : cursor + 1
            guard attached || (from < scan.count && !scan.isSpace(from)) else { break }
            guard let (marker, end) = longestMarker(at: from, scan: scan), case .scale(let scale) = marker else { break }
            if scale.attached, !(attached && multipliers.isEmpty) { break }
            multipliers.append(scale.multiplier)
            cursor = end
        }
        return multipliers
    }

    private func markerAfter(_ position: Int, scan: Scan) -> (Marker, Int)? {
        let from = scan.isSpace(position) ? position + 1 : position
        guard from < scan.count, !scan.isSpace(from) else { return nil }
        guard let (marker, end) = longestMarker(at: from, scan: scan) else { return nil }
        if case .minor(let unit) = marker, unit.attached, from != position { return nil }
        return (marker, end)
    }

    /// The longest currency form, scale or minor unit at `position` that ends at a word boundary.
    private func longestMarker(at position: Int, scan: Scan) -> (Marker, Int)? {
        let candidates = exactAfter.matches(in: scan.scalars, at: position) + foldedAfter.matches(in: scan.lower, at: position)
        for (length, markers) in candidates.sorted(by: { $0.length > $1.length }) {
            let end = position + length
            if scan.isLetter(end - 1), scan.isLetter(end) { continue }
            if let marker = markers.first { return (marker, end) }
        }
        return nil
    }

    /// `cut by $1.5 billion to $58.5 billion`, `rose from $5 to $7`, `增加15亿元至98亿元`: a change between two
    /// amounts, not a range (but `ranging from $5 to $7` is one). The first change word before the amount,
    /// read back over qualifiers, decides.
    private func isChange(before position: Int, scan: Scan) -> Bool {
        var end = scan.skipSpacesBackwards(position)
        // After `from`, the verb may stand a few words back: `cut its capex plan from $12 billion to $10 billion`.
        var afterFrom = false
        for _ in 0..<6 {
            let matches = changeWords.matches(in: scan.lower, at: end)
            // Chinese runs words together: a change word is the end of the text before.
            if scan.isCJK(end - 1) { return matches.first?.values.first == .change }
            let start = scan.wordStart(before: end)
            guard start < end else { return false }
            switch matches.first(where: { $0.length == end - start })?.values.first {
            case .change: return true
            case .range: return false
            case .skip:
                afterFrom = true
                end = scan.skipSpacesBackwards(start)
            case nil:
                if afterFrom {
                    end = scan.skipSpacesBackwards(start)
                    continue
                }
                guard let qualifier = qualifiers.matches(in: scan.lower, at: end).first, !scan.isLetter(end - qualifier.length - 1) else {
                    return false
                }
                end = scan.skipSpacesBackwards(end - qualifier.length)
            }
        }
        return false
    }

    /// The high end of a compact range after `position`: a dash or tilde, or (when `words`) `to`, `至`, `到`.
    private func rangeEnd(after position: Int, scan: Scan, form: MoneyData.Form?, words: Bool) -> (Scan.Number, Int)? {
        var cursor = scan.skipSpaces(position)
        guard cursor < scan.count else { return nil }
        if ["-", "–", "—", "~", "～"].contains(scan.scalars[cursor]) || (words && ["至", "到"].contains(scan.scalars[cursor])) {
            cursor += 1
        } else if words, scan.hasPrefix("to", at: cursor, folded: true), !scan.isLetter(cursor + 2) {
            cursor += 2
        } else {
            return nil
        }
        cursor = scan.skipSpaces(cursor)
        if let form, scan.hasPrefix(form.text, at: cursor, folded: false) { cursor += form.text.unicodeScalars.count }
        guard scan.isDigit(cursor), let high = scan.digitNumber(at: cursor) else { return nil }
        return (high, high.end)
    }

    /// `50亿元至55亿元`, `5 million euros to 7 million euros`: the high end of a range that repeats the currency
    /// word, as its value (scaled) and where it ends.
    private func repeatedAmount(after position: Int, form: MoneyData.Form, scan: Scan, words: Bool) -> (ExactDecimal, Int)? {
        guard let (high, highEnd) = rangeEnd(after: position, scan: scan, form: nil, words: words) else { return nil }
        var cursor = highEnd
        let scales = scalesAfter(&cursor, scan: scan)
        guard let (marker, markerEnd) = markerAfter(cursor, scan: scan), case .form(let highForm) = marker, highForm.text == form.text else {
            return nil
        }
        return (high.value * scales.product, markerEnd)
    }

    /// The smaller units continuing an amount (`3 dollars 50 cents`, `US$3 and fourteen`, `20 ringgit and 43c`,
    /// `五元三毛`, `50元6角三分`), as their value in major units and where they end.
    ///
    /// A part is a number and a minor unit of the same currency, each smaller than the last. A last number
    /// with no unit counts in the next smaller unit (`20 dollars 43` = 20.43, `five mao five` = 0.55); it
    /// needs `and`, or a currency word just before it, and must end the phrase, so `$20, 43 employees` is not one.
    private func minorParts(after position: Int, currency: String, bareAfterSpace: Bool, scan: Scan) -> (ExactDecimal, Int)? {
        var total = ExactDecimal.zero
        var end = position
        var lastFactor: ExactDecimal?
        while end < scan.count {
            var cursor = end
            var joinedByAnd = false
            if scan.isSpace(cursor) {
                cursor = scan.skipSpaces(cursor)
                if scan.hasPrefix("and", at: cursor, folded: true), scan.isSpace(cursor + 3) {
                    cursor = scan.skipSpaces(cursor + 3)
                    joinedByAnd = true
                }
            } else if scan.isCJK(end - 1) {
                if scan.scalars[cursor] == "又" || scan.scalars[cursor] == "零" { cursor += 1 }
            } else {
                break
            }
            guard scan.startsNumber(at: cursor, numberWords: numberWords, chineseNumerals: chineseNumerals),
                let part = scan.number(at: cursor, numberWords: numberWords, chineseNumerals: chineseNumerals),
                part.value.exponent >= 0, part.value.doubleValue < 100, !scan.isArticle(part.start..<part.end)
            else { break }

            if let (unit, unitEnd) = minorUnit(after: part.end, scan: scan), unit.code == currency || unit.ambiguous,
                unit.factor.doubleValue < (lastFactor ?? .one).doubleValue,
                !scan.isCJK(unitEnd) || scan.isDigit(unitEnd) || chineseNumerals[scan.scalars[unitEnd]] != nil
            {
                total = total + part.value * unit.factor
                lastFactor = unit.factor
                end = unitEnd
                continue
            }
            // A bare last number: the next smaller unit.
            let factor: ExactDecimal
            if let lastFactor {
                factor = lastFactor * ExactDecimal(significand: 1, exponent: -1)
            } else if minorDigits[currency] == 2, joinedByAnd || bareAfterSpace, !scan.isCJK(cursor) {
                factor = ExactDecimal(significand: 1, exponent: -2)
            } else {
                break
            }
            guard (part.value * factor).doubleValue < (lastFactor ?? .one).doubleValue,
                endsPhrase(at: part.end, scan: scan)
            else { break }
            total = total + part.value * factor
            end = part.end
            break
        }
        return end > position ? (total, end) : nil
    }

    /// `54 cents a share`: the currency of an amount just before in the same sentence, else what the context says
    /// about the unit's main currency (a `SINGAPORE (Reuters) -` dateline makes cents Singapore cents).
    private func minorUnitCurrency(
        _ unit: MoneyData.MinorUnit, at position: Int, scan: Scan, previous: MoneyMention?, article: inout CurrencyResolver.Article
    ) -> String {
        guard unit.ambiguous else { return unit.code }
        if let previous, position - previous.end < 150, !scan.containsSentenceEnd(previous.end..<position) { return previous.currency }
        return resolver.currency(ofMinorUnit: unit, at: position, scan: scan, article: &article)
    }

    /// A minor unit right after a number: attached (`43c`, `6角`) or after one blank (`50 cents`).
    private func minorUnit(after position: Int, scan: Scan) -> (MoneyData.MinorUnit, Int)? {
        guard let (marker, end) = markerAfter(position, scan: scan), case .minor(let unit) = marker else { return nil }
        return (unit, end)
    }

    private func isFunctionWord(after position: Int, scan: Scan) -> Bool {
        let start = scan.skipSpaces(position)
        let word = scan.lower[start..<scan.wordEnd(after: start)]
        return !word.isEmpty && functionWords.contains(String(String.UnicodeScalarView(word)))
    }

    /// Nothing more of the phrase follows `position`: the end, punctuation, or `and`/`or` (not a word, digit or `%`).
    private func endsPhrase(at position: Int, scan: Scan) -> Bool {
        let next = scan.skipSpaces(position)
        guard next < scan.count else { return true }
        if scan.isLetter(next) {
            let isConjunction = (scan.hasPrefix("and", at: next, folded: true) && !scan.isLetter(next + 3))
                || (scan.hasPrefix("or", at: next, folded: true) && !scan.isLetter(next + 2))
            return isConjunction
        }
        return !scan.isDigit(next) && !scan.isCJK(next) && scan.scalars[next] != "%"
    }

    private func qualifierBefore(_ position: Int, scan: Scan, floor: Int) -> MoneyQualifier? {
        for gap in [1, 0] {
            let end = position - gap
            guard end > floor, gap == 0 || scan.isSpace(end) else { continue }
            for (length, values) in qualifiers.matches(in: scan.lower, at: end) {
                let start = end - length
                guard start >= floor else { continue }
                if scan.isLetter(start - 1), scan.isLetter(start) { continue }
                return values.first
            }
        }
        return nil
    }

    /// `$70 a share`, `$80-a-barrel`, `5元/股`, `$61 per device`; `每股…1.25元` before the amount in Chinese.
    /// Not `$620m a year earlier`: that is a time, not a unit.
    private func perUnit(around start: Int, _ end: Int, scan: Scan) -> String? {
        let from = scan.isSpace(end) || (end < scan.count && CharacterClass.isHyphen(scan.scalars[end])) ? end + 1 : end
        for (length, values) in perUnits.matches(in: scan.lower, at: from) where !scan.isLetter(from + length) || !scan.isLetter(from + length - 1) {
            let next = scan.skipSpaces(from + length)
            let nextWord = scan.lower[next..<scan.wordEnd(after: next)]
            if Self.timeReferences.contains(where: { nextWord.elementsEqual($0.unicodeScalars) }) { return nil }
            return values.first
        }
        // After a plain `per`, the noun is its own unit.
        if scan.hasPrefix("per ", at: from, folded: true), scan.isLetter(from + 4) {
            let wordEnd = scan.wordEnd(after: from + 4)
            if wordEnd - from - 4 >= 3 { return String(String.UnicodeScalarView(scan.lower[(from + 4)..<wordEnd])) }
        }
        // Chinese puts the unit first, within the clause: `每股派发现金红利0.3064元`.
        if scan.isCJK(start - 1) {
            var i = start - 1
            while i >= max(0, start - 12), scan.isCJK(i) {
                if scan.scalars[i] == "每", let (_, values) = perUnits.matches(in: scan.lower, at: i).first { return values.first }
                i -= 1
            }
        }
        return nil
    }

    /// Words after `a year` that make it a time: `a year earlier`, `a year ago`.
    private static let timeReferences = ["earlier", "ago", "previously"]
}

extension MoneyData.MinorUnit {
    /// A single ambiguous Chinese character (`分`, `毛`, `角` also mean points, minutes, hair, corners): a unit only
    /// where it continues an amount (`5元3毛`), never alone.
    var continuationOnly: Bool {
        ambiguous && form.unicodeScalars.count == 1 && form.unicodeScalars.allSatisfy(CharacterClass.isCJK)
    }
}

extension [ExactDecimal] {
    var product: ExactDecimal { reduce(.one, *) }
}

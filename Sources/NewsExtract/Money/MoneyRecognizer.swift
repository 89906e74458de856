public import NewsCore
internal import NewsText

/// Finds money amounts and normalises each to a value in major units and an ISO 4217 currency.
///
/// An amount is a number (digits with grouping, Chinese numerals, or English number words) with a currency
/// marker around it: a symbol or code before (`$`, `US$`, `EUR `), a name or code after (`yuan`, `US dollars`,
/// `美元`, `USD`), or a minor unit after (`50 cents`). Scale words sit between (`billion`, `bn`, `亿`).
/// A qualifier before the amount (`approximately`) and a per-unit phrase after (`a share`) are recorded but
/// kept outside the span. A number with no currency marker is never money: years, percentages, `Boeing 737`.
///
/// Ambiguous forms (`$`, `¥`, `dollars`) take the currency their context names (`currency-context.tsv`),
/// looked for in the text around the amount and at the start of the article (the dateline), else the default.
public struct MoneyRecognizer: Sendable {
    private enum Marker: Sendable {
        case form(MoneyData.Form)
        case scale(MoneyData.Scale)
        case minor(MoneyData.MinorUnit)
    }

    private var exactAfter = ScalarTrie<Marker>()
    private var foldedAfter = ScalarTrie<Marker>()
    private var exactBefore = ScalarTrie<MoneyData.Form>(reversed: true)
    private var foldedBefore = ScalarTrie<MoneyData.Form>(reversed: true)
    private var qualifiers = ScalarTrie<MoneyQualifier>(reversed: true)
    private var perUnits = ScalarTrie<String>()
    private var numberWords = ScalarTrie<MoneyData.NumberWord>()
    private var chineseNumerals: [Unicode.Scalar: MoneyData.NumberWord] = [:]
    private let context: [String: [MoneyData.ContextRule]]
    private let minorDigits: [String: Int]

    /// How far around an amount context words are looked for, in scalars.
    static let contextWindow = 300
    /// How much of the article's start counts as its dateline.
    static let datelineLength = 120

    public init(data: MoneyData) {
        for form in data.forms {
            let caseSensitive = form.cased || form.kind != .name
            if caseSensitive {
                exactAfter.insert(form.text, value: .form(form))
            } else {
                foldedAfter.insert(form.text.lowercased(), value: .form(form))
            }
            // Before the number: symbols and codes, and Chinese names (`人民币100元`).
            let hasCJK = form.text.unicodeScalars.contains(where: CharacterClass.isCJK)
            if form.kind != .name || hasCJK {
                if caseSensitive { exactBefore.insert(form.text, value: form) } else { foldedBefore.insert(form.text.lowercased(), value: form) }
            }
        }
        for scale in data.scales {
            if scale.cased { exactAfter.insert(scale.word, value: .scale(scale)) } else { foldedAfter.insert(scale.word.lowercased(), value: .scale(scale)) }
        }
        for unit in data.minorUnits {
            if unit.cased { exactAfter.insert(unit.form, value: .minor(unit)) } else { foldedAfter.insert(unit.form.lowercased(), value: .minor(unit)) }
        }
        for (phrase, qualifier) in data.qualifiers { qualifiers.insert(phrase, value: qualifier) }
        for (phrase, unit) in data.perUnits { perUnits.insert(phrase, value: unit) }
        for word in data.numberWords {
            switch word.kind {
            case .chineseDigit, .chineseUnit, .chineseBig:
                if let scalar = word.word.unicodeScalars.first, word.word.unicodeScalars.count == 1 { chineseNumerals[scalar] = word }
            case .unit, .ten, .multiplier:
                numberWords.insert(word.word.lowercased(), value: word)
            }
        }
        context = Dictionary(grouping: data.context, by: \.form)
        minorDigits = data.minorDigits
    }

    public func recognize(_ text: ScalarText) -> [MoneyMention] {
        let scan = Scan(text: text)
        var mentions: [MoneyMention] = []
        var position = 0
        while position < scan.count {
            guard scan.startsNumber(at: position, numberWords: numberWords, chineseNumerals: chineseNumerals),
                let number = scan.number(at: position, numberWords: numberWords, chineseNumerals: chineseNumerals)
            else {
                position += 1
                continue
            }
            let floor = mentions.last?.end ?? 0
            if let mention = amount(around: number, scan: scan, floor: floor, previous: mentions.last) {
                mentions.append(mention)
                position = mention.end
            } else {
                position = number.end
            }
        }
        return mentions
    }

    // MARK: One amount

    private func amount(around number: Scan.Number, scan: Scan, floor: Int, previous: MoneyMention?) -> MoneyMention? {
        var start = number.start
        var value = number.value
        var valueMax: ExactDecimal?
        var currencyForm: MoneyData.Form?

        // A symbol or code before the number.
        if !number.isWords, let (form, formStart) = formBefore(number.start, scan: scan, floor: floor) {
            currencyForm = form
            start = formStart
        }

        var end = number.end
        // A compact range: `$5-7 million`, `$2 billion to $3 billion` (the second symbol is optional).
        var cursor = end
        var scales = scalesAfter(&cursor, scan: scan, attachedAllowed: true)
        if let (high, highEnd) = rangeEnd(after: scales.isEmpty ? end : cursor, scan: scan, form: currencyForm) {
            valueMax = high.value
            end = highEnd
            cursor = highEnd
            let highScales = scalesAfter(&cursor, scan: scan, attachedAllowed: true)
            if !highScales.isEmpty {
                if scales.isEmpty { scales = highScales }
                valueMax = high.value * highScales.reduce(ExactDecimal(significand: 1), *)
                end = cursor
            } else {
                valueMax = high.value * scales.reduce(ExactDecimal(significand: 1), *)
            }
        } else if !scales.isEmpty {
            end = cursor
        }
        let multiplier = scales.reduce(ExactDecimal(significand: 1), *)
        value = value * multiplier

        // A name, code or symbol after.
        var minorFactor: ExactDecimal?
        var minorUnit: MoneyData.MinorUnit?
        if let (marker, markerEnd) = markerAfter(end, scan: scan) {
            switch marker {
            case .form(let form):
                if currencyForm == nil || currencyForm?.code == form.code || currencyForm?.ambiguous == true {
                    currencyForm = currencyForm.map { $0.ambiguous ? form : $0 } ?? form
                    end = markerEnd
                }
            case .minor(let unit) where currencyForm == nil && scales.isEmpty:
                minorUnit = unit
                minorFactor = unit.factor
                end = markerEnd
            default:
                break
            }
        }
        guard currencyForm != nil || minorUnit != nil else { return nil }
        if number.isWords, currencyForm?.kind == .symbol { return nil }

        let currency: String
        if let currencyForm {
            currency = resolve(currencyForm.text, default: currencyForm.code, ambiguous: currencyForm.ambiguous, near: start, scan: scan)
        } else if let minorUnit {
            currency = minorUnit.ambiguous ? (previous?.currency ?? minorUnit.code) : minorUnit.code
        } else {
            return nil
        }
        if let factor = minorFactor {
            value = value * factor
            valueMax = valueMax.map { $0 * factor }
        }
        // `20 dollars 43`: a trailing one- or two-digit number is the minor part.
        if currencyForm?.kind == .name, valueMax == nil, scales.isEmpty, let (cents, centsEnd) = minorPart(after: end, scan: scan),
            (minorDigits[currency] ?? 2) == 2
        {
            value = value + cents * ExactDecimal(significand: 1, exponent: -2)
            end = centsEnd
        }

        let qualifier = qualifierBefore(start, scan: scan, floor: floor)
        let per = perUnitAfter(end, scan: scan)
        return MoneyMention(
            text: scan.text[start..<end], start: start, end: end, value: value, valueMax: valueMax, currency: currency,
            qualifier: qualifier, per: per)
    }

    private func formBefore(_ position: Int, scan: Scan, floor: Int) -> (MoneyData.Form, Int)? {
        // Attached first (`$5`, `USD3.14`), then across one space (`EUR 12.5`, `Rs 500`, `Rs. 500`).
        for gap in [0, 1] {
            let end = position - gap
            guard end > floor, gap == 0 || scan.isSpace(end) else { continue }
            let candidates = exactBefore.matches(in: scan.scalars, at: end) + foldedBefore.matches(in: scan.lower, at: end)
            for (length, forms) in candidates.sorted(by: { $0.length > $1.length }) {
                let start = end - length
                guard start >= floor, let form = forms.first else { continue }
                if form.weak, gap > 0 { continue }
                if scan.isWordCharacter(start - 1), scan.isWordCharacter(start) { continue }
                // `A$`, `US$`: letters glued to a symbol belong to it, so `A$` must not match as `$`.
                if form.kind == .symbol, scan.isLetter(start - 1), !scan.isLetter(start) { continue }
                return (form, start)
            }
        }
        return nil
    }

    private func scalesAfter(_ cursor: inout Int, scan: Scan, attachedAllowed: Bool) -> [ExactDecimal] {
        var multipliers: [ExactDecimal] = []
        while true {
            let attached = !scan.isSpace(cursor)
            let from = attached ? cursor : cursor + 1
            guard attached || (from < scan.count && !scan.isSpace(from)) else { break }
            guard let (marker, end) = longestMarker(at: from, scan: scan), case .scale(let scale) = marker else { break }
            if scale.attached, !(attached && attachedAllowed && multipliers.isEmpty) { break }
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
            let lastIsWordy = scan.isLetter(end - 1)
            if lastIsWordy, scan.isLetter(end) { continue }
            if let marker = markers.first { return (marker, end) }
        }
        return nil
    }

    private func rangeEnd(after position: Int, scan: Scan, form: MoneyData.Form?) -> (Scan.Number, Int)? {
        var cursor = position
        if scan.isSpace(cursor) { cursor += 1 }
        let connectors: [String] = ["-", "–", "—", "to"]
        var matched = false
        for connector in connectors where scan.hasPrefix(connector, at: cursor, folded: true) {
            let after = cursor + connector.unicodeScalars.count
            if connector == "to", scan.isLetter(after) { continue }
            cursor = after
            matched = true
            break
        }
        guard matched else { return nil }
        if scan.isSpace(cursor) { cursor += 1 }
        if let form, scan.hasPrefix(form.text, at: cursor, folded: false) { cursor += form.text.unicodeScalars.count }
        guard scan.isDigit(cursor), let high = scan.digitNumber(at: cursor) else { return nil }
        return (high, high.end)
    }

    private func minorPart(after position: Int, scan: Scan) -> (ExactDecimal, Int)? {
        guard scan.isSpace(position), scan.isDigit(position + 1) else { return nil }
        var end = position + 1
        while scan.isDigit(end) { end += 1 }
        guard end - position - 1 <= 2, !scan.isWordCharacter(end), !(end < scan.count && ["%", ".", ","].contains(scan.scalars[end]) && scan.isDigit(end + 1)) else {
            return nil
        }
        guard let cents = ExactDecimal(scan.text[(position + 1)..<end]) else { return nil }
        return (cents, end)
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

    private func perUnitAfter(_ position: Int, scan: Scan) -> String? {
        let from = scan.isSpace(position) ? position + 1 : position
        for (length, values) in perUnits.matches(in: scan.lower, at: from) where !scan.isLetter(from + length) || !scan.isLetter(from + length - 1) {
            return values.first
        }
        return nil
    }

    private func resolve(_ form: String, default code: String, ambiguous: Bool, near position: Int, scan: Scan) -> String {
        guard ambiguous, let rules = context[form] else { return code }
        let window = max(0, position - Self.contextWindow)..<min(scan.count, position + Self.contextWindow)
        let dateline = 0..<min(scan.count, Self.datelineLength)
        for range in [window, dateline] {
            for rule in rules where scan.containsWord(rule.word, in: range) { return rule.code }
        }
        return code
    }
}

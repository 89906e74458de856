internal import NewsCore
internal import NewsText

/// Picks the currency of an ambiguous form (`$`, `¥`, `pounds`, `元`) from the words around it or from the
/// article's dateline, using the context words of `currency-context.tsv`.
///
/// Most forms look at the nearby text first: `¥` next to "Beijing" is yuan, `rupees` next to "Karachi" is
/// Pakistani. Forms flagged `dateline` (`$`, `dollars`) look at the dateline only, because wire copy writes a
/// non-US dollar with its own symbol (`A$`, `C$`) and "Australia" near a bare `$` says nothing about it. Even
/// then, an article that writes the dateline's currency explicitly (`SYDNEY (Reuters) - … A$1.5 billion
/// ($1 billion)`) uses bare `$` for US dollars.
struct CurrencyResolver: Sendable {
    /// Per ambiguous form: its context words (lower-cased) → the currency each points to.
    private var contextWords: [String: ScalarTrie<String>] = [:]
    /// Per currency: the unambiguous symbols and codes that name it (`A$`, `AUD`).
    private var explicitForms: [String: [[Unicode.Scalar]]] = [:]
    /// Per currency: its ambiguous symbol (`$` for USD, `£` for GBP), whose context rules its minor units follow.
    private var mainSymbol: [String: MoneyData.Form] = [:]

    /// How far around an amount context words are looked for, in scalars (about 40 words).
    static let contextWindow = 250

    init(data: MoneyData) {
        for rule in data.context {
            contextWords[rule.form, default: ScalarTrie()].insert(rule.word.lowercased(), value: rule.code)
        }
        for form in data.forms where !form.ambiguous && form.kind != .name && form.cased {
            explicitForms[form.code, default: []].append(Array(form.text.unicodeScalars))
        }
        for form in data.forms where form.ambiguous && form.kind == .symbol && mainSymbol[form.code] == nil {
            mainSymbol[form.code] = form
        }
    }

    /// An ambiguous minor unit (`cents`) follows the context rules of its default currency's symbol (`$`).
    func currency(ofMinorUnit unit: MoneyData.MinorUnit, at position: Int, scan: Scan, article: inout Article) -> String {
        guard let symbol = mainSymbol[unit.code] else { return unit.code }
        return currency(of: symbol, at: position, scan: scan, article: &article)
    }

    /// What the resolver learns once per article.
    struct Article {
        fileprivate var dateline: Range<Int>??
        fileprivate var writesExplicitly: [String: Bool] = [:]

        init() {}
    }

    func currency(of form: MoneyData.Form, at position: Int, scan: Scan, article: inout Article) -> String {
        guard form.ambiguous, let words = contextWords[form.text] else { return form.code }
        if !form.datelineOnly {
            let window = max(0, position - Self.contextWindow)..<min(scan.count, position + Self.contextWindow)
            if let code = bestContextWord(words, in: window, near: position, scan: scan) { return code }
        }
        let dateline = article.dateline ?? Self.dateline(in: scan)
        article.dateline = dateline
        guard let dateline, let code = bestContextWord(words, in: dateline, near: dateline.lowerBound, scan: scan) else {
            return form.code
        }
        if form.datelineOnly {
            let explicit = article.writesExplicitly[code] ?? writesExplicitly(code, scan: scan)
            article.writesExplicitly[code] = explicit
            if explicit { return form.code }
        }
        return code
    }

    /// The longest context word in `range`, the nearest to `position` among equally long ones.
    private func bestContextWord(_ words: ScalarTrie<String>, in range: Range<Int>, near position: Int, scan: Scan) -> String? {
        var best: (length: Int, distance: Int, code: String)?
        for start in range {
            // Latin words match whole; Chinese ones anywhere (no spaces between words).
            guard scan.isCJK(start) || (scan.isWordCharacter(start) && !scan.isLetter(start - 1)) else { continue }
            for (length, codes) in words.matches(in: scan.lower, at: start) where start + length <= range.upperBound {
                let end = start + length
                guard scan.isCJK(end - 1) || !scan.isLetter(end), let code = codes.first else { continue }
                let distance = start < position ? position - end : start - position
                if best == nil || length > best!.length || (length == best!.length && distance < best!.distance) {
                    best = (length, distance, code)
                }
                break
            }
        }
        return best?.code
    }

    /// Whether the article names `code` with one of its own symbols or its code (`A$`, `AUD`) anywhere.
    private func writesExplicitly(_ code: String, scan: Scan) -> Bool {
        for form in explicitForms[code] ?? [] {
            guard let first = form.first else { continue }
            var i = 0
            while i + form.count <= scan.count {
                if scan.scalars[i] == first, !scan.isLetter(i - 1), scan.scalars[i..<(i + form.count)].elementsEqual(form),
                    !scan.isLetter(i + form.count) || !scan.isLetter(i + form.count - 1)
                {
                    return true
                }
                i += 1
            }
        }
        return false
    }

    /// The dateline of a wire story: the place before `(Reuters) -`, ` - ` or `—` at the start of one of the
    /// first lines (`SYDNEY, March 3 (Reuters) -`, `Toronto —`). Every word in it is capitalised or a number,
    /// so a headline such as `Amazon to invest in Australia - sources` is not one.
    static func dateline(in scan: Scan) -> Range<Int>? {
        var lineStart = 0
        for _ in 0..<4 {
            while lineStart < scan.count, CharacterClass.isWhitespace(scan.scalars[lineStart]) { lineStart += 1 }
            var i = lineStart
            var words = 0
            var lowercaseWord = false
            while i < scan.count, i - lineStart <= 60 {
                let scalar = scan.scalars[i]
                if scalar == "\n" { break }
                let dash = scalar == "—" || scalar == "–" || (scalar == "-" && scan.isSpace(i - 1) && scan.isSpace(i + 1))
                if scalar == "(" || dash {
                    if words > 0, words <= 6, !lowercaseWord { return lineStart..<i }
                    break
                }
                if scan.isLetter(i), !scan.isLetter(i - 1), i == lineStart || !CharacterClass.isApostrophe(scan.scalars[i - 1]) {
                    words += 1
                    if !CharacterClass.isUppercase(scalar) { lowercaseWord = true }
                }
                i += 1
            }
            while lineStart < scan.count, scan.scalars[lineStart] != "\n" { lineStart += 1 }
            if lineStart >= scan.count { break }
        }
        return nil
    }
}

public import NewsCore

/// Splits a token sequence into sentences.
///
/// A sentence ends at `.`, `!`, `?`, `…` (plus any closing quotes or brackets after them) when the next token
/// can open a sentence (a capital, a digit, an opening quote, CJK), at `。！？` always, and at every line break:
/// headlines and paragraphs in news text end without punctuation. A period inside a token (`U.S.`, `Inc.`)
/// never ends a sentence, which is how abbreviations are kept from splitting.
public struct SentenceSplitter: Sendable {
    public init() {}

    public func split(_ tokens: [Token]) -> [Sentence] {
        var sentences: [Sentence] = []
        let terminatorLeadBytes = Self.terminatorLeadBytes  // once, not a lazy-global check per token
        var start = 0
        var i = 0
        while i < tokens.count {
            if i > start, tokens[i].lineBreakBefore {
                sentences.append(Sentence(tokens: start..<i))
                start = i
            }
            let text = tokens[i].text
            // Only a token led by a terminator's first byte can be one: no set lookups for words, commas,
            // quotes or brackets.
            guard let first = text.utf8.first, terminatorLeadBytes[Int(first)] else {
                i += 1
                continue
            }
            if Self.cjkTerminators.contains(text) {
                let end = closingRun(tokens, after: i)
                sentences.append(Sentence(tokens: start..<end))
                start = end
                i = end
                continue
            }
            if Self.terminators.contains(text) {
                let end = closingRun(tokens, after: i)
                if end >= tokens.count || tokens[end].lineBreakBefore || canOpenSentence(tokens[end]) {
                    sentences.append(Sentence(tokens: start..<end))
                    start = end
                    i = end
                    continue
                }
            }
            i += 1
        }
        if start < tokens.count { sentences.append(Sentence(tokens: start..<tokens.count)) }
        return sentences
    }

    /// The first UTF-8 bytes of the terminators, read off the two sets so they cannot drift apart.
    private static let terminatorLeadBytes: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for terminator in terminators.union(cjkTerminators) { table[Int(terminator.utf8.first!)] = true }
        return table
    }()

    static let terminators: Set<String> = [".", "!", "?", "…", "...", "?!", "!?"]
    static let cjkTerminators: Set<String> = ["。", "！", "？"]
    static let closers: Set<String> = ["\"", "”", "’", "'", ")", "]", "»", "」", "』", "）"]
    static let openers: Set<String> = ["\"", "“", "‘", "'", "(", "[", "«", "「", "『", "（", "-", "—", "–"]

    /// Opening quotes and brackets: the word after one may start a sentence.
    public static func isOpener(_ text: String) -> Bool { openers.contains(text) }

    /// The index after the terminator and the closing quotes or brackets that follow it.
    private func closingRun(_ tokens: [Token], after index: Int) -> Int {
        var end = index + 1
        while end < tokens.count, !tokens[end].spaceBefore, Self.closers.contains(tokens[end].text)
            || Self.terminators.contains(tokens[end].text)
        {
            end += 1
        }
        return end
    }

    private func canOpenSentence(_ token: Token) -> Bool {
        guard let first = token.text.unicodeScalars.first else { return false }
        return first.properties.isUppercase || CharacterClass.isASCIIDigit(first) || CharacterClass.isCJK(first)
            || Self.openers.contains(token.text) || first == "$" || first == "€" || first == "£"
    }
}

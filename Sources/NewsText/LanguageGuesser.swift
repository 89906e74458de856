public import NewsCore

/// A light script-and-stopword check for text with no declared language. Returns nil when unsure:
/// a wrong language is worse than none.
public struct LanguageGuesser: Sendable {
    /// The stopword lists by word, so each token is looked up once, not once per language: ASCII words in
    /// a byte table whose ids index `languagesOfWord`, others in a dictionary. A word's languages are a bit
    /// set over `languages` (64 at most), so counting a hit allocates nothing.
    private let languages: [String]
    private let asciiWords: ByteWordTable
    private let languagesOfWord: [UInt64]
    private let otherWords: [String: UInt64]

    /// `stopwords`: frequent function words per language (ISO 639-1 code → lower-case words). Only the first
    /// 64 languages in alphabetical order are used.
    public init(stopwords: [String: Set<String>]) {
        languages = Array(stopwords.keys.sorted().prefix(64))
        var byWord: [String: UInt64] = [:]
        for (index, language) in languages.enumerated() {
            for word in stopwords[language] ?? [] { byWord[word, default: 0] |= 1 << UInt64(index) }
        }
        var asciiWords = ByteWordTable(), languagesOfWord: [UInt64] = [], otherWords: [String: UInt64] = [:]
        for (word, set) in byWord {
            if word.utf8.allSatisfy({ $0 < 0x80 }) {
                asciiWords.insert(Array(word.utf8), id: Int32(languagesOfWord.count))
                languagesOfWord.append(set)
            } else {
                otherWords[word] = set
            }
        }
        self.asciiWords = asciiWords
        self.languagesOfWord = languagesOfWord
        self.otherWords = otherWords
    }

    /// The language of `tokens`, words of `text`.
    public func guess(_ tokens: [Token], in text: ScalarText) -> String? {
        var cjk = 0, kana = 0, hangul = 0, latinWords = 0
        var hits = [Int](repeating: 0, count: languages.count)
        text.withUTF8 { utf8 in
            // By index: a `for token in` loop copies each token, its text included, into the loop.
            for index in tokens.indices.prefix(2000) where tokens[index].start < tokens[index].end {
                let first = text.scalars[tokens[index].start]
                switch first.value {
                case 0x3040...0x30FF: kana += 1
                case 0xAC00...0xD7AF: hangul += 1
                default:
                    if CharacterClass.isCJK(first) {
                        cjk += 1
                    } else if CharacterClass.isLetter(first) {
                        latinWords += 1
                        let bytes = UnsafeBufferPointer(rebasing: utf8[text.byteRange(of: tokens[index].start..<tokens[index].end)])
                        var set = languages(of: tokens[index], bytes: bytes)
                        while set != 0 {
                            hits[set.trailingZeroBitCount] += 1
                            set &= set - 1
                        }
                    }
                }
            }
        }
        let scriptTotal = cjk + kana + hangul
        if scriptTotal > latinWords * 2 {
            if hangul * 2 > scriptTotal { return "ko" }
            if kana * 5 > scriptTotal { return "ja" }
            return "zh"
        }
        // The most hits; on a tie the first language in alphabetical order.
        guard latinWords >= 5, let best = hits.indices.max(by: { hits[$0] < hits[$1] || (hits[$0] == hits[$1] && $0 > $1) }),
            hits[best] > 0, hits[best] * 6 >= latinWords
        else { return nil }
        return languages[best]
    }

    /// The languages whose lists hold the token (whose UTF-8 is `bytes`) in lower case. Inlined: called
    /// apart, each token was copied into the call and destroyed after it (a quarter of the guess).
    @inline(__always)
    private func languages(of token: Token, bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        if token.shape.contains(.ascii) { return languages(ofASCIIWordID: asciiWords.id(ofLowercased: bytes)) }
        let lower = token.text.lowercased()
        // A few non-ASCII letters lower-case to ASCII (the Kelvin sign to `k`).
        if lower.utf8.allSatisfy({ $0 < 0x80 }) {
            return languages(ofASCIIWordID: Array(lower.utf8).withUnsafeBufferPointer(asciiWords.id(of:)))
        }
        return otherWords[lower] ?? 0
    }

    private func languages(ofASCIIWordID id: Int32) -> UInt64 {
        id == ByteWordTable.absent ? 0 : languagesOfWord[Int(id)]
    }
}

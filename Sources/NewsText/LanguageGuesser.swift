public import NewsCore

/// A light script-and-stopword check for text with no declared language. Returns nil when unsure:
/// a wrong language is worse than none.
public struct LanguageGuesser: Sendable {
    /// Frequent function words per language (ISO 639-1 code → words).
    public var stopwords: [String: Set<String>]

    public init(stopwords: [String: Set<String>]) {
        self.stopwords = stopwords
    }

    public func guess(_ tokens: [Token]) -> String? {
        var cjk = 0, kana = 0, hangul = 0, latinWords = 0
        var hits: [String: Int] = [:]
        for token in tokens.prefix(2000) {
            guard let first = token.text.unicodeScalars.first else { continue }
            switch first.value {
            case 0x3040...0x30FF: kana += 1
            case 0xAC00...0xD7AF: hangul += 1
            default:
                if CharacterClass.isCJK(first) {
                    cjk += 1
                } else if CharacterClass.isLetter(first) {
                    latinWords += 1
                    let lower = token.text.lowercased()
                    for (language, words) in stopwords where words.contains(lower) { hits[language, default: 0] += 1 }
                }
            }
        }
        let scriptTotal = cjk + kana + hangul
        if scriptTotal > latinWords * 2 {
            if hangul * 2 > scriptTotal { return "ko" }
            if kana * 5 > scriptTotal { return "ja" }
            return "zh"
        }
        guard latinWords >= 5, let (language, count) = hits.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }),
            count * 6 >= latinWords
        else { return nil }
        return language
    }
}

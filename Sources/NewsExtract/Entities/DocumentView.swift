import NewsCore
import NewsText

/// Token-level facts the recognizer's passes share, computed once per document.
///
/// A class, so that the many `key:` closures the passes hand to the tries capture one reference, not a copy.
final class DocumentView {
    let tokens: [Token]
    /// Token texts as the tries store them (curly apostrophes and hyphen variants unified).
    let keys: [String]
    /// For all-capitals words (`NEW YORK`), the title-cased key (`New York`); else the key.
    let titleKeys: [String]
    /// Vocabulary ids of the keys, of their lower-case forms and of the title keys (`Vocabulary.unknown` for
    /// words no list holds).
    let keyIDs: [Int32]
    let lowerIDs: [Int32]
    let titleIDs: [Int32]
    /// Tokens on a line written in capitals (`CRICKET - LEICESTERSHIRE TAKE OVER`): capitalisation says nothing there.
    let inCapitalsLine: [Bool]
    /// Tokens on a headline-case line (`Alibaba Unveils New AI Model`): ordinary words there are capitalised too.
    let inHeadlineLine: [Bool]
    private let cues: [WordCues]
    private let sentenceStarts: [Bool]
    private let capitalized: [Bool]
    private let allCaps: [Bool]

    init(text: ScalarText, tokens: [Token], sentences: [Sentence], vocabulary: Vocabulary) {
        self.tokens = tokens
        var keys: [String] = [], titleKeys: [String] = []
        var keyIDs: [Int32] = [], lowerIDs: [Int32] = [], titleIDs: [Int32] = []
        var allCaps: [Bool] = [], capitalized: [Bool] = [], cues: [WordCues] = []
        keys.reserveCapacity(tokens.count)
        titleKeys.reserveCapacity(tokens.count)
        keyIDs.reserveCapacity(tokens.count)
        lowerIDs.reserveCapacity(tokens.count)
        titleIDs.reserveCapacity(tokens.count)
        allCaps.reserveCapacity(tokens.count)
        capitalized.reserveCapacity(tokens.count)
        cues.reserveCapacity(tokens.count)
        text.withUTF8 { utf8 in
            for token in tokens {
                var key = token.text, titleKey = token.text
                var keyID: Int32, lowerID: Int32, titleID: Int32
                var isAllCaps: Bool, isCapitalized: Bool
                let bytes = UnsafeBufferPointer(rebasing: utf8[text.byteRange(of: token.start..<token.end)])
                if let shape = AsciiShape(bytes), bytes.count == token.text.utf8.count {
                    // Nearly every token: looked up and case-folded over its bytes in the document's UTF-8.
                    keyID = vocabulary.id(ascii: bytes)
                    lowerID = shape.hasUpper ? vocabulary.id(asciiLowercased: bytes) : keyID
                    isAllCaps = shape.isAllCaps
                    isCapitalized = shape.startsUpper
                    titleID = keyID
                    if isAllCaps {
                        titleKey = Self.titleCased(key)
                        titleID = vocabulary.id(titleKey)
                    }
                } else {
                    key = EntityRecognizer.matchKey(token.text)
                    keyID = vocabulary.id(key)
                    lowerID = Self.hasUpperCase(key) ? vocabulary.id(key.lowercased()) : keyID
                    isAllCaps = Self.isAllCaps(token.text)
                    titleKey = isAllCaps ? Self.titleCased(key) : key
                    titleID = isAllCaps ? vocabulary.id(titleKey) : keyID
                    isCapitalized = token.text.unicodeScalars.first.map { $0.properties.isUppercase || CharacterClass.isCJK($0) } ?? false
                }
                keys.append(key)
                titleKeys.append(titleKey)
                keyIDs.append(keyID)
                lowerIDs.append(lowerID)
                titleIDs.append(titleID)
                allCaps.append(isAllCaps)
                capitalized.append(isCapitalized)
                cues.append(
                    vocabulary.cues(keyID).intersection(.asWritten)
                        .union(vocabulary.cues(lowerID).intersection(.lowerCase))
                        .union(vocabulary.cues(titleID).intersection(.legalForm)))
            }
        }
        self.keys = keys
        self.titleKeys = titleKeys
        self.keyIDs = keyIDs
        self.lowerIDs = lowerIDs
        self.titleIDs = titleIDs
        self.allCaps = allCaps
        self.capitalized = capitalized
        self.cues = cues

        var starts = [Bool](repeating: false, count: tokens.count)
        for sentence in sentences {
            var first = sentence.tokens.lowerBound
            // Opening quotes and brackets do not count: the word after them starts the sentence.
            while first < sentence.tokens.upperBound, SentenceSplitter.isOpener(tokens[first].text) { first += 1 }
            if first < tokens.count { starts[first] = true }
        }
        sentenceStarts = starts

        var capitals = [Bool](repeating: false, count: tokens.count)
        var headline = [Bool](repeating: false, count: tokens.count)
        var lineStart = 0
        while lineStart < tokens.count {
            var lineEnd = lineStart + 1
            while lineEnd < tokens.count, !tokens[lineEnd].lineBreakBefore { lineEnd += 1 }
            let shape = LineShape(lineStart..<lineEnd, tokens: tokens, cues: cues, allCaps: allCaps)
            for index in lineStart..<lineEnd {
                capitals[index] = shape.isCapitals
                headline[index] = shape.isHeadline
            }
            lineStart = lineEnd
        }
        inCapitalsLine = capitals
        inHeadlineLine = headline
    }

    /// What the cue lists say about token `index`.
    func has(_ cue: WordCues, _ index: Int) -> Bool { cues[index].contains(cue) }

    /// An ordinary English word, or the plural of one (`Refiners`, `Foldables`).
    func isCommonWord(_ index: Int) -> Bool {
        has(.commonWord, index) || (has(.commonPlural, index) && !allCaps[index])
    }
    func isSentenceStart(_ index: Int) -> Bool { sentenceStarts[index] }

    /// Starts with a capital letter (or is CJK), so it can be part of a name.
    func isCapitalized(_ index: Int) -> Bool { capitalized[index] }

    /// A capitalised word that is not a function word (`The`, `In`).
    func isName(_ index: Int) -> Bool {
        isCapitalized(index) && !has(.functionWord, index)
    }

    func isAllCaps(_ index: Int) -> Bool { allCaps[index] }

    static func isAllCaps(_ text: String) -> Bool {
        text.unicodeScalars.count >= 2 && text.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII ? (scalar >= "A" && scalar <= "Z") || scalar == "." || scalar == "&" : scalar.properties.isUppercase
        }
    }

    /// Whether lower-casing could change `text` (ASCII capitals, or anything beyond ASCII).
    private static func hasUpperCase(_ text: String) -> Bool {
        text.utf8.contains { $0 >= 0x80 || $0.isASCIIUppercase }
    }

    /// A capitalised word whose capital says it is part of a name: not a function word, an ordinary word at a
    /// sentence start, in a headline or as an acronym (`AI`), or any word of a line written in capitals.
    func isNameWord(_ index: Int) -> Bool {
        guard isName(index), !inCapitalsLine[index] else { return false }
        let text = tokens[index].text
        guard text.unicodeScalars.allSatisfy({ CharacterClass.isLetter($0) || $0 == "." || $0 == "&" || $0 == "'" })
        else { return false }
        if isCommonWord(index) {
            // `Shares rose` at a sentence start, `AI`, `CEO`: ordinary words, capitalised by position or as acronyms.
            if isSentenceStart(index) || inHeadlineLine[index] || isAllCaps(index) { return false }
        }
        return true
    }

    /// The end of a run of up to `maxLength` name words starting at `start` (a middle initial such as `J.` counts).
    func nameRun(from start: Int, maxLength: Int) -> Int {
        var end = start, words = 0
        while end < tokens.count, words < maxLength, isName(end), !isAllCapsLong(end),
            end == start || tokens[end].spaceBefore, !(end > start && tokens[end].lineBreakBefore),
            tokens[end].text.unicodeScalars.allSatisfy({ CharacterClass.isLetter($0) || $0 == "." || $0 == "'" })
        {
            end += 1
            words += 1
            // `Vasquez-Moreau`, `Chang-yong`, `Al-Rumayyan`: hyphenated parts belong to the same name word.
            while end + 1 < tokens.count, tokens[end].text == "-", !tokens[end].spaceBefore, !tokens[end + 1].spaceBefore,
                tokens[end + 1].text.unicodeScalars.allSatisfy(CharacterClass.isLetter)
            {
                end += 2
            }
        }
        return end
    }

    /// All-capitals words longer than an initial (`AI`, `CEO`) are not parts of a person's name.
    func isAllCapsLong(_ index: Int) -> Bool {
        let text = tokens[index].text
        return text.count >= 2 && text.unicodeScalars.allSatisfy { $0.isASCII ? $0 >= "A" && $0 <= "Z" : $0.properties.isUppercase }
    }

    /// The tokens' text as written, single spaces where the source had any whitespace.
    func text(_ start: Int, _ end: Int) -> String {
        var result = ""
        for index in start..<end {
            if index > start, tokens[index].spaceBefore { result += " " }
            result += tokens[index].text
        }
        return result
    }

    static func titleCased(_ word: String) -> String {
        guard let first = word.first else { return word }
        return String(first).uppercased() + word.dropFirst().lowercased()
    }
}

/// Case facts of an ASCII token, read in one pass over its bytes; nil for a token with other bytes.
private struct AsciiShape {
    var hasUpper = false
    var startsUpper = false
    /// Two or more bytes, all capitals, periods or ampersands (`AI`, `U.S.`, `AT&T`), as `isAllCaps` says.
    var isAllCaps = false

    init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        var onlyCapitals = true
        for byte in bytes {
            if byte >= 0x80 { return nil }
            let isUpper = byte.isASCIIUppercase
            hasUpper = hasUpper || isUpper
            onlyCapitals = onlyCapitals && (isUpper || byte == 0x2E || byte == 0x26)
        }
        startsUpper = bytes.first?.isASCIIUppercase ?? false
        isAllCaps = bytes.count >= 2 && onlyCapitals
    }
}

/// How a line is written: in capitals, in headline case, or as ordinary prose.
private struct LineShape {
    var isCapitals = false
    var isHeadline = false

    init(_ line: Range<Int>, tokens: [Token], cues: [WordCues], allCaps: [Bool]) {
        var words = 0, capitals = 0, capitalised = 0
        for index in line {
            guard let first = tokens[index].text.unicodeScalars.first, CharacterClass.isLetter(first),
                !cues[index].contains(.functionWord)
            else { continue }
            words += 1
            if first.isASCII ? first >= "A" && first <= "Z" : first.properties.isUppercase { capitalised += 1 }
            if allCaps[index] { capitals += 1 }
        }
        // Two capital words and most of the line: a shouted headline; a lone `LONDON` is a dateline's job.
        isCapitals = capitals >= 2 && capitals * 4 >= words * 3
        // A headline has no closing full stop; a short sentence with several names (`She won the Hong Kong
        // Open.`) is not one.
        let endsSentence = line.last.map { [".", "!", "?", "\""].contains(tokens[$0].text) } ?? false
        isHeadline = !isCapitals && !endsSentence && words >= 4 && capitalised * 5 >= words * 4
    }
}

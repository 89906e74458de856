import NewsCore
import NewsText

/// Token-level facts the recognizer's passes share, computed once per document.
///
/// A class, so that the many `key:` closures the passes hand to the tries capture one reference, not a copy.
final class DocumentView {
    let tokens: [Token]
    /// Vocabulary ids of the keys (`key(_:)`), of their lower-case forms and of the title keys
    /// (`titleKey(_:)`); `Vocabulary.unknown` for words no list holds.
    let keyIDs: [Int32]
    let lowerIDs: [Int32]
    let titleIDs: [Int32]
    /// Tokens on a line written in capitals (`CRICKET - LEICESTERSHIRE TAKE OVER`): capitalisation says nothing there.
    let inCapitalsLine: [Bool]
    /// Tokens on a headline-case line (`Alibaba Unveils New AI Model`): ordinary words there are capitalised too.
    let inHeadlineLine: [Bool]
    private let cues: [WordCues]
    private let sentenceStarts: [Bool]
    private let vocabularySize: Int

    /// A token's ids and cues, gathered in one pass and then split into the arrays the tries read.
    private struct Lookup {
        var keyID: Int32
        var lowerID: Int32
        var titleID: Int32
        var cues: WordCues
    }

    init(text: ScalarText, tokens: [Token], sentences: [Sentence], vocabulary: Vocabulary) {
        self.tokens = tokens
        vocabularySize = vocabulary.count
        var lookups: [Lookup] = []
        lookups.reserveCapacity(tokens.count)
        text.withUTF8 { utf8 in
            for token in tokens {
                var keyID: Int32, lowerID: Int32, titleID: Int32
                let shape = token.shape
                if shape.contains(.ascii) {
                    // Nearly every token: looked up and case-folded over its bytes in the document's UTF-8.
                    let bytes = UnsafeBufferPointer(rebasing: utf8[text.byteRange(of: token.start..<token.end)])
                    keyID = vocabulary.id(ascii: bytes)
                    lowerID = shape.contains(.hasASCIICapital) ? vocabulary.id(asciiLowercased: bytes) : keyID
                    titleID = shape.contains(.capitals) ? vocabulary.id(Self.titleCased(token.text)) : keyID
                } else {
                    let key = EntityRecognizer.matchKey(token.text)
                    keyID = vocabulary.id(key)
                    lowerID = Self.hasUpperCase(key) ? vocabulary.id(key.lowercased()) : keyID
                    titleID = shape.contains(.capitals) ? vocabulary.id(Self.titleCased(key)) : keyID
                }
                let cues = vocabulary.cues(keyID).intersection(.asWritten)
                    .union(vocabulary.cues(lowerID).intersection(.lowerCase))
                    .union(vocabulary.cues(titleID).intersection(.legalForm))
                lookups.append(Lookup(keyID: keyID, lowerID: lowerID, titleID: titleID, cues: cues))
            }
        }
        keyIDs = lookups.map(\.keyID)
        lowerIDs = lookups.map(\.lowerID)
        titleIDs = lookups.map(\.titleID)
        cues = lookups.map(\.cues)

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
            let shape = LineShape(lineStart..<lineEnd, tokens: tokens, cues: cues)
            for index in lineStart..<lineEnd {
                capitals[index] = shape.isCapitals
                headline[index] = shape.isHeadline
            }
            lineStart = lineEnd
        }
        inCapitalsLine = capitals
        inHeadlineLine = headline
    }

    /// Per token, an id of its title key: the vocabulary's id when it has one, else an id of this document's
    /// own (from `vocabularySize` up), so equal ids mean equal title keys. Built on first use.
    private(set) lazy var titleKeyIDs: [Int32] = {
        var local: [String: Int32] = [:]
        local.reserveCapacity(titleIDs.count { $0 == Vocabulary.unknown })
        return titleIDs.indices.map { index in
            if titleIDs[index] != Vocabulary.unknown { return titleIDs[index] }
            let key = titleKey(index)
            if let id = local[key] { return id }
            let id = Int32(vocabularySize + local.count)
            local[key] = id
            return id
        }
    }()

    /// The token's text as the tries store it (curly apostrophes and hyphen variants unified).
    func key(_ index: Int) -> String {
        tokens[index].shape.contains(.ascii) ? tokens[index].text : EntityRecognizer.matchKey(tokens[index].text)
    }

    /// For all-capitals words (`NEW YORK`), the title-cased key (`New York`); else the key.
    func titleKey(_ index: Int) -> String {
        isAllCaps(index) ? Self.titleCased(key(index)) : key(index)
    }

    /// What the cue lists say about token `index`.
    func has(_ cue: WordCues, _ index: Int) -> Bool { cues[index].contains(cue) }

    /// An ordinary English word, or the plural of one (`Refiners`, `Foldables`).
    func isCommonWord(_ index: Int) -> Bool {
        has(.commonWord, index) || (has(.commonPlural, index) && !isAllCaps(index))
    }
    func isSentenceStart(_ index: Int) -> Bool { sentenceStarts[index] }

    /// Starts with a capital letter (or is CJK), so it can be part of a name.
    func isCapitalized(_ index: Int) -> Bool { !tokens[index].shape.isDisjoint(with: [.startsWithCapital, .startsWithCJK]) }

    /// A capitalised word that is not a function word (`The`, `In`).
    func isName(_ index: Int) -> Bool {
        isCapitalized(index) && !has(.functionWord, index)
    }

    /// Two or more capitals, periods or ampersands (`AI`, `U.S.`, `AT&T`).
    func isAllCaps(_ index: Int) -> Bool { tokens[index].shape.contains(.capitals) }

    /// Whether lower-casing could change `text` (ASCII capitals, or anything beyond ASCII).
    private static func hasUpperCase(_ text: String) -> Bool {
        text.utf8.contains { $0 >= 0x80 || $0.isASCIIUppercase }
    }

    /// A capitalised word whose capital says it is part of a name: not a function word, an ordinary word at a
    /// sentence start, in a headline or as an acronym (`AI`), or any word of a line written in capitals.
    func isNameWord(_ index: Int) -> Bool {
        guard isName(index), !inCapitalsLine[index], tokens[index].shape.contains(.nameWordLetters) else { return false }
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
            tokens[end].shape.contains(.nameLetters)
        {
            end += 1
            words += 1
            // `Vasquez-Moreau`, `Chang-yong`, `Al-Rumayyan`: hyphenated parts belong to the same name word.
            while end + 1 < tokens.count, tokens[end].text == "-", !tokens[end].spaceBefore, !tokens[end + 1].spaceBefore,
                tokens[end + 1].shape.contains(.letters)
            {
                end += 2
            }
        }
        return end
    }

    /// All-capitals words longer than an initial (`AI`, `CEO`) are not parts of a person's name.
    func isAllCapsLong(_ index: Int) -> Bool { tokens[index].shape.contains(.capitalLetters) }

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

/// How a line is written: in capitals, in headline case, or as ordinary prose.
private struct LineShape {
    var isCapitals = false
    var isHeadline = false

    init(_ line: Range<Int>, tokens: [Token], cues: [WordCues]) {
        var words = 0, capitals = 0, capitalised = 0
        for index in line {
            let shape = tokens[index].shape
            guard shape.contains(.startsWithLetter), !cues[index].contains(.functionWord) else { continue }
            words += 1
            if shape.contains(.startsWithCapital) { capitalised += 1 }
            if shape.contains(.capitals) { capitals += 1 }
        }
        // Two capital words and most of the line: a shouted headline; a lone `LONDON` is a dateline's job.
        isCapitals = capitals >= 2 && capitals * 4 >= words * 3
        // A headline has no closing full stop; a short sentence with several names (`She won the Hong Kong
        // Open.`) is not one.
        let endsSentence = line.last.map { [".", "!", "?", "\""].contains(tokens[$0].text) } ?? false
        isHeadline = !isCapitals && !endsSentence && words >= 4 && capitalised * 5 >= words * 4
    }
}

public import NewsCore
public import NewsText

/// Finds PERSON, ORG, GPE and LOC mentions with lexicons and patterns, then makes the document consistent.
///
/// Passes, in order:
/// 1. Lexicon aliases (token trie, longest match). Weak aliases (`Apple`) need support: a mention that is not
///    sentence-initial, or the same entity found elsewhere in the document.
/// 2. Patterns for names no list holds: a title before capitalised words (`CEO Eddie Wu`), a given name
///    before a capitalised word, a capitalised run ending in an organisation suffix (`Acme Holdings`), a
///    dateline (`BEIJING (Reuters) -`), a known surname next to a speech or office cue (`Biden administration`).
/// 3. Overlaps resolved longest first, then by pass priority, then earliest start.
/// 4. Aliases defined in parentheses (`Amazon Web Services (AWS)`, `Alibaba (阿里)`) take their antecedent's
///    label and canonical name.
/// 5. Document consistency: every later occurrence of a name found by a pattern or an alias definition, and a
///    person's surname after the full name, take that mention's label and canonical name.
public struct EntityRecognizer: Sendable {
    private var exact = TokenTrie<LexiconEntry>()
    private var folded = TokenTrie<LexiconEntry>()
    /// Person titles; the value says whether the title is capitalised (`President`) or a lower-case role (`analyst`).
    private var titles = TokenTrie<Bool>()
    private var hasFoldedEntries = false
    private var surnames: [String: LexiconEntry] = [:]
    private let cues: EntityCues
    private let functionWords: Set<String>

    public init(entries: [LexiconEntry], cues: EntityCues, functionWords: Set<String>, tokenizer: Tokenizer) {
        self.cues = cues
        self.functionWords = functionWords
        var surnameCandidates: [String: [LexiconEntry]] = [:]
        for entry in entries {
            let keys = tokenizer.tokenize(ScalarText(entry.alias)).map { Self.matchKey($0.text) }
            guard !keys.isEmpty else { continue }
            if entry.caseFolded {
                folded.insert(keys.map { $0.lowercased() }, value: entry)
                hasFoldedEntries = true
            } else {
                exact.insert(keys, value: entry)
            }
            if entry.label == .person, keys.count >= 2, let last = keys.last { surnameCandidates[last, default: []].append(entry) }
        }
        // A surname names one person only when one canonical person has it.
        for (surname, people) in surnameCandidates where Set(people.map(\.canonical)).count == 1 {
            surnames[surname] = people[0]
        }
        for title in cues.personTitles {
            let keys = tokenizer.tokenize(ScalarText(title)).map { Self.matchKey($0.text) }
            let capitalised = title.unicodeScalars.first.map(CharacterClass.isUppercase) ?? false
            if !keys.isEmpty { titles.insert(keys, value: capitalised) }
        }
    }

    /// Token text as the tries store it: curly apostrophes and hyphen variants unified.
    static func matchKey(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "\u{2019}" || $0 == "\u{2010}" || $0 == "\u{2011}" }) else {
            return text
        }
        var view = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\u{2019}": view.append("'")
            case "\u{2010}", "\u{2011}": view.append("-")
            default: view.append(scalar)
            }
        }
        return String(view)
    }

    public func recognize(text: ScalarText, tokens: [Token], sentences: [Sentence]) -> [EntityMention] {
        let document = DocumentView(tokens: tokens, sentences: sentences, functionWords: functionWords, commonWords: cues.commonWords)
        var candidates = lexiconCandidates(document)
        candidates += titleCandidates(document)
        candidates += givenNameCandidates(document)
        candidates += orgSuffixCandidates(document)
        candidates += datelineCandidates(document)
        candidates += surnameCueCandidates(document)
        candidates = supportedOnly(candidates, document)

        var chosen = CandidateSet.resolve(candidates)
        chosen.addParentheticalAliases(document)
        chosen.addRepeatedMentions(document, givenNames: cues.givenNames)
        return chosen.mentions.map { candidate in
            let start = tokens[candidate.start].start, end = tokens[candidate.end - 1].end
            return EntityMention(
                text: text[start..<end], label: candidate.label, start: start, end: end, canonical: candidate.canonical)
        }
    }

    // MARK: Pass 1: lexicons

    private func lexiconCandidates(_ document: DocumentView) -> [Candidate] {
        var result: [Candidate] = []
        let count = document.tokens.count
        func add(_ match: (length: Int, values: [LexiconEntry])?, at i: Int) {
            // Several entries for one alias (`Georgia` the country and the state): the first listed wins.
            guard let match, let entry = match.values.first, entry.caseFolded || document.isName(i) else { return }
            result.append(
                Candidate(
                    start: i, end: i + match.length, label: entry.label, canonical: entry.canonical,
                    source: entry.weak ? .weakLexicon : .lexicon))
        }
        for i in 0..<count {
            add(exact.longestMatch(from: i, count: count, key: document.key), at: i)
            if hasFoldedEntries { add(folded.longestMatch(from: i, count: count, key: document.foldedKey), at: i) }
        }
        return result
    }

    /// Weak aliases stay only when the document supports them.
    private func supportedOnly(_ candidates: [Candidate], _ document: DocumentView) -> [Candidate] {
        var supported = Set<String>()
        for candidate in candidates where candidate.source != .weakLexicon || !document.isSentenceStart(candidate.start) {
            supported.insert(candidate.canonical)
        }
        return candidates.filter { $0.source != .weakLexicon || supported.contains($0.canonical) }
    }

    // MARK: Pass 2: patterns

    private func titleCandidates(_ document: DocumentView) -> [Candidate] {
        var result: [Candidate] = []
        let count = document.tokens.count
        for i in 0..<count {
            guard let title = titles.longestMatch(from: i, count: count, key: document.key) else { continue }
            let nameStart = i + title.length
            let nameEnd = document.nameRun(from: nameStart, maxLength: 3)
            guard nameEnd > nameStart else { continue }
            let isCapitalisedTitle = title.values[0]
            let knownSurname = nameEnd - nameStart == 1 ? surnames[document.key(nameStart)] : nil
            // A lower-case role (`analyst`, `assistant`) needs a full name; any title before ordinary words
            // (`General Intelligence`) needs a known surname.
            if knownSurname == nil {
                if !isCapitalisedTitle, nameEnd - nameStart < 2 { continue }
                if (nameStart..<nameEnd).allSatisfy(document.isCommonWord) { continue }
            }
            // A title before a known organisation or place is a role, not a name (`CEO Alibaba`).
            if let known = exact.longestMatch(from: nameStart, count: count, key: document.key),
                known.values[0].label != .person
            {
                continue
            }
            let canonical = knownSurname?.canonical ?? document.text(nameStart, nameEnd)
            result.append(Candidate(start: nameStart, end: nameEnd, label: .person, canonical: canonical, source: .pattern))
        }
        return result
    }

    private func givenNameCandidates(_ document: DocumentView) -> [Candidate] {
        var result: [Candidate] = []
        let count = document.tokens.count
        for i in 0..<count where cues.givenNames.contains(document.tokens[i].text) {
            let end = document.nameRun(from: i + 1, maxLength: 2)
            guard end > i + 1 else { continue }
            if let known = exact.longestMatch(from: i + 1, count: count, key: document.key), known.values[0].label != .person {
                continue
            }
            if cues.orgSuffixes.contains(document.tokens[end - 1].text) { continue }
            result.append(Candidate(start: i, end: end, label: .person, canonical: document.text(i, end), source: .pattern))
        }
        return result
    }

    private func orgSuffixCandidates(_ document: DocumentView) -> [Candidate] {
        var result: [Candidate] = []
        let tokens = document.tokens
        for k in 1..<max(tokens.count, 1) where cues.orgSuffixes.contains(tokens[k].text) && document.isCapitalized(k) {
            var start = k
            while start > 0, k - start < 5 {
                let previous = start - 1
                let isNameWord = document.isName(previous) && !cues.orgSuffixes.contains(tokens[previous].text)
                let isAmpersand = tokens[previous].text == "&" && previous > 0 && document.isName(previous - 1)
                guard isNameWord || isAmpersand, !tokens[start].lineBreakBefore else { break }
                start = previous
            }
            guard start < k, document.isName(start) else { continue }
            var end = k + 1
            // `Acme Co.`: the period written after the suffix belongs to it.
            if end < tokens.count, tokens[end].text == ".", !tokens[end].spaceBefore, tokens[k].text.count <= 4 { end += 1 }
            var canonical = document.text(start, k + 1)
            if let head = exact.longestMatch(from: start, count: k, key: document.key), start + head.length == k,
                head.values[0].label == .org
            {
                canonical = head.values[0].canonical
            }
            result.append(Candidate(start: start, end: end, label: .org, canonical: canonical, source: .pattern))
        }
        return result
    }

    /// `BEIJING (Reuters) -`, `HONG KONG, Feb 24 -`: an all-capitals place at the start of a line.
    private func datelineCandidates(_ document: DocumentView) -> [Candidate] {
        var result: [Candidate] = []
        let tokens = document.tokens
        for i in tokens.indices where i == 0 || tokens[i].lineBreakBefore {
            var end = i
            while end < tokens.count, end - i < 4, document.isAllCaps(end), end == i || !tokens[end].lineBreakBefore { end += 1 }
            guard end > i, end < tokens.count, ["(", ",", "-", "—", "–"].contains(tokens[end].text) else { continue }
            let keys = (i..<end).map { titleCased(tokens[$0].text) }
            guard let match = exact.longestMatch(from: 0, count: keys.count, key: { keys[$0] }), match.length == keys.count,
                let place = match.values.first(where: { $0.label == .gpe || $0.label == .loc })
            else { continue }
            result.append(Candidate(start: i, end: end, label: place.label, canonical: place.canonical, source: .pattern))
        }
        return result
    }

    /// A lexicon person's unique surname next to a cue: `the Biden administration`, `Musk said`.
    private func surnameCueCandidates(_ document: DocumentView) -> [Candidate] {
        var result: [Candidate] = []
        let tokens = document.tokens
        for i in tokens.indices where document.isName(i) {
            guard let person = surnames[document.key(i)], i + 1 < tokens.count,
                cues.personFollowers.contains(document.lowerKeys[i + 1])
            else { continue }
            result.append(Candidate(start: i, end: i + 1, label: .person, canonical: person.canonical, source: .pattern))
        }
        return result
    }

    private func titleCased(_ word: String) -> String {
        guard let first = word.first else { return word }
        return String(first).uppercased() + word.dropFirst().lowercased()
    }
}

/// A possible mention, as a token range.
struct Candidate: Hashable {
    enum Source: Int, Comparable {
        case weakLexicon = 0, pattern = 1, lexicon = 2

        static func < (lhs: Source, rhs: Source) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    var start: Int
    var end: Int
    var label: EntityLabel
    var canonical: String
    var source: Source

    var length: Int { end - start }
}

/// Token-level facts the passes share.
struct DocumentView {
    let tokens: [Token]
    let keys: [String]
    let lowerKeys: [String]
    let sentenceStarts: Set<Int>
    let functionWords: Set<String>
    let commonWords: Set<String>

    init(tokens: [Token], sentences: [Sentence], functionWords: Set<String>, commonWords: Set<String>) {
        self.tokens = tokens
        self.keys = tokens.map { EntityRecognizer.matchKey($0.text) }
        self.lowerKeys = keys.map { $0.lowercased() }
        self.commonWords = commonWords
        var starts = Set<Int>()
        for sentence in sentences {
            var first = sentence.tokens.lowerBound
            // Opening quotes and brackets do not count: the word after them starts the sentence.
            while first < sentence.tokens.upperBound, SentenceSplitter.isOpener(tokens[first].text) { first += 1 }
            starts.insert(first)
        }
        sentenceStarts = starts
        self.functionWords = functionWords
    }

    func key(_ index: Int) -> String { keys[index] }
    func foldedKey(_ index: Int) -> String { lowerKeys[index] }

    func isCommonWord(_ index: Int) -> Bool { commonWords.contains(lowerKeys[index]) }
    func isSentenceStart(_ index: Int) -> Bool { sentenceStarts.contains(index) }

    /// Starts with a capital letter (or is CJK), so it can be part of a name.
    func isCapitalized(_ index: Int) -> Bool {
        guard let first = tokens[index].text.unicodeScalars.first else { return false }
        return first.properties.isUppercase || CharacterClass.isCJK(first)
    }

    /// A capitalised word that is not a function word (`The`, `In`).
    func isName(_ index: Int) -> Bool {
        isCapitalized(index) && !functionWords.contains(lowerKeys[index])
    }

    func isAllCaps(_ index: Int) -> Bool {
        let scalars = tokens[index].text.unicodeScalars
        return scalars.count >= 2 && scalars.allSatisfy { $0.properties.isUppercase || $0 == "." }
    }

    /// The end of a run of up to `maxLength` name words starting at `start` (a middle initial such as `J.` counts).
    func nameRun(from start: Int, maxLength: Int) -> Int {
        var end = start
        while end < tokens.count, end - start < maxLength, isName(end), !isAllCapsLong(end),
            end == start || tokens[end].spaceBefore, !(end > start && tokens[end].lineBreakBefore),
            tokens[end].text.unicodeScalars.allSatisfy({ CharacterClass.isLetter($0) || $0 == "." || $0 == "-" })
        {
            end += 1
        }
        return end
    }

    /// All-capitals words longer than an initial (`AI`, `CEO`) are not parts of a person's name.
    private func isAllCapsLong(_ index: Int) -> Bool {
        let text = tokens[index].text
        return text.count >= 2 && text.unicodeScalars.allSatisfy { $0.properties.isUppercase }
    }

    func text(_ start: Int, _ end: Int) -> String {
        var result = ""
        for index in start..<end {
            if index > start, tokens[index].spaceBefore { result += " " }
            result += tokens[index].text
        }
        return result
    }
}

/// The accepted mentions, non-overlapping, in document order.
struct CandidateSet {
    private(set) var mentions: [Candidate]

    /// Longest first, then by source priority, then earliest start (spaCy's entity-ruler order).
    static func resolve(_ candidates: [Candidate]) -> CandidateSet {
        let ordered = candidates.sorted {
            ($0.length, $0.source, -$0.start) > ($1.length, $1.source, -$1.start)
        }
        var taken: [Candidate] = []
        var covered = Set<Int>()
        for candidate in ordered where !(candidate.start..<candidate.end).contains(where: covered.contains) {
            taken.append(candidate)
            covered.formUnion(candidate.start..<candidate.end)
        }
        return CandidateSet(mentions: taken.sorted { $0.start < $1.start })
    }

    private func isFree(_ range: Range<Int>) -> Bool {
        !mentions.contains { $0.start < range.upperBound && range.lowerBound < $0.end }
    }

    private mutating func add(_ candidate: Candidate) {
        mentions.append(candidate)
        mentions.sort { $0.start < $1.start }
    }

    /// `Amazon Web Services (AWS)`, `Alibaba (阿里)`: the bracketed alias takes the mention's identity.
    mutating func addParentheticalAliases(_ document: DocumentView) {
        let tokens = document.tokens
        for mention in mentions {
            let open = mention.end
            guard open < tokens.count, tokens[open].text == "(" || tokens[open].text == "（" else { continue }
            var close = open + 1
            while close < tokens.count, close - open <= 8, tokens[close].text != ")" && tokens[close].text != "）" { close += 1 }
            guard close < tokens.count, close > open + 1, isFree(open + 1..<close) else { continue }
            let inner = (open + 1)..<close
            let isAcronym = inner.count == 1 && document.isAllCaps(inner.lowerBound)
            let isCJK = inner.allSatisfy { index in
                tokens[index].text.unicodeScalars.allSatisfy(CharacterClass.isCJK)
            }
            guard isAcronym || isCJK else { continue }
            add(Candidate(start: inner.lowerBound, end: inner.upperBound, label: mention.label, canonical: mention.canonical, source: .pattern))
        }
    }

    /// Later occurrences of pattern-found names, bracketed aliases and persons' short names take the same identity.
    mutating func addRepeatedMentions(_ document: DocumentView, givenNames: Set<String>) {
        var known = TokenTrie<Candidate>()
        var any = false
        for mention in mentions {
            let keys = (mention.start..<mention.end).map(document.key)
            if mention.source == .pattern {
                known.insert(keys, value: mention)
                any = true
            }
            if mention.label == .person, keys.count >= 2, let last = keys.last, let first = keys.first {
                known.insert([last], value: mention)
                if !givenNames.contains(first) { known.insert([first], value: mention) }
                any = true
            }
        }
        guard any else { return }
        let count = document.tokens.count
        var index = 0
        while index < count {
            guard document.isCapitalized(index), let match = known.longestMatch(from: index, count: count, key: document.key),
                isFree(index..<(index + match.length))
            else {
                index += 1
                continue
            }
            // Only a run that is not itself part of a longer capitalised name (`Wu` but not `Wu Holdings`).
            let end = index + match.length
            let joinsNext = end < count && document.isName(end) && document.tokens[end].spaceBefore
                && !document.tokens[end].lineBreakBefore
            let joinsPrevious = index > 0 && document.isName(index - 1) && !document.isSentenceStart(index)
            if !joinsNext, !joinsPrevious || match.length > 1 {
                let source = match.values[0]
                add(Candidate(start: index, end: end, label: source.label, canonical: source.canonical, source: .pattern))
            }
            index = end
        }
    }
}

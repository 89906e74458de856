import NewsCore
import NewsText

/// Pass 5: capitalised runs that no lexicon entry or pattern explained, typed by their words and context.
///
/// A run is a maximal sequence of name words and accepted mentions, joined by spaces, name particles
/// (`van der`, `bin`), `&`, or `of`/`for`/`and` inside an organisation or place name. Runs with words that
/// nothing explained are typed in this order:
/// - the whole run, when its words say what it is: an organisation word at the end or before `of`
///   (`National Bank of Poland`, `London Newsroom`), a place word (`Cherating River`, `Lake Geneva`), a
///   direction before a place (`Eastern Slavonia`), or extra words around a known organisation or place
///   (`Air France`, `Dynamo Moscow`, `Alibaba Cloud`);
/// - otherwise each unexplained stretch alone: a person when it holds a name particle, starts with a given
///   name or has a surname at either end; a place after `in`/`near`, before `-based` or before `, Ontario`;
///   nothing when it is only ordinary words; a person when it is one known given name or surname, or two
///   words that are not ordinary ones; else an organisation, the commonest unlisted name in business news.
struct NameChunker {
    let document: DocumentView
    /// Titles, roles, demonyms, months (`President`, `Chinese`, `June`): never part of a name here.
    let blocked: [Bool]
    /// The mentions the earlier passes accepted, and the one covering each token.
    private let accepted: CandidateSet
    private let owner: [Int?]
    private var mentions: [Candidate] { accepted.mentions }

    init(document: DocumentView, blocked: [Bool], accepted: CandidateSet) {
        self.document = document
        self.blocked = blocked
        self.accepted = accepted
        owner = accepted.owners(count: document.tokens.count)
    }

    private var tokens: [Token] { document.tokens }

    /// Words that join two parts of an organisation or place name.
    static let nameJoiners = ["of", "for", "and", "&", "on"]

    /// The accepted mentions with the unexplained runs typed (and events taken out).
    func withUnexplainedRunsTyped() -> CandidateSet {
        var additions: [(Candidate, replacing: Bool)] = []
        var removals: [Range<Int>] = []
        var index = 0
        while index < tokens.count {
            guard let run = run(from: index) else {
                index += 1
                continue
            }
            index = run.range.upperBound
            guard run.hasUnexplainedWord || headsOrganisation(run) else { continue }
            if isEvent(run) {
                // `Hong Kong Open`, `World Cup`: an event, not the place or body it is named after.
                removals.append(run.range)
            } else if let whole = typeWhole(run) {
                additions.append((whole, true))
            } else {
                for stretch in unexplainedStretches(run) {
                    if let candidate = typeStretch(stretch) { additions.append((candidate, false)) }
                }
            }
        }
        var result = accepted
        for range in removals { result.remove(within: range) }
        for (candidate, replacing) in additions {
            if replacing { result.replace(within: candidate) } else { result.add(candidate) }
        }
        return result
    }

    // MARK: Runs

    private struct Run {
        var range: Range<Int>
        /// The parts in order: mentions (by index) and unexplained name words.
        var parts: [Part]
        var hasUnexplainedWord: Bool { parts.contains { if case .word = $0 { true } else { false } } }
    }

    private enum Part {
        case mention(Int)
        case word(Range<Int>)
        case joiner(Int)
    }

    /// The run starting at `start`, if a name word or a mention starts there.
    private func run(from start: Int) -> Run? {
        guard let first = unit(at: start) else { return nil }
        var parts = [first.part]
        var end = first.end
        while end < tokens.count, !tokens[end].lineBreakBefore {
            // Joiners: up to two in a row (`van der`), each followed eventually by another unit.
            var next = end
            var joiners: [Int] = []
            while next < tokens.count, joiners.count < 2, isJoiner(next), tokens[next].spaceBefore, !tokens[next].lineBreakBefore {
                joiners.append(next)
                next += 1
            }
            guard next < tokens.count, tokens[next].spaceBefore, !tokens[next].lineBreakBefore,
                let unit = unit(at: next)
            else { break }
            parts += joiners.map(Part.joiner)
            parts.append(unit.part)
            end = unit.end
        }
        return Run(range: start..<end, parts: parts)
    }

    /// One mention, or one name word with its hyphenated parts (`Nagorno-Karabakh`, `Djan-Simpson`).
    private func unit(at index: Int) -> (part: Part, end: Int)? {
        if let mention = owner[index] {
            guard mentions[mention].start == index else { return nil }
            return (.mention(mention), mentions[mention].end)
        }
        guard document.isNameWord(index), !blocked[index] else { return nil }
        // `Qwen3-Max`: the part after a hyphen belongs to the word before it, which is no name here.
        if index > 0, !tokens[index].spaceBefore, tokens[index - 1].text == "-" { return nil }
        var end = index + 1
        while end + 1 < tokens.count, tokens[end].text == "-", !tokens[end].spaceBefore, !tokens[end + 1].spaceBefore,
            owner[end + 1] == nil, document.isNameWord(end + 1), !blocked[end + 1]
        {
            end += 2
        }
        return (.word(index..<end), end)
    }

    private func isJoiner(_ index: Int) -> Bool {
        document.has(.nameJoiner, index) || document.has(.nameParticle, index)
    }

    // MARK: Typing a whole run

    /// `Bank of Canada`, `Royal Bank of Canada`, `Ministry for Foreign Affairs`: an organisation word before
    /// `of` or `for` heads an organisation's name.
    private func headsOrganisation(_ run: Run) -> Bool {
        run.parts.indices.contains { position in
            guard case .joiner(let joiner) = run.parts[position], ["of", "for"].contains(tokens[joiner].text), position > 0
            else { return false }
            switch run.parts[position - 1] {
            case .word(let head): return document.has(.orgSuffix, head.upperBound - 1)
            case .mention(let index): return document.has(.orgSuffix, mentions[index].end - 1)
            case .joiner: return false
            }
        }
    }

    private func isEvent(_ run: Run) -> Bool {
        guard case .word(let last) = run.parts.last, run.parts.count > 1 else { return false }
        return document.has(.eventWord, last.upperBound - 1)
    }

    private func typeWhole(_ run: Run) -> Candidate? {
        guard run.parts.count > 1 else { return nil }
        let words = run.parts.compactMap { part -> Range<Int>? in
            switch part {
            case .word(let range): range
            case .mention(let index): mentions[index].range
            case .joiner: nil
            }
        }
        guard let firstWord = words.first, let lastWord = words.last else { return nil }
        let last = lastWord.upperBound - 1, first = firstWord.lowerBound
        let joinerWords = run.parts.compactMap { part -> String? in if case .joiner(let i) = part { tokens[i].text } else { nil } }
        let mentionLabels = run.parts.compactMap { part -> EntityLabel? in if case .mention(let i) = part { mentions[i].label } else { nil } }
        func whole(_ label: EntityLabel, _ source: Candidate.Source) -> Candidate {
            Candidate(
                start: run.range.lowerBound, end: run.range.upperBound, label: label,
                canonical: document.text(run.range.lowerBound, run.range.upperBound), source: source)
        }

        if document.has(.orgSuffix, last) || headsOrganisation(run) {
            return whole(.org, .pattern)
        }
        if document.has(.placeWord, last) || document.has(.placeWord, first) {
            return whole(.loc, .pattern)
        }
        // Person particles and `and` joined names are separate names (`Smith and Jones`), not one entity.
        guard joinerWords.allSatisfy({ $0 == "&" }) || joinerWords.isEmpty else { return nil }
        // `Chad Whitfield`, `Georgia Hendry`: a place name that is also a given name, before a surname.
        if words.count == 2, case .mention(let index) = run.parts[0], mentions[index].label == .gpe,
            document.has(.givenName, first) || document.has(.ambiguousGivenName, first), case .word = run.parts[1],
            !document.isCommonWord(lastWord.lowerBound)
        {
            return whole(.person, .cuedGuess)
        }
        if document.has(.placeModifier, first), words.count == 2, mentionLabels.allSatisfy({ $0 == .gpe || $0 == .loc }) {
            return whole(.loc, .cuedGuess)
        }
        // One known name with extra words (`Air France`, `Alibaba Cloud`); two known names stay two
        // (`Amazon & Alibaba`).
        if mentionLabels.count == 1, mentionLabels[0] != .person, words.count <= 4 {
            return whole(.org, .cuedGuess)
        }
        return nil
    }

    // MARK: Typing what is left

    /// The stretches of unexplained words between the run's mentions, split at `of`/`for`/`and`; name
    /// particles and `&` stay inside a stretch (`Joost van der Westhuizen`, `Douglas & Lomason`).
    private func unexplainedStretches(_ run: Run) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var current: Range<Int>?
        for part in run.parts {
            switch part {
            case .word(let range):
                current = (current?.lowerBound ?? range.lowerBound)..<range.upperBound
            case .joiner(let index) where document.has(.nameParticle, index) || tokens[index].text == "&":
                continue
            case .mention, .joiner:
                if let stretch = current { result.append(stretch) }
                current = nil
            }
        }
        if let stretch = current { result.append(stretch) }
        return result
    }

    private func typeStretch(_ range: Range<Int>) -> Candidate? {
        let start = range.lowerBound, end = range.upperBound
        let nameWords = (start..<end).filter { document.isNameWord($0) }
        guard let first = nameWords.first, let last = nameWords.last else { return nil }
        if nameWords.count == 1 {
            // A lone initial (`S.`) is too little to name anything; a lone ordinary word capitalised mid-sentence
            // (`the Government`, `Parliament`) is a reference, not a name.
            if tokens[first].text.unicodeScalars.filter(CharacterClass.isLetter).count < 2 { return nil }
            if document.isCommonWord(first) || document.has(.orgSuffix, first) { return nil }
        }
        let text = document.text(start, end)
        func candidate(_ label: EntityLabel, _ source: Candidate.Source) -> Candidate {
            Candidate(start: start, end: end, label: label, canonical: text, source: source)
        }
        let hasParticle = (start..<end).contains { document.has(.nameParticle, $0) }
        let hasAmpersand = (start..<end).contains { tokens[$0].text == "&" }
        if document.has(.orgSuffix, last) || hasAmpersand { return candidate(.org, .cuedGuess) }
        if document.has(.placeWord, last) || (nameWords.count > 1 && document.has(.placeWord, first)) {
            return candidate(.loc, .cuedGuess)
        }
        if nameWords.count >= 2 {
            // A surname last (`Jansher Khan`) or, in Chinese and Korean order, first (`Wang Donghai`).
            if hasParticle || document.has(.givenName, first) || document.has(.surname, last)
                || (nameWords.count == 2 && document.has(.surname, first))
            {
                return candidate(.person, .cuedGuess)
            }
        }
        if isPlaceContext(before: start, after: end) { return candidate(.gpe, .cuedGuess) }
        // Ordinary words in capitals (`Free Cash Flow`, `Board of Directors`) are a heading or a term, not a name.
        if nameWords.allSatisfy(document.isCommonWord) { return nil }
        if nameWords.count == 1, document.has(.surname, first) || document.has(.givenName, first) {
            return candidate(.person, .cuedGuess)
        }
        // Two unlisted words that are not ordinary words (`Duffy Waldorf`, `Saqlain Mushtaq`) are most often a
        // person; with an ordinary word (`Just Eat`, `Patriot Coal`) a business.
        let looksPersonal = nameWords.count == 2 && !nameWords.contains(where: document.isCommonWord)
        return candidate(looksPersonal ? .person : .org, .guess)
    }

    /// `in Arbil`, `near Tavildara`, `Qingdao-based`, `Oakville, Ontario`.
    private func isPlaceContext(before start: Int, after end: Int) -> Bool {
        if start > 0, document.has(.placePreposition, start - 1) { return true }
        if end + 1 < tokens.count, tokens[end].text == ",", let place = owner[end + 1],
            mentions[place].start == end + 1, mentions[place].label == .gpe
        {
            return true
        }
        return end + 1 < tokens.count && tokens[end].text == "-" && !tokens[end].spaceBefore
            && document.has(.placeSuffix, end + 1)
    }
}

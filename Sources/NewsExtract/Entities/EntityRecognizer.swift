public import NewsCore
public import NewsText

/// Finds PERSON, ORG, GPE and LOC mentions with lexicons and patterns, then makes the document consistent.
///
/// Passes, in order:
/// 1. Lexicon aliases (token trie, longest match; title-cased keys on lines written in capitals; `U.S .` as
///    pre-tokenized corpora split it). Weak aliases (`Apple`) need support: a mention that is not
///    sentence-initial, or the same entity found elsewhere.
/// 2. Patterns for names no list holds: a title before capitalised words (`CEO Eddie Wu`) or after them and a
///    comma (`Bill Gross, president of Idealab`), a given name before a capitalised word, a capitalised run
///    ending in an organisation suffix or legal form (`Acme Holdings`, `Morningstar, Inc.`) or headed by one
///    (`Bank of Canada`), a dateline (`BEIJING (Reuters) -`), a known surname next to a speech or office cue
///    (`Biden administration`).
/// 3. Overlaps resolved longest first, then by pass priority, then earliest start.
/// 4. Aliases defined in parentheses (`Amazon Web Services (AWS)`, `Alibaba (阿里)`) take their antecedent's
///    label and canonical name.
/// 5. Capitalised runs still unexplained are typed by their words and context (`NameChunker`).
/// 6. Document consistency: a name keeps its best-supported identity throughout the document, and a short
///    form (`Wu`, `Quorvex`, `TV Books` of `TV Books LLC`) takes the identity of the full mention.
///
/// Every word the lists know is interned at load (`Vocabulary`), so each token is hashed once per document.
public struct EntityRecognizer: Sendable {
    private(set) var vocabulary = Vocabulary()
    private(set) var exact = TokenIDTrie<LexiconEntry>()
    private var folded = TokenIDTrie<LexiconEntry>()
    /// Person titles; the value says whether the title is capitalised (`President`) or a lower-case role (`analyst`).
    private(set) var titles = TokenIDTrie<Bool>()
    private var hasFoldedEntries = false
    /// Lexicon people by a surname only one of them has.
    private(set) var surnames: [Int32: LexiconEntry] = [:]
    /// Demonyms, months, ordinary acronyms, stock indices, as token sequences (`Roman Catholic`, `Nikkei 225`).
    private var nonEntityPhrases = TokenIDTrie<Bool>()

    public init(entries: [LexiconEntry], cues: EntityCues, functionWords: Set<String>, tokenizer: Tokenizer) {
        var vocabulary = Vocabulary()
        func keys(_ text: String) -> [String] { tokenizer.tokenize(ScalarText(text)).map { Self.matchKey($0.text) } }

        var surnameCandidates: [Int32: [LexiconEntry]] = [:]
        for entry in entries {
            let keys = keys(entry.alias)
            guard !keys.isEmpty else { continue }
            if entry.caseFolded {
                folded.insert(keys.map { vocabulary.intern($0.lowercased()) }, value: entry)
                hasFoldedEntries = true
            } else {
                let ids = keys.map { vocabulary.intern($0) }
                exact.insert(ids, value: entry)
                if entry.label == .person, ids.count >= 2, let last = ids.last { surnameCandidates[last, default: []].append(entry) }
            }
        }
        // A surname names one person only when one canonical person has it.
        for (surname, people) in surnameCandidates where Set(people.map(\.canonical)).count == 1 {
            surnames[surname] = people[0]
        }
        for phrase in cues.nonEntityWords {
            let ids = keys(phrase).map { vocabulary.intern($0) }
            if !ids.isEmpty { nonEntityPhrases.insert(ids, value: true) }
        }
        for title in cues.personTitles {
            let ids = keys(title).map { vocabulary.intern($0) }
            let capitalised = title.unicodeScalars.first.map(CharacterClass.isUppercase) ?? false
            if !ids.isEmpty { titles.insert(ids, value: capitalised) }
        }

        vocabulary.mark(cues.givenNames, .givenName)
        vocabulary.mark(cues.ambiguousGivenNames, .ambiguousGivenName)
        vocabulary.mark(cues.surnames, .surname)
        vocabulary.mark(cues.orgSuffixes, .orgSuffix)
        vocabulary.mark(cues.legalForms, .legalForm)
        vocabulary.mark(cues.placeWords, .placeWord)
        vocabulary.mark(cues.placeModifiers, .placeModifier)
        vocabulary.mark(cues.eventWords, .eventWord)
        vocabulary.mark(cues.nameParticles, .nameParticle)
        vocabulary.mark(cues.nonEntityWords, .nonEntityWord)
        vocabulary.mark(NameChunker.nameJoiners, .nameJoiner)
        vocabulary.mark(functionWords.map { $0.lowercased() }, .functionWord)
        let commonWords = cues.commonWords.map { $0.lowercased() }
        vocabulary.mark(commonWords, .commonWord)
        vocabulary.mark(commonWords.map { $0 + "s" }.filter { $0.count > 3 }, .commonPlural)
        vocabulary.mark(cues.personFollowers.map { $0.lowercased() }, .personFollower)
        let prepositions = cues.placePrepositions.map { $0.lowercased() }
        vocabulary.mark(prepositions, .placePreposition)
        vocabulary.mark(prepositions.filter { $0.hasPrefix("-") }.map { String($0.dropFirst()) }, .placeSuffix)

        exact.index(vocabularySize: vocabulary.count)
        folded.index(vocabularySize: vocabulary.count)
        titles.index(vocabularySize: vocabulary.count)
        nonEntityPhrases.index(vocabularySize: vocabulary.count)
        self.vocabulary = vocabulary
    }

    /// Token text as the tries store it: curly apostrophes and hyphen variants unified.
    static func matchKey(_ text: String) -> String {
        // All three are E2 80 xx in UTF-8: a token without an E2 byte, nearly every token, is its own key.
        guard text.utf8.contains(0xE2),
            text.unicodeScalars.contains(where: { $0 == "\u{2019}" || $0 == "\u{2010}" || $0 == "\u{2011}" })
        else {
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
        let document = DocumentView(text: text, tokens: tokens, sentences: sentences, vocabulary: vocabulary)
        let titleMatches = titleMatches(document)
        // Demonyms, months, ordinary acronyms, stock indices.
        let nonEntities = nonEntityPhrases.longestMatches(in: document.keyIDs).map(\.range)
        var blocked = [Bool](repeating: false, count: tokens.count)
        for range in titleMatches.map(\.range) + nonEntities { for index in range { blocked[index] = true } }

        var candidates = lexiconCandidates(document)
        candidates += titleCandidates(document, titleMatches)
        candidates += appositiveCandidates(document, titleMatches, blocked: blocked)
        candidates += givenNameCandidates(document, blocked: blocked)
        candidates += orgSuffixCandidates(document)
        candidates += datelineCandidates(document)
        candidates += surnameCueCandidates(document)
        candidates = supportedOnly(candidates, document)

        var chosen = CandidateSet.resolve(candidates)
        chosen.addParentheticalAliases(document)
        // `Nikkei 225`, `Shanghai Composite`: the name inside a longer non-entity phrase is not a mention.
        for phrase in nonEntities where phrase.count > 1 { chosen.remove(within: phrase, keepingExact: true) }
        chosen = NameChunker(document: document, blocked: blocked, accepted: chosen).withUnexplainedRunsTyped()
        chosen.makeConsistent(document)
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
            guard let match, let entry = match.values.first, entry.caseFolded || document.isCapitalized(i) else { return }
            result.append(
                Candidate(
                    start: i, end: i + match.length, label: entry.label, canonical: entry.canonical,
                    source: entry.weak ? .weakLexicon : .lexicon))
        }
        for i in 0..<count {
            let match = exact.longestMatch(from: i, in: document.keyIDs)
            // `NEW YORK` is `New York` in a line of capitals, `MALAYSIA` anywhere; only strong aliases, as
            // capitals hide ordinary words, and not short acronyms outside capitals lines (`AIM`).
            if match == nil, document.inCapitalsLine[i] || document.tokens[i].end - document.tokens[i].start >= 4,
                let titled = exact.longestMatch(from: i, in: document.titleIDs), !titled.values[0].weak
            {
                add(titled, at: i)
            } else if match == nil, let abbreviation = abbreviationWithSplitPeriod(at: i, document) {
                add((2, abbreviation), at: i)
            } else {
                add(match, at: i)
            }
            if hasFoldedEntries { add(folded.longestMatch(from: i, in: document.lowerIDs), at: i) }
        }
        return result
    }

    /// `U.S .`, `W.Va .`: text tokenized before it reached us (as corpora are) has the abbreviation's period
    /// split off; the alias is the abbreviation with its period.
    private func abbreviationWithSplitPeriod(at i: Int, _ document: DocumentView) -> [LexiconEntry]? {
        let tokens = document.tokens
        guard i + 1 < tokens.count, tokens[i + 1].spaceBefore, tokens[i + 1].text == "." else { return nil }
        let key = document.key(i)
        guard key.contains("."), key.unicodeScalars.last.map(CharacterClass.isLetter) == true else { return nil }
        return exact.longestMatch(from: 0, in: [vocabulary.id(key + ".")])?.values
    }

    /// Weak aliases stay only when the document supports them.
    private func supportedOnly(_ candidates: [Candidate], _ document: DocumentView) -> [Candidate] {
        var supported = Set<String>()
        for candidate in candidates where candidate.source != .weakLexicon || !document.isSentenceStart(candidate.start) {
            supported.insert(candidate.canonical)
        }
        return candidates.filter { $0.source != .weakLexicon || supported.contains($0.canonical) }
    }
}

import NewsCore
import NewsText

/// A possible mention, as a token range.
struct Candidate: Hashable {
    /// Where a candidate came from, weakest first; ties in overlap resolution and consistency go to the stronger.
    enum Source: Int, Comparable {
        /// A capitalised run typed by its shape alone (the default type).
        case guess = 0
        /// A capitalised run typed by a cue in or around it (`in Arbil`, `Jansher Khan`).
        case cuedGuess
        case weakLexicon
        case pattern
        case lexicon

        static func < (lhs: Source, rhs: Source) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    var start: Int
    var end: Int
    var label: EntityLabel
    var canonical: String
    var source: Source

    var length: Int { end - start }
    var range: Range<Int> { start..<end }
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
        for candidate in ordered where !candidate.range.contains(where: covered.contains) {
            taken.append(candidate)
            covered.formUnion(candidate.range)
        }
        return CandidateSet(mentions: taken.sorted { $0.start < $1.start })
    }

    func isFree(_ range: Range<Int>) -> Bool {
        // Mentions are sorted and do not overlap, so their ends are sorted too: the first one ending after
        // `range` starts is the only one that can overlap it.
        var low = 0, high = mentions.count
        while low < high {
            let middle = (low + high) / 2
            if mentions[middle].end <= range.lowerBound { low = middle + 1 } else { high = middle }
        }
        return low == mentions.count || mentions[low].start >= range.upperBound
    }

    /// The mention covering each token, by index into `mentions`.
    func owners(count: Int) -> [Int?] {
        var owner = [Int?](repeating: nil, count: count)
        for (index, mention) in mentions.enumerated() {
            for token in mention.range { owner[token] = index }
        }
        return owner
    }

    mutating func add(_ candidate: Candidate) {
        let position = mentions.firstIndex { $0.start > candidate.start } ?? mentions.endIndex
        mentions.insert(candidate, at: position)
    }

    /// Removes the mentions inside `range`; with `keepingExact`, not one that covers all of it.
    mutating func remove(within range: Range<Int>, keepingExact: Bool = false) {
        mentions.removeAll { range.lowerBound <= $0.start && $0.end <= range.upperBound && !(keepingExact && $0.range == range) }
    }

    /// Adds `candidate`, replacing the mentions inside its range.
    mutating func replace(within candidate: Candidate) {
        remove(within: candidate.range)
        add(candidate)
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

    /// The tokens of an organisation's name before its legal form and any comma (`TV Books` of `TV Books LLC`,
    /// `Morningstar` of `Morningstar, Inc.`); nil when it has none.
    private static func nameBeforeLegalForm(_ mention: Candidate, _ document: DocumentView) -> Range<Int>? {
        var end = mention.end
        if document.tokens[end - 1].text == "." { end -= 1 }
        guard end - 1 > mention.start, document.has(.legalForm, end - 1) else { return nil }
        end -= 1
        if document.tokens[end - 1].text == "," { end -= 1 }
        return mention.start..<end
    }

    /// Document consistency. A name keeps the identity of its best-supported mention everywhere; a lone first
    /// or last name of a person, the first word of an organisation's name or its name without the legal form,
    /// takes that mention's identity; and later occurrences the earlier passes left untagged (a sentence start,
    /// a line in capitals) are added.
    mutating func makeConsistent(_ document: DocumentView) {
        // Names are compared by their tokens' title keys, as ids.
        let keyIDs = document.titleKeyIDs
        // Sized for every mention up front: growing them was a tenth of this pass.
        var best: [[Int32]: Candidate] = Dictionary(minimumCapacity: mentions.count)
        var shortForms: [Int32: Candidate] = Dictionary(minimumCapacity: mentions.count * 2)
        var withoutLegalForm: [[Int32]: Candidate] = [:]
        for mention in mentions {
            let keys = Array(keyIDs[mention.range])
            if mention.source >= .cuedGuess, best[keys].map({ $0.source < mention.source }) ?? true { best[keys] = mention }
            guard keys.count >= 2, let first = keys.first, let last = keys.last else { continue }
            switch mention.label {
            case .person where mention.source >= .cuedGuess:
                shortForms[last] = shortForms[last] ?? mention
                // The first word is a short form when it is not a given name, or is a family name written
                // first (`Wang Donghai` … `Wang`).
                if !document.has(.givenName, mention.start) || document.has(.surname, mention.start) {
                    shortForms[first] = shortForms[first] ?? mention
                }
            case .org where mention.source != .lexicon:
                // `Wells BDDP` … `Wells`, but not `Bank` of `Bank of Canada` or `American` of `American Express`.
                if document.isName(mention.start), !document.has(.orgSuffix, mention.start),
                    !document.has(.nonEntityWord, mention.start)
                {
                    shortForms[first] = shortForms[first] ?? mention
                }
                // `TV Books LLC` … `TV Books`.
                if let name = Self.nameBeforeLegalForm(mention, document), name.count >= 2 {
                    withoutLegalForm[Array(keyIDs[name])] = mention
                }
            default:
                break
            }
        }
        for (keys, mention) in best where keys.count == 1 && shortForms[keys[0]] == nil { shortForms[keys[0]] = mention }

        for index in mentions.indices {
            let mention = mentions[index]
            var better: Candidate?
            if mention.source <= .weakLexicon {
                // A weak mention whose name is known better elsewhere.
                let keys = Array(keyIDs[mention.range])
                better = best[keys].flatMap { $0.source > mention.source ? $0 : nil } ?? withoutLegalForm[keys]
                    ?? (keys.count == 1 ? shortForms[keys[0]] : nil)
            } else if mention.length == 1, mention.label == .gpe || mention.label == .loc,
                let person = shortForms[keyIDs[mention.start]], person.label == .person
            {
                // `Alexander Lebed` … `Lebed`: the family name of a person named in full is that person, not the
                // town of that name.
                better = person
            }
            if let better, better.range != mention.range {
                mentions[index].label = better.label
                mentions[index].canonical = better.canonical
                mentions[index].source = .cuedGuess
            }
        }

        // Add untagged occurrences of known names.
        var known = TokenTrie<Candidate>()
        for (keys, mention) in best where mention.source >= .pattern { known.insert(keys, value: mention) }
        for (key, mention) in shortForms { known.insert([key], value: mention) }
        for (keys, mention) in withoutLegalForm { known.insert(keys, value: mention) }
        let count = document.tokens.count
        var index = 0
        while index < count {
            guard document.isCapitalized(index), let match = known.longestMatch(from: index, in: keyIDs),
                isFree(index..<(index + match.length))
            else {
                index += 1
                continue
            }
            // Only a run that is not itself part of a longer capitalised name (`Wu` but not `Wu Holdings`).
            let end = index + match.length
            let joinsNext = end < count && document.isName(end) && document.tokens[end].spaceBefore
                && !document.tokens[end].lineBreakBefore && !document.inCapitalsLine[end]
            let joinsPrevious = index > 0 && document.isName(index - 1) && !document.isSentenceStart(index)
                && !document.inCapitalsLine[index]
            if !joinsNext, !joinsPrevious || match.length > 1 {
                let source = match.values[0]
                add(Candidate(start: index, end: end, label: source.label, canonical: source.canonical, source: .cuedGuess))
            }
            index = end
        }
    }
}

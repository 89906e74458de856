import NewsCore
import NewsText

/// A title or role before a name; lower-case roles (`analyst`) need more evidence than capitalised titles.
struct TitleMatch {
    var range: Range<Int>
    var isCapitalised: Bool
}

/// Pass 2: patterns for names no lexicon holds.
extension EntityRecognizer {

    /// Every title or role in the text (`President`, `Chief Executive`, `analyst`), as token ranges.
    func titleMatches(_ document: DocumentView) -> [TitleMatch] {
        titles.longestMatches(in: document.keyIDs).map {
            TitleMatch(range: $0.range, isCapitalised: $0.values[0])
        }
    }

    /// `CEO Eddie Wu`, `President Xi Jinping`, `Mr. Quenby`: capitalised words after a title.
    func titleCandidates(_ document: DocumentView, _ titleMatches: [TitleMatch]) -> [Candidate] {
        var result: [Candidate] = []
        let count = document.tokens.count
        for title in titleMatches {
            let nameStart = title.range.upperBound
            let nameEnd = document.nameRun(from: nameStart, maxLength: 3)
            guard nameEnd > nameStart else { continue }
            let knownSurname = nameEnd - nameStart == 1 ? surnames[document.keyIDs[nameStart]] : nil
            // A lower-case role (`analyst`, `assistant`) needs a full name; any title before ordinary words
            // (`General Intelligence`) needs a known surname.
            if knownSurname == nil {
                if !title.isCapitalised, nameEnd - nameStart < 2 { continue }
                if (nameStart..<nameEnd).allSatisfy(document.isCommonWord) { continue }
            }
            // A title before a known organisation or place is a role, not a name (`CEO Alibaba`).
            if let known = exact.longestMatch(from: nameStart, in: document.keyIDs),
                known.values[0].label != .person
            {
                continue
            }
            let canonical = knownSurname?.canonical ?? document.text(nameStart, nameEnd)
            result.append(Candidate(start: nameStart, end: nameEnd, label: .person, canonical: canonical, source: .pattern))
        }
        return result
    }

    /// `Margaret Thistlewood`: a given name before capitalised words (not one that is also a demonym, `German`).
    func givenNameCandidates(_ document: DocumentView, blocked: [Bool]) -> [Candidate] {
        var result: [Candidate] = []
        let count = document.tokens.count
        for i in 0..<count where !blocked[i] && document.has(.givenName, i) {
            // `Hong Kong`, `Jordan Valley`: a given name that starts a listed place or organisation is that.
            if let known = exact.longestMatch(from: i, in: document.keyIDs), known.length > 1,
                known.values[0].label != .person
            {
                continue
            }
            let end = document.nameRun(from: i + 1, maxLength: 2)
            guard end > i + 1 else { continue }
            if let known = exact.longestMatch(from: i + 1, in: document.keyIDs), known.values[0].label != .person {
                continue
            }
            if document.has(.orgSuffix, end - 1) { continue }
            result.append(Candidate(start: i, end: end, label: .person, canonical: document.text(i, end), source: .pattern))
        }
        return result
    }

    func orgSuffixCandidates(_ document: DocumentView) -> [Candidate] {
        var result: [Candidate] = []
        let tokens = document.tokens
        // The list is case-sensitive, so a lower-case entry (`plc`) is meant as written.
        for k in 1..<max(tokens.count, 1) where document.has(.orgSuffix, k) {
            var start = k
            while start > 0, k - start < 5 {
                let previous = start - 1
                let isNameWord = document.isName(previous)
                let isAmpersand = tokens[previous].text == "&" && previous > 0 && document.isName(previous - 1)
                guard isNameWord || isAmpersand, !tokens[start].lineBreakBefore else { break }
                start = previous
            }
            guard start < k, document.isName(start) else { continue }
            var end = k + 1
            // `Acme Co.`: the period written after the suffix belongs to it.
            if end < tokens.count, tokens[end].text == ".", !tokens[end].spaceBefore, tokens[k].text.count <= 4 { end += 1 }
            var canonical = document.text(start, k + 1)
            if let head = exact.longestMatch(from: start, to: k, in: document.keyIDs), start + head.length == k,
                head.values[0].label == .org
            {
                canonical = head.values[0].canonical
            }
            result.append(Candidate(start: start, end: end, label: .org, canonical: canonical, source: .pattern))
        }
        return result
    }

    /// `BEIJING (Reuters) -`, `HONG KONG, Feb 24 -`, `LONDON 1996-08-30`: an all-capitals place at the start
    /// of a line, before a bracket, a comma, a dash, a date or the line's end.
    func datelineCandidates(_ document: DocumentView) -> [Candidate] {
        var result: [Candidate] = []
        let tokens = document.tokens
        for i in tokens.indices where i == 0 || tokens[i].lineBreakBefore {
            var end = i
            while end < tokens.count, end - i < 4, document.isAllCaps(end), end == i || !tokens[end].lineBreakBefore { end += 1 }
            guard end > i else { continue }
            let endsLine = end == tokens.count || tokens[end].lineBreakBefore
            let next = endsLine ? "" : tokens[end].text
            guard endsLine || ["(", ",", "-", "—", "–"].contains(next) || next.first?.isNumber == true else { continue }
            guard let match = exact.longestMatch(from: i, to: end, in: document.titleIDs), match.length == end - i,
                let place = match.values.first(where: { $0.label == .gpe || $0.label == .loc })
            else { continue }
            result.append(Candidate(start: i, end: end, label: place.label, canonical: place.canonical, source: .pattern))
        }
        return result
    }

    /// A lexicon person's unique surname next to a cue: `the Biden administration`, `Musk said`.
    func surnameCueCandidates(_ document: DocumentView) -> [Candidate] {
        var result: [Candidate] = []
        let tokens = document.tokens
        for i in tokens.indices where document.isName(i) {
            guard let person = surnames[document.keyIDs[i]], i + 1 < tokens.count, document.has(.personFollower, i + 1)
            else { continue }
            result.append(Candidate(start: i, end: i + 1, label: .person, canonical: person.canonical, source: .pattern))
        }
        return result
    }
}

import NewsCore
import NewsText

/// A title or role before a name; lower-case roles (`analyst`) need more evidence than capitalised titles.
struct TitleMatch {
    var range: Range<Int>
    var isCapitalised: Bool
    /// `Ms.`, `Mr`, `Sen.`: an abbreviated title is followed by a name even when the name is an ordinary word
    /// (`Ms. Gross`, `Mr. Bush`).
    var isAbbreviated: Bool
}

/// Pass 2: patterns for names no lexicon holds.
extension EntityRecognizer {

    /// Every title or role in the text (`President`, `Chief Executive`, `analyst`), as token ranges.
    func titleMatches(_ document: DocumentView) -> [TitleMatch] {
        titles.longestMatches(in: document.keyIDs).map { match in
            let last = document.tokens[match.range.upperBound - 1].text
            let isShortWord = match.range.count == 1 && last.count <= 3 && !document.isAllCaps(match.range.lowerBound)
            let isAbbreviated = last.hasSuffix(".") || isShortWord
            return TitleMatch(range: match.range, isCapitalised: match.values[0], isAbbreviated: isAbbreviated)
        }
    }

    /// `CEO Eddie Wu`, `President Xi Jinping`, `Mr. Quenby`: capitalised words after a title.
    func titleCandidates(_ document: DocumentView, _ titleMatches: [TitleMatch]) -> [Candidate] {
        var result: [Candidate] = []
        for title in titleMatches {
            let nameStart = title.range.upperBound
            let nameEnd = document.nameRun(from: nameStart, maxLength: 3)
            guard nameEnd > nameStart else { continue }
            let knownSurname = nameEnd - nameStart == 1 ? surnames[document.keyIDs[nameStart]] : nil
            // A lower-case role (`analyst`, `assistant`) needs a full name; any title before ordinary words
            // (`General Intelligence`) needs a known surname.
            if knownSurname == nil {
                if !title.isCapitalised, nameEnd - nameStart < 2 { continue }
                if !title.isAbbreviated, (nameStart..<nameEnd).allSatisfy(document.isCommonWord) { continue }
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

    /// `Bill Gross, president of Idealab`, `Jane Hollis, an analyst at Acme`: a name set off by a comma before
    /// a title or role. Two name words at least (or one known surname), not all ordinary words unless the first
    /// is a given name, and not a listed organisation or place (`Goldman Sachs, chief executive …`).
    func appositiveCandidates(_ document: DocumentView, _ titleMatches: [TitleMatch], blocked: [Bool]) -> [Candidate] {
        var result: [Candidate] = []
        let tokens = document.tokens
        for title in titleMatches {
            var comma = title.range.lowerBound - 1
            if comma > 0, ["the", "a", "an"].contains(tokens[comma].text) { comma -= 1 }
            guard comma > 0, tokens[comma].text == "," else { continue }
            // The earliest start whose name run ends at the comma (a run of at most three words).
            guard let start = (max(0, comma - 7)..<comma).first(where: { document.nameRun(from: $0, maxLength: 3) == comma }),
                !(start..<comma).contains(where: { blocked[$0] })
            else { continue }
            let words = (start..<comma).filter { tokens[$0].text != "-" }
            let last = comma - 1
            guard words.count >= 2 || document.has(.surname, start) else { continue }
            if words.allSatisfy(document.isCommonWord), !document.has(.givenName, start), !document.has(.ambiguousGivenName, start) {
                continue
            }
            if document.has(.orgSuffix, last) || document.has(.legalForm, last) { continue }
            if let known = exact.longestMatch(from: start, to: comma, in: document.keyIDs), known.values[0].label != .person { continue }
            result.append(Candidate(start: start, end: comma, label: .person, canonical: document.text(start, comma), source: .pattern))
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
        for k in 1..<max(tokens.count, 1) where document.has(.orgSuffix, k) || document.has(.legalForm, k) {
            // `Morningstar, Inc.`: a legal form may follow a comma.
            let nameEnd = k >= 2 && tokens[k - 1].text == "," && document.has(.legalForm, k) ? k - 1 : k
            var start = nameEnd
            while start > 0, nameEnd - start < 5 {
                let previous = start - 1
                let isNameWord = document.isName(previous)
                let isAmpersand = tokens[previous].text == "&" && previous > 0 && document.isName(previous - 1)
                guard isNameWord || isAmpersand, !tokens[start].lineBreakBefore else { break }
                start = previous
            }
            guard start < nameEnd, document.isName(start) else { continue }
            var end = k + 1
            // `Acme Co.`: the period written after the suffix belongs to it.
            if end < tokens.count, tokens[end].text == ".", !tokens[end].spaceBefore, tokens[k].text.count <= 4 { end += 1 }
            var canonical = document.text(start, k + 1)
            if let head = exact.longestMatch(from: start, to: nameEnd, in: document.keyIDs), start + head.length == nameEnd,
                head.values[0].label == .org
            {
                canonical = head.values[0].canonical
            }
            result.append(Candidate(start: start, end: end, label: .org, canonical: canonical, source: .pattern))
        }
        return result
    }

    /// `BEIJING (Reuters) -`, `HONG KONG, Feb 24 -`, `LONDON 1996-08-30`, `NEW YORK _` (AP): an all-capitals
    /// place at the start of a line, before a bracket, a comma, a dash, a date or the line's end.
    func datelineCandidates(_ document: DocumentView) -> [Candidate] {
        var result: [Candidate] = []
        let tokens = document.tokens
        for i in tokens.indices where i == 0 || tokens[i].lineBreakBefore {
            var end = i
            while end < tokens.count, end - i < 4, document.isAllCaps(end), end == i || !tokens[end].lineBreakBefore { end += 1 }
            guard end > i else { continue }
            let endsLine = end == tokens.count || tokens[end].lineBreakBefore
            let next = endsLine ? "" : tokens[end].text
            guard endsLine || ["(", ",", "-", "—", "–", "_"].contains(next) || next.first?.isNumber == true else { continue }
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

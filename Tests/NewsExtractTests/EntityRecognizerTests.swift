import NewsCore
@testable import NewsExtract
import NewsTestSupport
import NewsText
import Newsflow
import Testing

/// The entity recognizer with the default pipeline's lexicons and cue lists.
@Suite struct EntityRecognizerTests {
    static let pipeline: Pipeline = {
        do {
            return try Pipeline.load(path: repoPath("pipelines/default.yaml"))
        } catch {
            fatalError("pipelines/default.yaml does not load: \(error)")
        }
    }()

    /// "text|LABEL|canonical" for every entity found.
    func found(_ text: String) -> [String] {
        Self.pipeline.annotate(text: text).entities.map { "\($0.text)|\($0.label.rawValue)|\($0.canonical)" }
    }

    @Test(arguments: [
        ("Alibaba CEO Eddie Wu said on Monday.", ["Alibaba|ORG|Alibaba Group", "Eddie Wu|PERSON|Eddie Wu"]),
        ("Chinese President Xi Jinping met Jack Ma.", ["Xi Jinping|PERSON|Xi Jinping", "Jack Ma|PERSON|Jack Ma"]),
        ("Amazon Web Services (AWS) and Alibaba Cloud compete.",
         ["Amazon Web Services|ORG|Amazon Web Services", "AWS|ORG|Amazon Web Services", "Alibaba Cloud|ORG|Alibaba Cloud"]),
        ("Alibaba (阿里) and Amazon (亚马逊) compete.",
         ["Alibaba|ORG|Alibaba Group", "阿里|ORG|Alibaba Group", "Amazon|ORG|Amazon", "亚马逊|ORG|Amazon"]),
        ("Alibaba’s stock rose.", ["Alibaba|ORG|Alibaba Group"]),
        ("rising US\u{2011}China tensions", ["US|GPE|United States", "China|GPE|China"]),
        ("the U.S. semiconductor restrictions", ["U.S.|GPE|United States"]),
        ("as reported by Bloomberg News on Monday", ["Bloomberg News|ORG|Bloomberg"]),
        ("expanding the Biden administration’s efforts", ["Biden|PERSON|Joe Biden"]),
        ("markets in Southeast Asia, the Middle East and Europe",
         ["Southeast Asia|LOC|Southeast Asia", "Middle East|LOC|Middle East", "Europe|LOC|Europe"]),
        ("rivals such as Pinduoduo and JD.com", ["Pinduoduo|ORG|Pinduoduo", "JD.com|ORG|JD.com"]),
        ("quotes from Yahoo! Finance and Yahoo !", ["Yahoo! Finance|ORG|Yahoo", "Yahoo !|ORG|Yahoo"]),
        ("阿里巴巴集团在杭州宣布", ["阿里巴巴集团|ORG|Alibaba Group", "杭州|GPE|Hangzhou"]),
    ])
    func findsNewsEntities(input: String, expected: [String]) {
        #expect(found(input) == expected)
    }

    @Test func titlesFindPeopleNoListHolds() {
        #expect(found("said Finance Minister Zorblat Quenby on Tuesday.").contains("Zorblat Quenby|PERSON|Zorblat Quenby"))
        #expect(found("Mr. Quenby declined to comment.") == ["Quenby|PERSON|Quenby"])
    }

    @Test func givenNameStartsAPerson() {
        #expect(found("according to Margaret Thistlewood, who runs the fund") == ["Margaret Thistlewood|PERSON|Margaret Thistlewood"])
    }

    @Test func organisationSuffixMakesAnOrganisation() {
        #expect(found("Shares of Quorvex Holdings fell.") == ["Quorvex Holdings|ORG|Quorvex Holdings"])
        #expect(found("Tencent Holdings reported results.") == ["Tencent Holdings|ORG|Tencent"])
    }

    @Test func laterShortFormsTakeTheFirstMention() {
        let mentions = found("Margaret Thistlewood founded Quorvex Holdings. Thistlewood said Quorvex would grow.")
        #expect(mentions == [
            "Margaret Thistlewood|PERSON|Margaret Thistlewood", "Quorvex Holdings|ORG|Quorvex Holdings",
            "Thistlewood|PERSON|Margaret Thistlewood", "Quorvex|ORG|Quorvex Holdings",
        ])
        let wu = found("Alibaba CEO Eddie Wu spoke. Wu said AI comes first.")
        #expect(wu.last == "Wu|PERSON|Eddie Wu")
    }

    @Test func acronymDefinedInTheTextIsReused() {
        let mentions = found("Quorvex Holdings (QVX) said QVX would expand.")
        #expect(mentions == [
            "Quorvex Holdings|ORG|Quorvex Holdings", "QVX|ORG|Quorvex Holdings", "QVX|ORG|Quorvex Holdings",
        ])
    }

    @Test func datelinePlaceIsFound() {
        #expect(found("BEIJING (Reuters) - Markets fell.") == ["BEIJING|GPE|Beijing", "Reuters|ORG|Reuters"])
    }

    @Test func ordinaryWordsAfterATitleAreNotPeople() {
        #expect(found("Artificial General Intelligence (AGI) is the goal.").isEmpty)
    }

    @Test func weakAliasesNeedSupport() {
        // "Target" is an ordinary word at a sentence start; mid-sentence capitalised, it is the retailer.
        #expect(found("Target prices rose.").isEmpty)
        #expect(found("Shoppers went to Apple stores.") == ["Apple|ORG|Apple"])
    }

    /// Names no list holds, typed by their words and context (the name chunker), one family per case.
    @Test(arguments: [
        // Organisation words at the end, or before `of`
        ("Officials at the Qarvish Ministry of Mines declined to comment.", ["Qarvish Ministry of Mines|ORG|Qarvish Ministry of Mines"]),
        ("The Royal Bank of Canada cut its forecast.", ["Royal Bank of Canada|ORG|Royal Bank of Canada"]),
        ("Shares of Brightwater Logistics Holdings plc slid.", ["Brightwater Logistics Holdings plc|ORG|Brightwater Logistics Holdings plc"]),
        ("investors in Commodity Partners & Lomax sold", ["Commodity Partners & Lomax|ORG|Commodity Partners & Lomax"]),
        // Extra words around a known organisation or place make an organisation
        ("the Sinopec Zhenhai refinery", ["Sinopec Zhenhai|ORG|Sinopec Zhenhai"]),
        ("when Dynamo Moscow beat Zenit", ["Dynamo Moscow|ORG|Dynamo Moscow", "Zenit|ORG|Zenit"]),
        // Places: place words, directions, prepositions, `-based`, `Town, Region`
        ("flooding along the Cherating River and near Kuala Tembeling", ["Cherating River|LOC|Cherating River", "Kuala Tembeling|GPE|Kuala Tembeling"]),
        ("fighting in Eastern Slavonia resumed", ["Eastern Slavonia|LOC|Eastern Slavonia"]),
        ("a Dunmore-based lender", ["Dunmore|GPE|Dunmore"]),
        ("the plant in Oakridge, Ontario, will close", ["Oakridge|GPE|Oakridge", "Ontario|GPE|Ontario"]),
        // People: particles, hyphenated names, surnames, a given name that is also a place
        ("said Joost van der Westhuizen, the captain", ["Joost van der Westhuizen|PERSON|Joost van der Westhuizen"]),
        ("analyst Elena Vasquez-Moreau wrote", ["Elena Vasquez-Moreau|PERSON|Elena Vasquez-Moreau"]),
        ("according to Saqlain Mushtaq and Waqar Younis", ["Saqlain Mushtaq|PERSON|Saqlain Mushtaq", "Waqar Younis|PERSON|Waqar Younis"]),
        ("Dissident Wang Donghai was detained. Police said Wang would be released.",
         ["Wang Donghai|PERSON|Wang Donghai", "Wang|PERSON|Wang Donghai"]),
        ("Chad Whitfield, a trader in Chicago, said", ["Chad Whitfield|PERSON|Chad Whitfield", "Chicago|GPE|Chicago"]),
        // A legal form after a comma, also in capitals; later, the name without it
        ("data from Brightwater Analytics, Inc. and Commodity Systems , Inc . and others",
         ["Brightwater Analytics, Inc.|ORG|Brightwater Analytics, Inc.", "Commodity Systems , Inc|ORG|Commodity Systems , Inc"]),
        ("COPYRIGHT 1998 BY QUORVEX, INC., A VENTURE OF FDCH, INC.", ["QUORVEX, INC.|ORG|QUORVEX, INC", "FDCH, INC.|ORG|FDCH, INC"]),
        ("Shares of Tamber Books LLC rose. Tamber Books said", ["Tamber Books LLC|ORG|Tamber Books LLC", "Tamber Books|ORG|Tamber Books LLC"]),
        // A name before a comma and a role; the first word of an organisation, even an ordinary word, later
        ("Bill Gross, president of Idealab, said", ["Bill Gross|PERSON|Bill Gross", "Idealab|ORG|Idealab"]),
        ("Jane Hollis, an analyst at Brightwater, said", ["Jane Hollis|PERSON|Jane Hollis", "Brightwater|ORG|Brightwater"]),
        ("the agency Wells BDDP closed. Clients of Wells left.", ["Wells BDDP|ORG|Wells BDDP", "Wells|ORG|Wells BDDP"]),
        // An abbreviated title before an ordinary word; a surname that is also a town
        ("Ms. Gross asked.", ["Gross|PERSON|Gross"]),
        ("Alexander Lebed ran. Lebed won.", ["Alexander Lebed|PERSON|Alexander Lebed", "Lebed|PERSON|Alexander Lebed"]),
        // AP style: datelines with `_`, state abbreviations; corpora that split the period off `U.S.`
        ("NEW YORK _ Shares fell.", ["NEW YORK|GPE|New York"]),
        ("the plant in Fremont, Calif., will close", ["Fremont|GPE|Fremont", "Calif.|GPE|California"]),
        ("markets eye U.S . data", ["U.S .|GPE|United States"]),
        // Lines in capitals: the lexicon still applies, guessing does not
        ("NEW YORK 1996-08-30", ["NEW YORK|GPE|New York"]),
        ("CRICKET - MALAYSIA TAKE OVER AT TOP\nMalaysia won.", ["MALAYSIA|GPE|Malaysia", "Malaysia|GPE|Malaysia"]),
    ])
    func namesNoListHolds(input: String, expected: [String]) {
        #expect(found(input) == expected)
    }

    /// Capitalised words that are not entities: sentence starts, headline case, demonyms, months, acronyms,
    /// events, stock indices, products.
    @Test(arguments: [
        "Although demand slowed, Producers cut output.",
        "Chinese regulators and European shares moved on Monday in June.",
        "AI spending and the CEO's GDP forecast lifted the IPO.",
        "The Free Cash Flow and the Capital Expenditure Outlook were discussed.",
        "She won the World Cup and the Hong Kong Open.",
        "The Nikkei 225 and the S&P 500 rose while the Shanghai Composite fell.",
        "Users of ChatGPT and Copilot grew.",
        "the Government said Parliament would vote",
    ])
    func capitalisedWordsThatAreNotNames(input: String) {
        #expect(found(input) == [], "\(found(input))")
    }

    @Test func hyphenCompoundsAreTwoPlaces() {
        #expect(found("US-China trade talks") == ["US|GPE|United States", "China|GPE|China"])
    }

    @Test func offsetsAreCodePoints() {
        let text = "🇨🇳 阿里巴巴 and Alibaba’s Eddie Wu"
        let scalars = Array(text.unicodeScalars)
        for entity in Self.pipeline.annotate(text: text).entities {
            #expect(String(String.UnicodeScalarView(scalars[entity.start..<entity.end])) == entity.text)
        }
    }
}

@Suite struct TokenTrieTests {
    /// Both tries against a naive scan over every alias, on generated token sequences (`d` is a word no
    /// alias holds: `Vocabulary.unknown` for the lexicon's id trie, a document's own id for the other).
    @Test func longestMatchAgreesWithNaiveSearch() {
        let aliases: [[String]] = [["a"], ["a", "b"], ["a", "b", "c"], ["b", "c"], ["c"], ["b", "a", "b"]]
        let ids: [String: Int32] = ["a": 0, "b": 1, "c": 2, "d": Vocabulary.unknown]
        let documentIDs: [String: Int32] = ["a": 0, "b": 1, "c": 2, "d": 3]
        var trie = TokenTrie<Int>()
        var idTrie = TokenIDTrie<Int>()
        for (index, alias) in aliases.enumerated() {
            trie.insert(alias.map { documentIDs[$0]! }, value: index)
            idTrie.insert(alias.map { ids[$0]! }, value: index)
        }
        idTrie.index(vocabularySize: 3)
        let alphabet = ["a", "b", "c", "d"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let tokens = (0..<Int.random(in: 0...8, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            let tokenIDs = tokens.map { ids[$0]! }
            for start in tokens.indices {
                let naive = aliases.enumerated()
                    .filter { start + $0.element.count <= tokens.count && Array(tokens[start..<(start + $0.element.count)]) == $0.element }
                    .max { $0.element.count < $1.element.count }
                let fast = trie.longestMatch(from: start, in: tokens.map { documentIDs[$0]! })
                #expect(fast?.length == naive?.element.count)
                #expect(fast?.values.first == naive?.offset)
                let byID = idTrie.longestMatch(from: start, in: tokenIDs)
                #expect(byID?.length == naive?.element.count)
                #expect(byID?.values.first == naive?.offset)
            }
        }
    }
}

import NewsCore
import NewsTestSupport
import NewsText
import Testing

@Suite struct TokenizerTests {
    let tokenizer = Tokenizer(abbreviations: ["Mr.", "Inc.", "Corp.", "Jan.", "Dr.", "Co."])

    func texts(_ input: String) -> [String] {
        tokenizer.tokenize(ScalarText(input)).map(\.text)
    }

    @Test(arguments: [
        ("the U.S. economy", ["the", "U.S.", "economy"]),
        ("in the U.K. and U.S.A.", ["in", "the", "U.K.", "and", "U.S.A."]),
        ("rivals such as JD.com and Pinduoduo", ["rivals", "such", "as", "JD.com", "and", "Pinduoduo"]),
        ("or $52.44 billion,", ["or", "$", "52.44", "billion", ","]),
        ("The latest version, Qwen3-Max, was", ["The", "latest", "version", ",", "Qwen3", "-", "Max", ",", "was"]),
        ("rising US\u{2011}China tech tensions", ["rising", "US", "\u{2011}", "China", "tech", "tensions"]),
        ("Alibaba’s approach", ["Alibaba", "’s", "approach"]),
        ("Alibaba's approach", ["Alibaba", "'s", "approach"]),
        ("the companies’ growth", ["the", "companies", "’", "growth"]),
        ("don't", ["do", "n't"]),
        ("Alibaba (阿里) and Amazon (亚马逊)", ["Alibaba", "(", "阿", "里", ")", "and", "Amazon", "(", "亚", "马", "逊", ")"]),
        ("US$1.2bn deal", ["US$", "1.2", "bn", "deal"]),
        ("£3.5m", ["£", "3.5", "m"]),
        ("1,234.56 and 12,34,567", ["1,234.56", "and", "12,34,567"]),
        ("Mr. Smith of Acme Inc. said", ["Mr.", "Smith", "of", "Acme", "Inc.", "said"]),
        ("on Jan. 5 at 3 p.m.", ["on", "Jan.", "5", "at", "3", "p.m."]),
        ("It ended.", ["It", "ended", "."]),
        ("S&P 500 and AT&T", ["S&P", "500", "and", "AT&T"]),
        ("Wait... what?", ["Wait", "...", "what", "?"]),
        ("see https://example.com/a?b=1. Next", ["see", "https://example.com/a?b=1", ".", "Next"]),
        ("mail press@example.com today", ["mail", "press@example.com", "today"]),
        ("“We aim”", ["“", "We", "aim", "”"]),
        ("3800亿元", ["3800", "亿", "元"]),
        ("café naïve", ["café", "naïve"]),
    ])
    func splitsNewsText(input: String, expected: [String]) {
        #expect(texts(input) == expected)
    }

    @Test func offsetsAreScalarOffsetsThatRoundTrip() {
        let input = "Alibaba (阿里) plans 3800亿元 — US‑China 🇨🇳 Alibaba’s Qwen3-Max"
        let text = ScalarText(input)
        let tokens = tokenizer.tokenize(text)
        for token in tokens {
            #expect(text[token.start..<token.end] == token.text)
        }
        #expect(tokens.first { $0.text == "Qwen3" }?.start == 50)
    }

    @Test func spacingAndLineBreaksAreRecorded() {
        let tokens = tokenizer.tokenize(ScalarText("Qwen3-Max\nNext line"))
        #expect(tokens.map(\.spaceBefore) == [true, false, false, true, true])
        #expect(tokens.map(\.lineBreakBefore) == [false, false, false, true, false])
    }

    /// Flags every word of letters has, and those a capitalised one adds.
    static let lettersOnly: TokenShape = [.startsWithLetter, .letters, .nameLetters, .nameWordLetters]
    static let capitalised: TokenShape = [.startsWithCapital, .hasASCIICapital]
    static let shapes: [(String, TokenShape)] = [
        ("AT&T", capitalised.union([.ascii, .startsWithLetter, .nameWordLetters, .capitals])),
        ("U.S.", capitalised.union([.ascii, .startsWithLetter, .nameLetters, .nameWordLetters, .capitals])),
        ("CEO", lettersOnly.union(capitalised).union([.ascii, .capitals, .capitalLetters])),
        // Two scalars, a capital and a period: `capitals`, as `U.S.` is, though not `capitalLetters`.
        ("J.", capitalised.union([.ascii, .startsWithLetter, .nameLetters, .nameWordLetters, .capitals])),
        ("A", lettersOnly.union(capitalised).union(.ascii)),
        ("economy", lettersOnly.union(.ascii)),
        ("McDonald", lettersOnly.union(capitalised).union(.ascii)),
        ("Zürich", lettersOnly.union(capitalised)),
        ("ÉCOLE", lettersOnly.union(capitalised).union([.capitals, .capitalLetters])),
        ("阿", .startsWithCJK),
        ("Qwen3", capitalised.union([.ascii, .startsWithLetter])),
        ("52.44", .ascii),
        ("—", []),
    ]

    @Test(arguments: shapes)
    func tokenShapeIsReadFromTheScalars(word: String, expected: TokenShape) {
        let tokens = tokenizer.tokenize(ScalarText(word))
        #expect(tokens.count == 1)
        #expect(tokens.first?.shape == expected)
    }

    /// The fast paths (ASCII, General Punctuation) give what the Unicode properties give, over the first
    /// blocks of the code space, where news text lives.
    @Test func characterClassFastPathsAgreeWithUnicodeProperties() {
        for value in UInt32(0)..<0x3100 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let properties = scalar.properties
            let cjk = CharacterClass.isCJK(scalar)
            #expect(CharacterClass.isLetter(scalar) == (properties.isAlphabetic && !cjk), "\(value)")
            #expect(CharacterClass.isUppercase(scalar) == properties.isUppercase, "\(value)")
            #expect(CharacterClass.isWhitespace(scalar) == properties.isWhitespace, "\(value)")
            let wordCharacter = !cjk && (properties.isAlphabetic || properties.numericType != nil
                || properties.generalCategory == .nonspacingMark || properties.generalCategory == .spacingMark)
            #expect(CharacterClass.isWordCharacter(scalar) == wordCharacter, "\(value)")
        }
    }

    @Test func emptyAndWhitespaceOnlyInputGiveNoTokens() {
        #expect(texts("").isEmpty)
        #expect(texts(" \n\t ").isEmpty)
    }
}

@Suite struct SentenceSplitterTests {
    let tokenizer = Tokenizer(abbreviations: ["Mr.", "Inc.", "Dr."])

    func sentences(_ input: String) -> [String] {
        let text = ScalarText(input)
        let tokens = tokenizer.tokenize(text)
        return SentenceSplitter().split(tokens).map { sentence in
            text[tokens[sentence.tokens.lowerBound].start..<tokens[sentence.tokens.upperBound - 1].end]
        }
    }

    @Test(arguments: [
        ("Alibaba invests. Amazon follows.", ["Alibaba invests.", "Amazon follows."]),
        ("The U.S. economy grew. Stocks rose.", ["The U.S. economy grew.", "Stocks rose."]),
        ("Mr. Wu spoke. He left.", ["Mr. Wu spoke.", "He left."]),
        ("Acme Inc. said so.", ["Acme Inc. said so."]),
        ("“Why is that the primary aim?” Eddie Wu said.", ["“Why is that the primary aim?”", "Eddie Wu said."]),
        ("It rose 5.5 percent. Then fell.", ["It rose 5.5 percent.", "Then fell."]),
        ("Government Backing\nThe timing matters.", ["Government Backing", "The timing matters."]),
        ("阿里巴巴宣布投资。亚马逊也在跟进！", ["阿里巴巴宣布投资。", "亚马逊也在跟进！"]),
        ("e.g. this one stays. Right?", ["e.g. this one stays.", "Right?"]),
        ("It ended with a question? yes it did.", ["It ended with a question? yes it did."]),
        ("Profit was $5 billion. (Revenue grew.)", ["Profit was $5 billion.", "(Revenue grew.)"]),
    ])
    func splits(input: String, expected: [String]) {
        #expect(sentences(input) == expected)
    }
}

@Suite struct PlainTextCleanerTests {
    func clean(_ text: String) -> CleanArticle {
        PlainTextCleaner().clean(
            DecodedArticle(id: "x", source: SourceRef(path: "x.txt"), content: text, format: .text, warnings: []))
    }

    @Test func foldsBlankLinesAndTakesHeadline() {
        let article = clean("World Giants Join the Race!\r\n\r\n\r\nthecekodok  \n\n\n\nBody text here.\n")
        #expect(article.text == "World Giants Join the Race!\n\nthecekodok\n\nBody text here.")
        #expect(article.title == "World Giants Join the Race!")
    }

    /// First lines and the headline they give, nil for none. An ASCII line is tested over bytes, any other over
    /// characters: each case runs both ways (`á` for the first `a`), and the two must agree.
    static let headlineCases: [(line: String, title: String?)] = [
        ("Alibaba Unveils New AI Model", "Alibaba Unveils New AI Model"),
        ("  \tAlibaba Unveils New AI Model", "Alibaba Unveils New AI Model"),
        ("Amazon\tand  Alibaba", "Amazon\tand  Alibaba"),
        ("Alibaba Unveils", nil),
        ("Alibaba unveils a model.", nil),
        ("Alibaba unveils a model,", nil),
        ("Alpha beta gamma " + String(repeating: "x", count: 183), "Alpha beta gamma " + String(repeating: "x", count: 183)),
        ("Alpha beta gamma " + String(repeating: "x", count: 184), nil),
    ]

    @Test func headlineTestIsTheSameOverBytesAndCharacters() {
        for (line, title) in Self.headlineCases {
            #expect(clean(line + "\nBody text.").title == title, "\(line)")
            func accented(_ text: String) -> String {
                var text = text
                if let a = text.firstIndex(of: "a") { text.replaceSubrange(a...a, with: "á") }
                return text
            }
            #expect(clean(accented(line) + "\nBody text.").title == title.map(accented), "\(accented(line))")
        }
    }

    @Test func noTitleWhenFirstLineIsAParagraph() {
        #expect(clean("Alibaba plans to invest. It said so.\nMore.").title == nil)
        #expect(clean("Introduction\nAlibaba has announced plans.").title == nil)
    }

    @Test func dropsControlCharacters() {
        #expect(clean("A\u{07}B\tC\u{0C}D").text == "AB\tCD")
        // C1 controls (U+0080–U+009F) go, a no-break space inside a line stays.
        #expect(clean("x\u{85}y\u{9F}z\u{A0}w").text == "xyz\u{A0}w")
    }

    @Test func trimsUnicodeSpacesAtLineEndsAndSplitsOnAnyLineBreak() {
        // CR, LF and CRLF end lines; trailing no-break, em and ideographic spaces go; a line left blank by
        // the trim folds like any blank line.
        let article = clean("One\u{A0}\u{2003}\rTwo\u{3000}\r\n \u{A0}\n\nThree\t\u{7F}\nFour")
        #expect(article.text == "One\nTwo\n\nThree\nFour")
    }
}

@Suite struct LanguageGuesserTests {
    let guesser = LanguageGuesser(stopwords: ["en": ["the", "and", "of", "to", "in", "is", "a"]])
    let tokenizer = Tokenizer()

    @Test(arguments: [
        ("The company is one of the largest in the world and it is growing.", "en"),
        ("阿里巴巴集团宣布在未来三年投资三千八百亿元人民币用于人工智能。", "zh"),
        ("東京の株式市場では、ソフトバンクの株価が上昇した。", "ja"),
        ("삼성전자는 새로운 반도체 공장을 건설한다고 밝혔다.", "ko"),
    ])
    func recognisesScriptsAndEnglish(input: String, expected: String) {
        let text = ScalarText(input)
        #expect(guesser.guess(tokenizer.tokenize(text), in: text) == expected)
    }

    @Test func unsureGivesNil() {
        let german = ScalarText("Der Konzern investiert Milliarden in neue Rechenzentren.")
        #expect(guesser.guess(tokenizer.tokenize(german), in: german) == nil)
        #expect(guesser.guess([], in: ScalarText("")) == nil)
    }
}

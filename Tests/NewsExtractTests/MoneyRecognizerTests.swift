import NewsCore
import NewsExtract
import NewsTestSupport
import Testing

/// The money recognizer over the real data files in pipelines/money.
@Suite struct MoneyRecognizerTests {
    static let recognizer: MoneyRecognizer = {
        do {
            return MoneyRecognizer(data: try MoneyData.load(folder: repoPath("pipelines/money")))
        } catch {
            fatalError("pipelines/money does not load: \(error)")
        }
    }()

    /// (text, expected span text, value, currency, qualifier)
    typealias Case = (String, String, String, String, MoneyQualifier?)

    static let englishCases: [Case] = [
        ("Amazon will invest $50 billion in AI.", "$50 billion", "50000000000", "USD", nil),
        ("plans to spend at least 380 billion yuan, or", "380 billion yuan", "380000000000", "CNY", .atLeast),
        ("(approximately 50 billion euros) over", "50 billion euros", "50000000000", "EUR", .approximately),
        ("levels exceeding 53 billion US dollars over", "53 billion US dollars", "53000000000", "USD", .moreThan),
        ("The figure of more than 53 billion dollars is", "53 billion dollars", "53000000000", "USD", .moreThan),
        ("or $52.44 billion, over a three-year period", "$52.44 billion", "52440000000", "USD", nil),
        ("raised US$1.2bn from investors", "US$1.2bn", "1200000000", "USD", nil),
        ("sold for £3.5m last year", "£3.5m", "3500000", "GBP", nil),
        ("a HK$10 billion bond", "HK$10 billion", "10000000000", "HKD", nil),
        ("priced at EUR 12.5 million", "EUR 12.5 million", "12500000", "EUR", nil),
        ("costs USD3.14 per unit", "USD3.14", "3.14", "USD", nil),
        ("a fine of 10 ILS", "10 ILS", "10", "ILS", nil),
        ("paid 1,234.56 euros", "1,234.56 euros", "1234.56", "EUR", nil),
        ("ten pounds for a ticket", "ten pounds", "10", "GBP", nil),
        ("worth A$2.5 billion", "A$2.5 billion", "2500000000", "AUD", nil),
        ("a C$300 million deal", "C$300 million", "300000000", "CAD", nil),
        ("€3 billion in cuts", "€3 billion", "3000000000", "EUR", nil),
        ("up to 5 trillion yen", "5 trillion yen", "5000000000000", "JPY", .upTo),
        ("nearly 2 billion rupees", "2 billion rupees", "2000000000", "INR", .nearly),
        ("RM10 million in grants", "RM10 million", "10000000", "MYR", nil),
    ]

    static let chineseCases: [Case] = [
        ("阿里巴巴将投资3800亿元用于人工智能", "3800亿元", "380000000000", "CNY", nil),
        ("未来三年投入三千八百亿元", "三千八百亿元", "380000000000", "CNY", nil),
        ("投资超过100亿美元", "100亿美元", "10000000000", "USD", .moreThan),
        ("收入约５０万欧元", "５０万欧元", "500000", "EUR", .approximately),
    ]

    @Test(arguments: englishCases + chineseCases)
    func findsAndNormalises(_ testCase: Case) throws {
        let (input, span, value, currency, qualifier) = testCase
        let text = ScalarText(input)
        let found = Self.recognizer.recognize(text)
        let amount = try #require(found.first, "no amount in \(input)")
        #expect(found.count == 1)
        #expect(amount.text == span)
        #expect(text[amount.start..<amount.end] == span)
        #expect(amount.value.description == value)
        #expect(amount.currency == currency)
        #expect(amount.qualifier == qualifier)
    }

    @Test(arguments: [
        "The project is expected to begin in 2026 and add nearly 1.3 gigawatts of capacity.",
        "Shares rose 5.5% and the S&P 500 gained; a Fortune 500 company bought a Boeing 737.",
        "The rupee traded at 83 per dollar on Monday.",
        "It has 3,000 employees and 12 offices.",
        "by 2030, the Qwen3-Max model",
    ])
    func ignoresNumbersThatAreNotMoney(input: String) {
        #expect(Self.recognizer.recognize(ScalarText(input)).isEmpty)
    }

    @Test func minorUnitsConvertToMajor() throws {
        let amounts = Self.recognizer.recognize(ScalarText("Earnings were 50 cents a share, and a stamp costs 10p."))
        #expect(amounts.map(\.text) == ["50 cents", "10p"])
        #expect(amounts.map(\.value.description) == ["0.5", "0.1"])
        #expect(amounts.map(\.currency) == ["USD", "GBP"])
        #expect(amounts.first?.per == "share")
    }

    @Test func compactRangeIsOneSpan() throws {
        let amounts = Self.recognizer.recognize(ScalarText("a deal valued at $5-7 million"))
        let range = try #require(amounts.first)
        #expect(amounts.count == 1)
        #expect(range.text == "$5-7 million")
        #expect(range.value.description == "5000000")
        #expect(range.valueMax?.description == "7000000")
    }

    @Test func twoFullAmountsAreTwoSpans() {
        let amounts = Self.recognizer.recognize(ScalarText("at least 380 billion yuan, or $52.44 billion, over"))
        #expect(amounts.map(\.text) == ["380 billion yuan", "$52.44 billion"])
    }

    @Test func ambiguousDollarFollowsContext() {
        let sydney = Self.recognizer.recognize(ScalarText("SYDNEY (Reuters) - The Australian miner will spend $2 billion."))
        #expect(sydney.map(\.currency) == ["AUD"])
        let plain = Self.recognizer.recognize(ScalarText("The company will spend $2 billion."))
        #expect(plain.map(\.currency) == ["USD"])
    }

    @Test func yenSignFollowsChineseOrJapaneseContext() {
        #expect(Self.recognizer.recognize(ScalarText("Tokyo-based Sony paid ¥500 billion.")).map(\.currency) == ["JPY"])
        #expect(Self.recognizer.recognize(ScalarText("The Beijing firm, priced in yuan, raised ¥500 million.")).map(\.currency) == ["CNY"])
    }

    @Test func offsetsAreCodePointsAfterAstralCharacters() throws {
        let text = ScalarText("🇨🇳🚀 投资3800亿元 and $5 billion")
        for amount in Self.recognizer.recognize(text) {
            #expect(text[amount.start..<amount.end] == amount.text)
        }
        #expect(Self.recognizer.recognize(text).count == 2)
    }
}

import NewsCore
import NewsExtract
import NewsTestSupport
import Testing

/// The money recognizer over the real data files in pipelines/money, one table per family of phrasings.
///
/// Each case is a text and every amount expected in it, written `span | value | currency` with optional
/// `| qualifier=…`, `| max=…`, `| per=…`. A case with no expectations must find nothing.
@Suite struct MoneyRecognizerTests {
    static let recognizer: MoneyRecognizer = {
        do {
            let functionWords = Set(try DataFile.words(repoPath("pipelines/text/stopwords-en.txt")))
            return MoneyRecognizer(data: try MoneyData.load(folder: repoPath("pipelines/money")), functionWords: functionWords)
        } catch {
            fatalError("pipelines/money does not load: \(error)")
        }
    }()

    typealias Case = (text: String, amounts: [String])

    static let symbols: [Case] = [
        ("Amazon will invest $50 billion in AI.", ["$50 billion | 50000000000 | USD"]),
        ("or $52.44 billion, over a three-year period", ["$52.44 billion | 52440000000 | USD"]),
        ("raised US$1.2bn from investors", ["US$1.2bn | 1200000000 | USD"]),
        ("sold for £3.5m last year", ["£3.5m | 3500000 | GBP"]),
        ("a HK$10 billion bond", ["HK$10 billion | 10000000000 | HKD"]),
        ("worth A$2.5 billion", ["A$2.5 billion | 2500000000 | AUD"]),
        ("a C$300 million deal", ["C$300 million | 300000000 | CAD"]),
        ("DBS raised S$1.5 billion", ["S$1.5 billion | 1500000000 | SGD"]),
        ("Fonterra paid NZ$8.20 per kilogram", ["NZ$8.20 | 8.2 | NZD | per=kilogram"]),
        ("Petrobras will spend R$ 20 billion", ["R$ 20 billion | 20000000000 | BRL"]),
        ("TSMC earned NT$325 billion", ["NT$325 billion | 325000000000 | TWD"]),
        ("€3 billion in cuts", ["€3 billion | 3000000000 | EUR"]),
        ("Sony paid ¥500 billion for the unit", ["¥500 billion | 500000000000 | JPY"]),
        ("Reliance will invest ₹75,000 crore", ["₹75,000 crore | 750000000000 | INR"]),
        ("Samsung set aside ₩2 trillion", ["₩2 trillion | 2000000000000 | KRW"]),
        ("a project worth Rs 500 crore", ["Rs 500 crore | 5000000000 | INR"]),
        ("priced at Rs. 1,250 per share", ["Rs. 1,250 | 1250 | INR | per=share"]),
        ("RM10 million in grants", ["RM10 million | 10000000 | MYR"]),
        ("a fee of 10$ per ticket", ["10$ | 10 | USD | per=ticket"]),
        ("it costs 20€ a night", ["20€ | 20 | EUR | per=night"]),
        ("a total of 3.14US$", ["3.14US$ | 3.14 | USD"]),
        ("US$ 3.14 each", ["US$ 3.14 | 3.14 | USD | per=each"]),
        ("paid U.S. $100 million", ["U.S. $100 million | 100000000 | USD"]),
        ("$ 20,000.00 $ 37,305.97 february expenses", ["$ 20,000.00 | 20000 | USD", "$ 37,305.97 | 37305.97 | USD"]),
    ]

    static let codes: [Case] = [
        ("priced at EUR 12.5 million", ["EUR 12.5 million | 12500000 | EUR"]),
        ("costs USD3.14 per unit", ["USD3.14 | 3.14 | USD | per=unit"]),
        ("a fine of 10 ILS", ["10 ILS | 10 | ILS"]),
        ("UBS cut CHF 300m of costs", ["CHF 300m | 300000000 | CHF"]),
        ("Toyota will spend JPY 1.2 trillion", ["JPY 1.2 trillion | 1200000000000 | JPY"]),
        ("They lost 75 USD million in three years.", ["75 USD million | 75000000 | USD"]),
        ("Refers to 48.5 MGBP purchase price already paid", ["48.5 MGBP | 48500000 | GBP"]),
        ("annual revenues of about MAUD 60", ["MAUD 60 | 60000000 | AUD | qualifier=approximately"]),
        ("a budget of kEUR 250", ["kEUR 250 | 250000 | EUR"]),
        ("GBP3.01 and CAD 3.03", ["GBP3.01 | 3.01 | GBP", "CAD 3.03 | 3.03 | CAD"]),
        ("Pay Kiran 10eur", ["10eur | 10 | EUR"]),
        ("a CNY 5 billion loan", ["CNY 5 billion | 5000000000 | CNY"]),
        ("a RMB500 million fund", ["RMB500 million | 500000000 | CNY"]),
        ("a EUR 8.75 million bond", ["EUR 8.75 million | 8750000 | EUR"]),
        ("aud$ 15", ["aud$ 15 | 15 | AUD"]),
        ("nzd$15", ["nzd$15 | 15 | NZD"]),
    ]

    static let names: [Case] = [
        ("plans to spend at least 380 billion yuan, or", ["380 billion yuan | 380000000000 | CNY | qualifier=at_least"]),
        ("(approximately 50 billion euros) over", ["50 billion euros | 50000000000 | EUR | qualifier=approximately"]),
        ("levels exceeding 53 billion US dollars over", ["53 billion US dollars | 53000000000 | USD | qualifier=more_than"]),
        ("The figure of more than 53 billion dollars is", ["53 billion dollars | 53000000000 | USD | qualifier=more_than"]),
        ("raised 8 billion Hong Kong dollars", ["8 billion Hong Kong dollars | 8000000000 | HKD"]),
        ("125 million australian dollars of bonds", ["125 million australian dollars | 125000000 | AUD"]),
        ("a 30 billion renminbi fund", ["30 billion renminbi | 30000000000 | CNY"]),
        ("5 million pounds sterling", ["5 million pounds sterling | 5000000 | GBP"]),
        ("up to 5 trillion yen", ["5 trillion yen | 5000000000000 | JPY | qualifier=up_to"]),
        ("nearly 2 billion rupees", ["2 billion rupees | 2000000000 | INR | qualifier=nearly"]),
        ("a 1.5 billion ringgit contract", ["1.5 billion ringgit | 1500000000 | MYR"]),
        ("fined 2.3 trillion won", ["2.3 trillion won | 2300000000000 | KRW"]),
        ("a 40 billion roubles stake", ["40 billion roubles | 40000000000 | RUB"]),
        ("200 million Swiss francs", ["200 million Swiss francs | 200000000 | CHF"]),
        ("12 billion baht in loans", ["12 billion baht | 12000000000 | THB"]),
        ("3.2 billion rand of debt", ["3.2 billion rand | 3200000000 | ZAR"]),
        ("500 million dirhams", ["500 million dirhams | 500000000 | AED"]),
        ("42 qatari riyals", ["42 qatari riyals | 42 | QAR"]),
        ("42 Saudiriyal", ["42 Saudiriyal | 42 | SAR"]),
        ("malaysian ringgit 42", ["malaysian ringgit 42 | 42 | MYR"]),
        ("42 kuwaiti Dinar", ["42 kuwaiti Dinar | 42 | KWD"]),
        ("10 us dollar", ["10 us dollar | 10 | USD"]),
        ("They swapped Hong Kong dollars 5 times a day.", []),
    ]

    static let numberWords: [Case] = [
        ("ten pounds for a ticket", ["ten pounds | 10 | GBP"]),
        ("It costs a dollar.", ["a dollar | 1 | USD"]),
        ("two million dollars in cash", ["two million dollars | 2000000 | USD"]),
        ("half a billion dollars", ["half a billion dollars | 500000000 | USD"]),
        ("It costs quarter million us dollars.", ["quarter million us dollars | 250000 | USD"]),
        ("a quarter million euros", ["a quarter million euros | 250000 | EUR"]),
        ("twenty-five euros", ["twenty-five euros | 25 | EUR"]),
        ("one hundred and five dollars", ["one hundred and five dollars | 105 | USD"]),
        ("four crore rupees", ["four crore rupees | 40000000 | INR"]),
        ("ten tugriks", ["ten tugriks | 10 | MNT"]),
        ("a quarter of its revenue", []),
        ("one of the dollars", []),
        ("Adani Ports raised $750 mn through a dollar bond.", ["$750 mn | 750000000 | USD"]),
        ("The stock has traded below a dollar for 30 days.", ["a dollar | 1 | USD | qualifier=less_than"]),
        ("exactly dollars", []),
        ("ten $ later", []),
    ]

    static let scalesAndGrouping: [Case] = [
        ("a $500-million loan", ["$500-million | 500000000 | USD"]),
        ("$5m and $10k", ["$5m | 5000000 | USD", "$10k | 10000 | USD"]),
        ("$3.5mn and $2.1tn", ["$3.5mn | 3500000 | USD", "$2.1tn | 2100000000000 | USD"]),
        ("Rs 75 lakh", ["Rs 75 lakh | 7500000 | INR"]),
        ("Rs 1.2 lakh crore", ["Rs 1.2 lakh crore | 1200000000000 | INR"]),
        ("₹12,34,567", ["₹12,34,567 | 1234567 | INR"]),
        ("paid 1,234.56 euros", ["1,234.56 euros | 1234.56 | EUR"]),
        ("Rs 4,500 crore", ["Rs 4,500 crore | 45000000000 | INR"]),
    ]

    static let chinese: [Case] = [
        ("阿里巴巴将投资3800亿元用于人工智能", ["3800亿元 | 380000000000 | CNY"]),
        ("未来三年投入三千八百亿元", ["三千八百亿元 | 380000000000 | CNY"]),
        ("投资超过100亿美元", ["100亿美元 | 10000000000 | USD | qualifier=more_than"]),
        ("收入约５０万欧元", ["５０万欧元 | 500000 | EUR | qualifier=approximately"]),
        ("全年收入1.2万亿元", ["1.2万亿元 | 1200000000000 | CNY"]),
        ("公司拟募资人民币500万元", ["人民币500万元 | 5000000 | CNY"]),
        ("8亿元人民币", ["8亿元人民币 | 800000000 | CNY"]),
        ("人民币  50元", ["人民币  50元 | 50 | CNY"]),
        ("港幣3.14", ["港幣3.14 | 3.14 | HKD"]),
        ("融资20亿港元", ["20亿港元 | 2000000000 | HKD"]),
        ("东芝重组另需1万亿日元", ["1万亿日元 | 1000000000000 | JPY"]),
        ("亏损5000万英镑", ["5000万英镑 | 50000000 | GBP"]),
        ("台积电净利润为新台币3253亿元", ["新台币3253亿元 | 325300000000 | TWD"]),
        ("四十九兆九千五百九十二億元", ["四十九兆九千五百九十二億元 | 49959200000000 | CNY"]),
        ("这个手机壳花费你五美元和花费我三块", ["五美元 | 5 | USD", "三块 | 3 | CNY"]),
        ("4人民币 5美元", ["4人民币 | 4 | CNY", "5美元 | 5 | USD"]),
        ("2024年营收增长5%，位列世界500强第3名", []),
        ("人民币美元", []),
        ("三分之一的员工", []),
    ]

    static let minorUnits: [Case] = [
        ("Earnings were 50 cents a share", ["50 cents | 0.5 | USD | per=share"]),
        ("a stamp costs 10p", ["10p | 0.1 | GBP"]),
        ("it only cost 3 dollars 50 cents.", ["3 dollars 50 cents | 3.5 | USD"]),
        ("20 dollar 43", ["20 dollar 43 | 20.43 | USD"]),
        ("US$3 and fourteen", ["US$3 and fourteen | 3.14 | USD"]),
        ("3 GBP 1 pence", ["3 GBP 1 pence | 3.01 | GBP"]),
        ("3 GBP and one", ["3 GBP and one | 3.01 | GBP"]),
        ("20 ringgit and 43c", ["20 ringgit and 43c | 20.43 | MYR"]),
        ("it only cost thirteen dollars forty five", ["thirteen dollars forty five | 13.45 | USD"]),
        ("It may need one kuai and five mao five.", ["one kuai and five mao five | 1.55 | CNY"]),
        ("50元6角三分", ["50元6角三分 | 50.63 | CNY"]),
        ("这个手机壳五元三毛", ["五元三毛 | 5.3 | CNY"]),
        ("这台电脑两美元又三美分", ["两美元又三美分 | 2.03 | USD"]),
        ("10日元5日本銭", ["10日元5日本銭 | 10.05 | JPY"]),
        ("it sold 20 dollars a share", ["20 dollars | 20 | USD | per=share"]),
        ("paid $20, 43 employees said", ["$20 | 20 | USD"]),
        ("SINGAPORE, Feb 14 (Reuters) - DBS will pay 54 cents a share.", ["54 cents | 0.54 | SGD | per=share"]),
        ("DBS paid S$1.2 billion, or 54 cents a share.", ["S$1.2 billion | 1200000000 | SGD", "54 cents | 0.54 | SGD | per=share"]),
    ]

    static let rangesAndQualifiers: [Case] = [
        ("a deal valued at $5-7 million", ["$5-7 million | 5000000 | USD | max=7000000"]),
        ("between $2 billion to $3 billion", ["$2 billion to $3 billion | 2000000000 | USD | max=3000000000"]),
        ("$2-$3 billion", ["$2-$3 billion | 2000000000 | USD | max=3000000000"]),
        ("between $2 billion and $3 billion", ["$2 billion | 2000000000 | USD", "$3 billion | 3000000000 | USD"]),
        ("at least 380 billion yuan, or $52.44 billion, over", ["380 billion yuan | 380000000000 | CNY | qualifier=at_least", "$52.44 billion | 52440000000 | USD"]),
        ("cut its forecast by $1.5 billion to $58.5 billion", ["$1.5 billion | 1500000000 | USD", "$58.5 billion | 58500000000 | USD"]),
        ("shares rose from $5 to $7", ["$5 | 5 | USD", "$7 | 7 | USD"]),
        ("prices ranging from $15,000 to $20,000 a month", ["$15,000 to $20,000 | 15000 | USD | max=20000 | per=month"]),
        ("出售价格在3亿至5亿美元之间", ["3亿至5亿美元 | 300000000 | USD | max=500000000"]),
        ("净利润50亿元至55亿元", ["50亿元至55亿元 | 5000000000 | CNY | max=5500000000"]),
        ("about $5 million", ["$5 million | 5000000 | USD | qualifier=approximately"]),
        ("over $10 billion", ["$10 billion | 10000000000 | USD | qualifier=more_than"]),
        ("less than $1 million", ["$1 million | 1000000 | USD | qualifier=less_than"]),
        ("as much as $4 billion", ["$4 billion | 4000000000 | USD | qualifier=up_to"]),
        ("no more than $50,000 per violation", ["$50,000 | 50000 | USD | qualifier=at_most | per=violation"]),
        ("近50亿元", ["50亿元 | 5000000000 | CNY | qualifier=nearly"]),
        ("补贴最多1万元", ["1万元 | 10000 | CNY | qualifier=at_most"]),
    ]

    static let perUnits: [Case] = [
        ("Brent rose to $80 per barrel", ["$80 | 80 | USD | per=barrel"]),
        ("a $70-a-share offer", ["$70 | 70 | USD | per=share"]),
        ("分红5元/股", ["5元 | 5 | CNY | per=share"]),
        ("工商银行拟向股东每股派发现金红利0.3064元", ["0.3064元 | 0.3064 | CNY | per=share"]),
        ("up from $620m a year earlier", ["$620m | 620000000 | USD"]),
        ("$1.61 per million British thermal units", ["$1.61 | 1.61 | USD | per=mmBtu"]),
        ("about $15 an hour", ["$15 | 15 | USD | qualifier=approximately | per=hour"]),
    ]

    static let notMoney: [Case] = [
        ("The project is expected to begin in 2026 and add nearly 1.3 gigawatts of capacity.", []),
        ("Shares rose 5.5% and the S&P 500 gained; a Fortune 500 company bought a Boeing 737.", []),
        ("The rupee traded at 83 per dollar on Monday.", []),
        ("It has 3,000 employees and 12 offices.", []),
        ("by 2030, the Qwen3-Max model", []),
        ("Over 5,000 delegates attended COP28 in Dubai.", []),
        ("G20 leaders met; the FTSE 100 fell 20 points and the Nifty 50 rose.", []),
        ("the dollar rose 0.5% against the yen", []),
        ("dollar-denominated bonds", []),
        ("Airbus delivered 50 A320 jets; 7-Eleven opened 300 stores.", []),
        ("Call 1-800-555-0199 or see page 12.", []),
        ("A hash: 1234567890123456789012345678901234567890 USD", []),
    ]

    static let context: [Case] = [
        ("SYDNEY (Reuters) - The miner will spend $2 billion.", ["$2 billion | 2000000000 | AUD"]),
        ("TORONTO, May 3 (Reuters) - The bank earned $4 billion.", ["$4 billion | 4000000000 | CAD"]),
        ("SYDNEY (Reuters) - BHP posted A$1.5 billion ($1 billion) profit.", ["A$1.5 billion | 1500000000 | AUD", "$1 billion | 1000000000 | USD"]),
        ("The company will spend $2 billion in Australia.", ["$2 billion | 2000000000 | USD"]),
        ("Amazon to invest $10 billion in Singapore - sources\nThe plan was announced on Monday.", ["$10 billion | 10000000000 | USD"]),
        ("Tokyo-based Sony paid ¥500 billion.", ["¥500 billion | 500000000000 | JPY"]),
        ("The Beijing firm, priced in yuan, raised ¥500 million.", ["¥500 million | 500000000 | CNY"]),
        ("Egypt's central bank in Cairo printed 5 billion pounds.", ["5 billion pounds | 5000000000 | EGP"]),
        ("The British retailer lost 5 billion pounds.", ["5 billion pounds | 5000000000 | GBP"]),
        ("russia has accepted a us $ 150 million world bank loan", ["us $ 150 million | 150000000 | USD"]),
        ("mr . bowder said the c $ 300 million charge to earnings", ["c $ 300 million | 300000000 | CAD"]),
        ("The first prize is u.s $ 100,000,000, do you want it?", ["u.s $ 100,000,000 | 100000000 | USD"]),
        ("The acquisition cost us $5 million, Smith said.", ["$5 million | 5000000 | USD"]),
        ("won a $48.2 million army contract", ["$48.2 million | 48200000 | USD"]),
        ("country music ' s $ 500 million man", ["$ 500 million | 500000000 | USD"]),
    ]

    static let allFamilies: [(String, [Case])] = [
        ("symbols", symbols), ("codes", codes), ("names", names), ("number words", numberWords),
        ("scales and grouping", scalesAndGrouping), ("chinese", chinese), ("minor units", minorUnits),
        ("ranges and qualifiers", rangesAndQualifiers), ("per units", perUnits), ("not money", notMoney), ("context", context),
    ]

    @Test(arguments: allFamilies.flatMap { family in family.1.map { (family.0, $0.text, $0.amounts) } })
    func recognizes(family: String, input: String, expected: [String]) {
        let text = ScalarText(input)
        let found = Self.recognizer.recognize(text)
        let described = found.map(Self.describe)
        #expect(described == expected, "\(family): \(input)")
        for amount in found {
            #expect(text[amount.start..<amount.end] == amount.text)
        }
    }

    /// `span | value | currency` and the optional fields, in the tables' notation.
    static func describe(_ amount: MoneyMention) -> String {
        var fields = [amount.text, amount.value.description, amount.currency]
        if let qualifier = amount.qualifier { fields.append("qualifier=\(qualifier.rawValue)") }
        if let max = amount.valueMax { fields.append("max=\(max.description)") }
        if let per = amount.per { fields.append("per=\(per)") }
        return fields.joined(separator: " | ")
    }

    @Test func offsetsAreCodePointsAfterAstralCharacters() throws {
        let text = ScalarText("🇨🇳🚀 投资3800亿元 and $5 billion")
        let found = Self.recognizer.recognize(text)
        #expect(found.map(\.text) == ["3800亿元", "$5 billion"])
        for amount in found {
            #expect(text[amount.start..<amount.end] == amount.text)
        }
    }
}

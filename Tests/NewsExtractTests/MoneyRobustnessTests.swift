import Foundation
import NewsCore
@testable import NewsExtract
import NewsText
import Testing

/// Random and hostile text never crashes the money recognizer, every span it reports is real, and the work
/// grows linearly with the input.
@Suite struct MoneyRobustnessTests {
    /// Pieces that exercise every path: digits, separators, symbols, codes, scales, number words, Chinese.
    static let alphabet: [String] = [
        "$", "US$", "€", "£", "¥", "￥", "₹", "Rs", "RM", "HK$", "c $", "us $", "USD", "EUR", "MGBP", "aud$",
        "1", "0", "5", "12", "3.5", "1,234", "12,34,567", ".", ",", "-", "–", "~", "%", " ", "  ", "\n", "(", ")", "'",
        "million", "bn", "m", "k", "lakh", "crore", "lakh crore", "dollars", "euros", "yuan", "pounds", "cents", "p", "c",
        "a", "and", "to", "from", "by", "half", "quarter", "ten", "forty", "hundred", "about", "more than", "a share", "per",
        "元", "亿", "万", "美元", "人民币", "三", "千", "八", "百", "角", "分", "毛", "又", "至", "每股", "约", "１", "０",
        "SYDNEY (Reuters) - ", "Beijing", "Tokyo", "Australia", "🚀", "é", "\u{0301}", "\u{200B}", "\u{FFFD}",
    ]

    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            // SplitMix64: deterministic across runs and platforms.
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func check(_ input: String) {
        let text = ScalarText(input)
        var previousEnd = 0
        for amount in MoneyRecognizerTests.recognizer.recognize(text) {
            #expect(amount.start >= previousEnd && amount.start < amount.end && amount.end <= text.scalars.count)
            #expect(text[amount.start..<amount.end] == amount.text)
            #expect(amount.currency.count == 3 && amount.currency.allSatisfy(\.isUppercase))
            #expect(amount.value.doubleValue.isFinite)
            previousEnd = amount.end
        }
    }

    @Test func randomMixturesNeverCrashAndReportRealSpans() {
        var generator = Generator(state: 2026)
        for _ in 0..<1500 {
            let length = Int.random(in: 1...40, using: &generator)
            let input = (0..<length).map { _ in Self.alphabet.randomElement(using: &generator)! }.joined()
            Self.check(input)
        }
    }

    /// The recognizer passes over scalars where no number can start without asking at each one: the skip
    /// must stop at every digit, every scalar beyond ASCII and every letter that starts a word, and only there.
    @Test func theScanSkipStopsWhereANumberMayStart() {
        var generator = Generator(state: 7)
        let pieces = Self.alphabet + ["often", "Anna", "tenth", "café", "naïve ten", "x2", "2x", "ten-fold", "ΔTen", "e.g."]
        func mayStart(_ scalars: [Unicode.Scalar], _ k: Int) -> Bool {
            let scalar = scalars[k]
            if !scalar.isASCII || CharacterClass.isASCIIDigit(scalar) { return true }
            return CharacterClass.isLetter(scalar) && (k == 0 || !CharacterClass.isLetter(scalars[k - 1]))
        }
        for _ in 0..<400 {
            let length = Int.random(in: 1...30, using: &generator)
            let input = (0..<length).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let scan = Scan(text: ScalarText(input))
            for start in 0...scan.count {
                let expected = (start..<scan.count).first { mayStart(scan.scalars, $0) } ?? scan.count
                #expect(scan.nextPossibleNumberStart(from: start) == expected, "\(input.debugDescription) from \(start)")
            }
        }
    }

    @Test(arguments: [
        String(repeating: "$", count: 10_000),
        String(repeating: "9", count: 100_000),
        "$" + String(repeating: "9", count: 50_000) + " billion",
        String(repeating: "1,", count: 20_000),
        String(repeating: "$1 ", count: 10_000),
        String(repeating: "一", count: 50_000) + "元",
        String(repeating: "hundred ", count: 10_000) + "dollars",
        String(repeating: "million ", count: 5_000) + "dollars",
        "1" + String(repeating: " ", count: 50_000) + "dollars",
        String(repeating: "US$3 and ", count: 5_000),
        String(repeating: "5元6角", count: 10_000),
        String(repeating: "a ", count: 20_000) + "dollar",
        String(repeating: "🚀$1", count: 10_000),
    ])
    func adversarialInputsFinish(input: String) {
        Self.check(input)
    }

    /// Work per scalar must not grow with the input: 16 times the text may take at most ~3 times longer per
    /// scalar than the small one (a quadratic scan would take 16 times longer). Checked on the inputs most
    /// likely to go quadratic: many amounts, each with context to look at.
    @Test(arguments: ["$1 ", "SYDNEY (Reuters) - ¥5 ", "约5元 ", "pounds 5 ", "1 ", "$"])
    func workGrowsLinearly(unit: String) {
        func secondsPerScalar(_ repeats: Int) -> Double {
            let text = ScalarText(String(repeating: unit, count: repeats))
            let clock = ContinuousClock()
            var best = Double.infinity
            for _ in 0..<3 {
                let elapsed = clock.measure { _ = MoneyRecognizerTests.recognizer.recognize(text) }
                best = min(best, Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds))
            }
            return best / Double(text.scalars.count)
        }
        let small = secondsPerScalar(1_000)
        let large = secondsPerScalar(16_000)
        #expect(large < small * 3 + 1e-8, "per-scalar time grew from \(small) to \(large)")
    }
}

/// Entity types in schema v1.
public enum EntityLabel: String, Sendable, CaseIterable, Comparable {
    case person = "PERSON"
    case org = "ORG"
    case gpe = "GPE"
    case loc = "LOC"

    public static func < (lhs: EntityLabel, rhs: EntityLabel) -> Bool { lhs.rawValue < rhs.rawValue }
}

public struct EntityMention: Sendable, Hashable {
    public var text: String
    public var label: EntityLabel
    public var start: Int
    public var end: Int
    public var canonical: String

    public init(text: String, label: EntityLabel, start: Int, end: Int, canonical: String) {
        self.text = text
        self.label = label
        self.start = start
        self.end = end
        self.canonical = canonical
    }
}

/// A decimal number kept exact: `digits × 10^exponent`, so `52.44 billion` is 5244 × 10^7
/// and prints as `52440000000` with no binary floating-point residue.
public struct ExactDecimal: Sendable, Hashable, CustomStringConvertible {
    public var significand: Int64
    public var exponent: Int

    public static let zero = ExactDecimal(significand: 0)
    public static let one = ExactDecimal(significand: 1)

    public init(significand: Int64, exponent: Int = 0) {
        self.significand = significand
        self.exponent = exponent
        normalize()
    }

    /// Parses plain decimal notation (`"1234.56"`, `"0.01"`); nil for anything else.
    public init?(_ string: some StringProtocol) {
        var significand: Int64 = 0
        var exponent = 0
        var seenPoint = false
        var seenDigit = false
        for character in string {
            if character == "." {
                if seenPoint { return nil }
                seenPoint = true
                continue
            }
            guard let digit = character.wholeNumberValue, character.isASCII else { return nil }
            let (shifted, overflow1) = significand.multipliedReportingOverflow(by: 10)
            let (added, overflow2) = shifted.addingReportingOverflow(Int64(digit))
            if overflow1 || overflow2 {
                // Beyond 18 significant digits: drop precision, keep magnitude.
                if !seenPoint { exponent += 1 }
                seenDigit = true
                continue
            }
            significand = added
            if seenPoint { exponent -= 1 }
            seenDigit = true
        }
        guard seenDigit else { return nil }
        self.init(significand: significand, exponent: exponent)
    }

    private mutating func normalize() {
        if significand == 0 {
            exponent = 0
            return
        }
        while significand % 10 == 0 {
            significand /= 10
            exponent += 1
        }
    }

    public static func * (lhs: ExactDecimal, rhs: ExactDecimal) -> ExactDecimal {
        let (product, overflow) = lhs.significand.multipliedReportingOverflow(by: rhs.significand)
        if !overflow {
            return ExactDecimal(significand: product, exponent: lhs.exponent + rhs.exponent)
        }
        // Extremely long significands: fall back to a rounded product.
        let approx = Double(lhs.significand) * Double(rhs.significand)
        var exponent = lhs.exponent + rhs.exponent
        var scaled = approx
        while abs(scaled) >= 9e17 {
            scaled /= 10
            exponent += 1
        }
        return ExactDecimal(significand: Int64(scaled.rounded()), exponent: exponent)
    }

    public static func + (lhs: ExactDecimal, rhs: ExactDecimal) -> ExactDecimal {
        // Beyond 18 digits apart the smaller term is below the precision of the larger one.
        if lhs.significand == 0 || rhs.exponent - lhs.exponent > 18 { return rhs }
        if rhs.significand == 0 || lhs.exponent - rhs.exponent > 18 { return lhs }
        let exponent = min(lhs.exponent, rhs.exponent)
        func scaled(_ value: ExactDecimal) -> Int64 {
            var result = value.significand
            for _ in 0..<(value.exponent - exponent) { result = result &* 10 }
            return result
        }
        return ExactDecimal(significand: scaled(lhs) &+ scaled(rhs), exponent: exponent)
    }

    public var doubleValue: Double {
        var value = Double(significand)
        if exponent >= 0 {
            for _ in 0..<exponent { value *= 10 }
        } else {
            for _ in 0..<(-exponent) { value /= 10 }
        }
        return value
    }

    /// Plain decimal notation, never scientific: `52440000000`, `0.5`, `1234.56`.
    public var description: String {
        let negative = significand < 0
        var digits = String(significand.magnitude)
        if exponent >= 0 {
            digits += String(repeating: "0", count: exponent)
        } else {
            let fraction = -exponent
            if digits.count <= fraction {
                digits = String(repeating: "0", count: fraction - digits.count + 1) + digits
            }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -fraction))
        }
        return negative ? "-" + digits : digits
    }
}

/// How the text qualifies an amount ("approximately 50 billion euros").
public enum MoneyQualifier: String, Sendable, Hashable {
    case approximately
    case nearly
    case moreThan = "more_than"
    case atLeast = "at_least"
    case upTo = "up_to"
    case atMost = "at_most"
    case lessThan = "less_than"
}

public struct MoneyMention: Sendable, Hashable {
    public var text: String
    public var start: Int
    public var end: Int
    public var value: ExactDecimal
    /// The high end of a compact range (`$5-7 million`).
    public var valueMax: ExactDecimal?
    /// ISO 4217 code.
    public var currency: String
    public var qualifier: MoneyQualifier?
    /// The unit of a per-unit amount (`50 cents a share` → `share`).
    public var per: String?

    public init(
        text: String, start: Int, end: Int, value: ExactDecimal, valueMax: ExactDecimal? = nil, currency: String,
        qualifier: MoneyQualifier? = nil, per: String? = nil
    ) {
        self.text = text
        self.start = start
        self.end = end
        self.value = value
        self.valueMax = valueMax
        self.currency = currency
        self.qualifier = qualifier
        self.per = per
    }
}

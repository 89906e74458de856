public import NewsCore

/// Everything the money recognizer knows about currencies, loaded from `pipelines/money/`.
public struct MoneyData: Sendable {
    public enum FormKind: String, Sendable {
        /// `$`, `US$`, `€`, `Rs`: before the number, attached or not; a few also after (`5€`).
        case symbol
        /// `USD`, `EUR`, `RMB`: before or after, with or without a space.
        case code
        /// `dollars`, `US dollars`, `yuan`, `元`, `美元`: after the number.
        case name
    }

    public struct Form: Sendable {
        public var text: String
        public var code: String
        public var kind: FormKind
        /// Shared by several currencies; `code` is the default when context says nothing.
        public var ambiguous: Bool
        /// Letters must match in case (`RM`, `Rs`).
        public var cased: Bool
        /// An ordinary word too: accepted before a number only when attached to it (`R500`).
        public var weak: Bool
        /// Context comes from the article's dateline only, never from nearby words (`$`, `dollars`).
        public var datelineOnly: Bool
        /// Multiplies the amount: a scale glued to a code in finance notation (`MGBP`, `kEUR`).
        public var scale: ExactDecimal?

        public init(
            text: String, code: String, kind: FormKind, ambiguous: Bool = false, cased: Bool = false, weak: Bool = false,
            datelineOnly: Bool = false, scale: ExactDecimal? = nil
        ) {
            self.text = text
            self.code = code
            self.kind = kind
            self.ambiguous = ambiguous
            self.cased = cased
            self.weak = weak
            self.datelineOnly = datelineOnly
            self.scale = scale
        }
    }

    public struct ContextRule: Sendable {
        public var form: String
        public var word: String
        public var code: String

        public init(form: String, word: String, code: String) {
            self.form = form
            self.word = word
            self.code = code
        }
    }

    public struct Scale: Sendable {
        public var word: String
        public var multiplier: ExactDecimal
        public var cased: Bool
        /// Only valid directly after the digits (`5m`, `10k`).
        public var attached: Bool
        /// Also glued before an ISO code in finance notation (`48.5 MGBP`, `MAUD 60`).
        public var codePrefix: Bool

        public init(word: String, multiplier: ExactDecimal, cased: Bool = false, attached: Bool = false, codePrefix: Bool = false) {
            self.word = word
            self.multiplier = multiplier
            self.cased = cased
            self.attached = attached
            self.codePrefix = codePrefix
        }
    }

    public struct MinorUnit: Sendable {
        public var form: String
        public var code: String
        public var factor: ExactDecimal
        public var ambiguous: Bool
        public var attached: Bool
        public var cased: Bool

        public init(form: String, code: String, factor: ExactDecimal, ambiguous: Bool = false, attached: Bool = false, cased: Bool = false) {
            self.form = form
            self.code = code
            self.factor = factor
            self.ambiguous = ambiguous
            self.attached = attached
            self.cased = cased
        }
    }

    public enum NumberWordKind: String, Sendable {
        case unit, ten, multiplier
        /// `half`, `quarter`: only before a multiplier (`quarter million`, `half a billion`).
        case fraction
        case chineseDigit = "cn_digit"
        case chineseUnit = "cn_unit"
        case chineseBig = "cn_big"
    }

    public struct NumberWord: Sendable {
        public var word: String
        public var value: ExactDecimal
        public var kind: NumberWordKind

        public init(word: String, value: ExactDecimal, kind: NumberWordKind) {
            self.word = word
            self.value = value
            self.kind = kind
        }
    }

    /// What the word before an amount makes of `X to Y` (`change-words.tsv`).
    public enum ChangeKind: String, Sendable {
        /// Two amounts: `rose $5 to $7`, `cut by $1.5 billion to $58.5 billion`.
        case change
        /// One range: `ranging from $5 to $7`.
        case range
        /// Read on to the word before: `from`.
        case skip
    }

    public var forms: [Form]
    public var context: [ContextRule]
    public var scales: [Scale]
    public var minorUnits: [MinorUnit]
    public var numberWords: [NumberWord]
    public var qualifiers: [String: MoneyQualifier]
    public var perUnits: [String: String]
    /// ISO code → digits of the minor unit (2 for USD, 0 for JPY).
    public var minorDigits: [String: Int]
    public var changeWords: [String: ChangeKind]

    public init(
        forms: [Form], context: [ContextRule] = [], scales: [Scale], minorUnits: [MinorUnit] = [],
        numberWords: [NumberWord] = [], qualifiers: [String: MoneyQualifier] = [:], perUnits: [String: String] = [:],
        minorDigits: [String: Int] = [:], changeWords: [String: ChangeKind] = [:]
    ) {
        self.forms = forms
        self.context = context
        self.scales = scales
        self.minorUnits = minorUnits
        self.numberWords = numberWords
        self.qualifiers = qualifiers
        self.perUnits = perUnits
        self.minorDigits = minorDigits
        self.changeWords = changeWords
    }
}

extension MoneyData {
    /// Loads the files of `pipelines/money/` (formats in its README).
    public static func load(folder: String) throws(DataFileError) -> MoneyData {
        let path = { (name: String) in folder.hasSuffix("/") ? folder + name : folder + "/" + name }

        var minorDigits: [String: Int] = [:]
        for row in try DataFile.rows(path("currencies.tsv"), minColumns: 3, maxColumns: 3, flagsColumn: 99) {
            guard let digits = Int(row[1]) else { throw row.error("minor_digits \"\(row[1])\" is not a whole number") }
            minorDigits[row[0]] = digits
        }
        func checkCode(_ code: String, _ row: DataRow) throws(DataFileError) {
            guard minorDigits[code] != nil else { throw row.error("\"\(code)\" is not an ISO 4217 code listed in currencies.tsv") }
        }

        var forms: [Form] = []
        for row in try DataFile.rows(path("currency-forms.tsv"), minColumns: 3, maxColumns: 4) {
            guard let kind = FormKind(rawValue: row[2]) else { throw row.error("unknown kind \"\(row[2])\" (symbol, code or name)") }
            try checkCode(row[1], row)
            let flags = row.flags
            forms.append(
                Form(
                    text: row[0], code: row[1], kind: kind, ambiguous: flags.contains("ambiguous"),
                    cased: flags.contains("cased"), weak: flags.contains("weak"), datelineOnly: flags.contains("dateline")))
        }

        var context: [ContextRule] = []
        for row in try DataFile.rows(path("currency-context.tsv"), minColumns: 3, maxColumns: 3, flagsColumn: 99) {
            try checkCode(row[2], row)
            context.append(ContextRule(form: row[0], word: row[1], code: row[2]))
        }

        var scales: [Scale] = []
        for row in try DataFile.rows(path("scales.tsv"), minColumns: 2, maxColumns: 3) {
            guard let multiplier = ExactDecimal(row[1]) else { throw row.error("multiplier \"\(row[1])\" is not a number") }
            let flags = row.flags
            scales.append(
                Scale(
                    word: row[0], multiplier: multiplier, cased: flags.contains("cased"), attached: flags.contains("attached"),
                    codePrefix: flags.contains("code_prefix")))
        }

        var minorUnits: [MinorUnit] = []
        for row in try DataFile.rows(path("minor-units.tsv"), minColumns: 3, maxColumns: 4) {
            guard let factor = ExactDecimal(row[2]) else { throw row.error("factor \"\(row[2])\" is not a number") }
            try checkCode(row[1], row)
            let flags = row.flags
            minorUnits.append(
                MinorUnit(
                    form: row[0], code: row[1], factor: factor, ambiguous: flags.contains("ambiguous"),
                    attached: flags.contains("attached"), cased: flags.contains("cased")))
        }

        var numberWords: [NumberWord] = []
        for row in try DataFile.rows(path("number-words.tsv"), minColumns: 3, maxColumns: 3, flagsColumn: 99) {
            guard let value = ExactDecimal(row[1]) else { throw row.error("value \"\(row[1])\" is not a number") }
            guard let kind = NumberWordKind(rawValue: row[2]) else { throw row.error("unknown kind \"\(row[2])\"") }
            numberWords.append(NumberWord(word: row[0], value: value, kind: kind))
        }

        var qualifiers: [String: MoneyQualifier] = [:]
        for row in try DataFile.rows(path("qualifiers.tsv"), minColumns: 2, maxColumns: 2, flagsColumn: 99) {
            guard let qualifier = MoneyQualifier(rawValue: row[1]) else {
                throw row.error("unknown qualifier \"\(row[1])\" (approximately, nearly, more_than, at_least, up_to, at_most, less_than)")
            }
            qualifiers[row[0].lowercased()] = qualifier
        }

        var perUnits: [String: String] = [:]
        for row in try DataFile.rows(path("per-units.tsv"), minColumns: 2, maxColumns: 2, flagsColumn: 99) {
            perUnits[row[0].lowercased()] = row[1]
        }
        var changeWords: [String: ChangeKind] = [:]
        for row in try DataFile.rows(path("change-words.tsv"), minColumns: 2, maxColumns: 2, flagsColumn: 99) {
            guard let kind = ChangeKind(rawValue: row[1]) else { throw row.error("unknown kind \"\(row[1])\" (change, range, skip)") }
            changeWords[row[0].lowercased()] = kind
        }
        return MoneyData(
            forms: forms, context: context, scales: scales, minorUnits: minorUnits, numberWords: numberWords,
            qualifiers: qualifiers, perUnits: perUnits, minorDigits: minorDigits, changeWords: changeWords)
    }
}

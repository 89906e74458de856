public import NewsCore
public import NewsIngest
public import NewsExtract
internal import NewsHTML
internal import NewsRuntime
internal import NewsText

/// A loaded pipeline: every stage built from its definition and data files, ready to run.
/// Loading does all validation, so a bad definition or data file fails before any input is read.
public struct Pipeline: Sendable {
    public let definition: PipelineDefinition
    public let stamp: PipelineStamp
    let read: ItemReader
    /// Reads single files for `cleanedPage` (`extract-html`).
    let fileReader: FileReader
    let decode: ByteDecoder
    let clean: CleanStage
    let text: TextStage
    let entities: EntityStage?
    let money: MoneyStage?
    let encode: EncodeStage

    /// Builds the pipeline; errors name the definition key or the data file and line.
    public static func load(path: String) throws(PipelineLoadError) -> Pipeline {
        let definition: PipelineDefinition
        do {
            definition = try PipelineDefinition.load(path: path)
        } catch {
            throw .config(error)
        }
        do {
            return try Pipeline(definition: definition)
        } catch {
            throw .data(error)
        }
    }

    init(definition: PipelineDefinition) throws(DataFileError) {
        self.definition = definition
        stamp = PipelineStamp(name: definition.name, version: definition.version)
        read = ItemReader()
        fileReader = FileReader(maxBytes: definition.read.maxBytes)
        decode = ByteDecoder()
        clean = CleanStage(
            html: HTMLCleaner(
                droppedElements: definition.clean.dropElements.map(Set.init) ?? HTMLCleaner.defaultDroppedElements,
                boilerplateMarkers: try definition.clean.boilerplateMarkers.map(DataFile.words) ?? [],
                contentMarkers: try definition.clean.contentMarkers.map(DataFile.words) ?? [],
                byline: try Self.bylineVocabulary(definition.clean), maxDepth: definition.clean.maxDepth),
            plainText: PlainTextCleaner())

        let tokenizer = Tokenizer(abbreviations: Set(try DataFile.words(definition.text.abbreviations)))
        var stopwords: [String: Set<String>] = [:]
        for (language, file) in definition.text.stopwords {
            stopwords[language] = Set(try DataFile.words(file).map { $0.lowercased() })
        }
        text = TextStage(tokenizer: tokenizer, splitter: SentenceSplitter(), guesser: LanguageGuesser(stopwords: stopwords))

        if let settings = definition.entities {
            let entries = try LexiconLoader.load(settings.lexicons)
            func words(_ list: PipelineDefinition.Entities.WordList) throws(DataFileError) -> [String] {
                var result: [String] = []
                for file in settings.wordLists[list] ?? [] { result += try DataFile.words(file) }
                return result
            }
            var cues = EntityCues()
            cues.personTitles = try words(.personTitles)
            let sets: [(PipelineDefinition.Entities.WordList, WritableKeyPath<EntityCues, Set<String>>)] = [
                (.givenNames, \.givenNames), (.ambiguousGivenNames, \.ambiguousGivenNames), (.surnames, \.surnames),
                (.orgSuffixes, \.orgSuffixes), (.legalForms, \.legalForms), (.commonWords, \.commonWords), (.personFollowers, \.personFollowers),
                (.nonEntityWords, \.nonEntityWords), (.placeWords, \.placeWords), (.placeModifiers, \.placeModifiers),
                (.placePrepositions, \.placePrepositions), (.nameParticles, \.nameParticles), (.eventWords, \.eventWords),
            ]
            for (list, cue) in sets { cues[keyPath: cue] = Set(try words(list)) }
            let functionWords = Set(try words(.functionWords).map { $0.lowercased() })
            entities = EntityStage(
                recognizer: EntityRecognizer(entries: entries, cues: cues, functionWords: functionWords, tokenizer: tokenizer))
        } else {
            entities = nil
        }
        money = try definition.money.map { settings throws(DataFileError) in
            MoneyStage(recognizer: MoneyRecognizer(data: try MoneyData.load(folder: settings.data), functionWords: stopwords["en"] ?? []))
        }
        encode = EncodeStage(stamp: stamp)
    }

    /// Month names and byline word lists of the `clean` stage; lists left out are empty.
    private static func bylineVocabulary(_ clean: PipelineDefinition.Clean) throws(DataFileError) -> BylineVocabulary {
        var months: [String: Int] = [:]
        if let path = clean.monthNames {
            for row in try DataFile.rows(path, minColumns: 2, maxColumns: 2) {
                guard let month = Int(row[1]), (1...12).contains(month) else { throw row.error("month must be 1–12, not \(row[1])") }
                months[row[0].lowercased()] = month
            }
        }
        return BylineVocabulary(
            monthNames: months, nameStopWords: Set(try clean.bylineStopWords.map(DataFile.words) ?? []),
            nonNames: Set(try clean.bylineNonNames.map(DataFile.words) ?? []))
    }

    /// The limits of the definition's `read` stage.
    public var ingestLimits: IngestLimits {
        IngestLimits(maxArticleBytes: definition.read.maxBytes, maxArchiveBytes: definition.read.maxArchiveBytes)
    }

    /// The money recognizer as loaded (nil when the stage is off), for benchmarks that time it alone.
    public var moneyRecognizer: MoneyRecognizer? { money?.recognizer }

    /// The entity recognizer as loaded (nil when the stage is off), for benchmarks that time it alone.
    public var entityRecognizer: EntityRecognizer? { entities?.recognizer }

    /// Tokens and sentences of plain text, as the recognizers receive them.
    public func textUnits(_ input: String) -> AnalyzedArticle {
        text.process(CleanArticle(id: "", source: SourceRef(path: "-"), text: input))
    }

    /// The stages in order, for the staged runtime; disabled analysis stages are left out.
    var chain: StageChain<IngestedItem, EncodedRecord> {
        var analysis = StageChain(read).then(decode).then(clean).then(text)
        if let entities { analysis = analysis.then(entities) }
        if let money { analysis = analysis.then(money) }
        return analysis.then(encode)
    }

    /// Runs the text and recognizer stages on text that needs no cleaning (the `annotate` command and tests).
    public func annotate(text input: String) -> (entities: [EntityMention], money: [MoneyMention]) {
        let article = analyze(CleanArticle(id: "", source: SourceRef(path: "-"), text: input))
        return (article.entities, article.money)
    }

    /// Runs every stage on one article in the calling thread (the `extract` command and tests).
    public func process(_ raw: RawArticle) throws(StageError) -> ArticleRecord {
        ArticleRecord(analyze(try clean.process(try decode.process(raw))), pipeline: stamp)
    }

    /// Reads, decodes and cleans one HTML page: its text and metadata before any recognizer (`extract-html`).
    public func cleanedPage(_ item: InputItem) throws(StageError) -> CleanArticle {
        try cleanedPage(try fileReader.process(item))
    }

    /// Decodes and cleans bytes as an HTML page (`extract-html` and the extraction benchmark).
    public func cleanedPage(_ raw: RawArticle) throws(StageError) -> CleanArticle {
        var raw = raw
        raw.formatHint = .html
        return try clean.process(try decode.process(raw))
    }

    /// The text stage and the enabled recognizers, in chain order.
    private func analyze(_ article: CleanArticle) -> AnalyzedArticle {
        var analyzed = text.process(article)
        if let entities { analyzed = entities.process(analyzed) }
        if let money { analyzed = money.process(analyzed) }
        return analyzed
    }
}

public enum PipelineLoadError: Error, Sendable, CustomStringConvertible {
    case config(ConfigError)
    case data(DataFileError)

    public var description: String {
        switch self {
        case .config(let error): return error.description
        case .data(let error): return error.description
        }
    }
}

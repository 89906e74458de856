public import NewsCore
internal import NewsExtract
internal import NewsHTML
internal import NewsText

/// Stage `clean`: HTML through the HTML cleaner, plain text through the text cleaner.
public struct CleanStage: Stage {
    public let name = "clean"
    let html: HTMLCleaner
    let plainText: PlainTextCleaner

    public func process(_ article: DecodedArticle) throws(StageError) -> CleanArticle {
        var clean = article.format == .html ? try html.clean(article) : plainText.clean(article)
        if let supplied = article.supplied {
            if let title = supplied.title, supplied.overridesPage || clean.title == nil { clean.title = title }
            if let published = supplied.published, supplied.overridesPage || clean.published == nil { clean.published = published }
        }
        if clean.text.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) {
            // The warnings say why, when something did (`html_truncated`: the parser stopped early).
            let reasons = clean.warnings.map { "\($0.code): \($0.message)" }
            throw StageError(
                stage: name, code: .emptyContent,
                message: (["no text left after cleaning"] + reasons).joined(separator: "; "))
        }
        return clean
    }
}

/// Stage `text`: tokens, sentences, and the language when the page did not declare one.
public struct TextStage: Stage {
    public let name = "text"
    let tokenizer: Tokenizer
    let splitter: SentenceSplitter
    let guesser: LanguageGuesser

    public func process(_ article: CleanArticle) -> AnalyzedArticle {
        let text = ScalarText(article.text)
        let tokens = tokenizer.tokenize(text)
        var analyzed = AnalyzedArticle(article: article, text: text, tokens: tokens, sentences: splitter.split(tokens))
        if analyzed.article.language == nil { analyzed.article.language = guesser.guess(tokens, in: text) }
        return analyzed
    }
}

/// Stage `entities`: people, organisations and places.
public struct EntityStage: Stage {
    public let name = "entities"
    let recognizer: EntityRecognizer

    public func process(_ article: AnalyzedArticle) -> AnalyzedArticle {
        var result = article
        result.entities = recognizer.recognize(text: article.text, tokens: article.tokens, sentences: article.sentences)
        return result
    }
}

/// Stage `money`: amounts with value and currency.
public struct MoneyStage: Stage {
    public let name = "money"
    let recognizer: MoneyRecognizer

    public func process(_ article: AnalyzedArticle) -> AnalyzedArticle {
        var result = article
        result.money = recognizer.recognize(article.text)
        return result
    }
}

/// A record ready to write, with the counts the run summary needs.
public struct EncodedRecord: Sendable {
    /// The record's JSON line in UTF-8, without the newline.
    public var line: [UInt8]
    public var entities: Int
    public var money: Int
    public var inputBytes: Int
}

/// Stage `encode`: the schema v1 JSON line, built on a worker so the writer only writes.
public struct EncodeStage: Stage {
    public let name = "encode"
    let stamp: PipelineStamp

    public func process(_ article: AnalyzedArticle) -> EncodedRecord {
        EncodedRecord(
            line: ArticleRecord(article, pipeline: stamp).jsonBytes(), entities: article.entities.count, money: article.money.count,
            inputBytes: article.article.inputBytes)
    }
}

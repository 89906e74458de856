/// The pipeline that produced a record, as named in its definition file.
public struct PipelineStamp: Sendable, Hashable {
    public var name: String
    public var version: String

    public init(name: String, version: String) {
        self.name = name
        self.version = version
    }
}

/// One output record, schema v1 (see `schema/record.schema.json`).
public struct ArticleRecord: Sendable {
    public static let schemaVersion = 1

    public var article: CleanArticle
    public var entities: [EntityMention]
    public var money: [MoneyMention]
    public var tokenCount: Int
    public var sentenceCount: Int
    public var pipeline: PipelineStamp

    public init(
        article: CleanArticle, entities: [EntityMention], money: [MoneyMention], tokenCount: Int, sentenceCount: Int,
        pipeline: PipelineStamp
    ) {
        self.article = article
        self.entities = entities
        self.money = money
        self.tokenCount = tokenCount
        self.sentenceCount = sentenceCount
        self.pipeline = pipeline
    }

    /// The record of an analysed article.
    public init(_ analyzed: AnalyzedArticle, pipeline: PipelineStamp) {
        self.init(
            article: analyzed.article, entities: analyzed.entities, money: analyzed.money,
            tokenCount: analyzed.tokens.count, sentenceCount: analyzed.sentences.count, pipeline: pipeline)
    }

    /// One JSON line, without the trailing newline. Key order is part of the schema.
    public func jsonLine() -> String { String(decoding: jsonBytes(), as: UTF8.self) }

    /// `jsonLine()` as UTF-8 bytes, for the batch writer.
    public func jsonBytes() -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.field("id", article.id)
        json.key("source")
        Self.write(article.source, to: &json)
        json.field("title", article.title)
        json.field("description", article.description)
        json.field("published", article.published)
        json.field("modified", article.modified)
        json.key("authors")
        if article.authors.isEmpty {
            json.null()
        } else {
            json.beginArray()
            for author in article.authors { json.string(author) }
            json.endArray()
        }
        json.field("site_name", article.siteName)
        json.field("language", article.language)
        json.field("text", article.text)
        json.key("entities")
        Self.write(entities, to: &json)
        json.key("money")
        Self.write(money, to: &json)
        json.key("stats")
        json.beginObject()
        json.field("tokens", tokenCount)
        json.field("sentences", sentenceCount)
        json.endObject()
        json.key("warnings")
        Self.write(article.warnings, to: &json)
        json.key("pipeline")
        Self.write(pipeline, to: &json)
        json.endObject()
        return json.outputBytes
    }

    /// `"entities":[…],"money":[…]` exactly as in a record, for tools that add mentions to other JSON.
    public static func mentionFields(entities: [EntityMention], money: [MoneyMention]) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.key("entities")
        write(entities, to: &json)
        json.key("money")
        write(money, to: &json)
        json.endObject()
        return String(json.output.dropFirst().dropLast())
    }

    static func write(_ entities: [EntityMention], to json: inout JSONWriter) {
        json.beginArray()
        for entity in entities {
            json.beginObject()
            json.field("text", entity.text)
            json.field("label", entity.label.rawValue)
            json.field("start", entity.start)
            json.field("end", entity.end)
            json.field("canonical", entity.canonical)
            json.endObject()
        }
        json.endArray()
    }

    static func write(_ money: [MoneyMention], to json: inout JSONWriter) {
        json.beginArray()
        for amount in money {
            json.beginObject()
            json.field("text", amount.text)
            json.field("start", amount.start)
            json.field("end", amount.end)
            json.key("value")
            json.decimal(amount.value)
            if let high = amount.valueMax {
                json.key("value_max")
                json.decimal(high)
            }
            json.field("currency", amount.currency)
            if let qualifier = amount.qualifier { json.field("qualifier", qualifier.rawValue) }
            if let per = amount.per { json.field("per", per) }
            json.endObject()
        }
        json.endArray()
    }

    static func write(_ source: SourceRef, to json: inout JSONWriter) {
        json.beginObject()
        if let path = source.path { json.field("path", path) }
        if let url = source.url { json.field("url", url) }
        if let member = source.member { json.field("member", member) }
        if let line = source.line { json.field("line", line) }
        if let record = source.record { json.field("record", record) }
        if let fetched = source.fetched { json.field("fetched", fetched) }
        if let canonical = source.canonicalURL { json.field("canonical_url", canonical) }
        if let finalURL = source.finalURL { json.field("final_url", finalURL) }
        if let status = source.httpStatus { json.field("http_status", status) }
        if let contentType = source.contentType { json.field("content_type", contentType) }
        if let feed = source.feed {
            json.key("feed")
            json.beginObject()
            json.field("url", feed.url)
            if let id = feed.id { json.field("id", id) }
            if let title = feed.title { json.field("title", title) }
            if let published = feed.published { json.field("published", published) }
            if let summary = feed.summary { json.field("summary", summary) }
            json.endObject()
        }
        json.endObject()
    }

    static func write(_ warnings: [RecordWarning], to json: inout JSONWriter) {
        json.beginArray()
        for warning in warnings {
            json.beginObject()
            json.field("code", warning.code)
            json.field("message", warning.message)
            json.endObject()
        }
        json.endArray()
    }

    static func write(_ pipeline: PipelineStamp, to json: inout JSONWriter) {
        json.beginObject()
        json.field("name", pipeline.name)
        json.field("version", pipeline.version)
        json.endObject()
    }
}

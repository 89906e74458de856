/// Where an article came from. Exactly what lands in the record's `source` object.
public struct SourceRef: Sendable, Hashable {
    public var path: String?
    public var url: String?
    /// The member name inside an archive; `outer.zip!/inner.html` inside a nested archive.
    public var member: String?
    /// The line number inside a JSON Lines dump (from 1).
    public var line: Int?
    /// The WARC-Record-ID of a WARC record.
    public var record: String?
    /// When a crawler fetched the page (WARC-Date), ISO 8601.
    public var fetched: String?
    /// The page's own canonical URL, when the HTML declares one.
    public var canonicalURL: String?
    /// Where a fetch ended after redirects, when that is not `url`.
    public var finalURL: String?
    /// The HTTP status of the response (a fetch, a WARC response); in an error record, the status that failed.
    public var httpStatus: Int?
    /// The media type of the response (`text/html`).
    public var contentType: String?
    /// The feed or sitemap entry that led to the page.
    public var feed: FeedEntryRef?

    public init(
        path: String? = nil, url: String? = nil, member: String? = nil, line: Int? = nil, record: String? = nil,
        fetched: String? = nil, canonicalURL: String? = nil, finalURL: String? = nil, httpStatus: Int? = nil,
        contentType: String? = nil, feed: FeedEntryRef? = nil
    ) {
        self.path = path
        self.url = url
        self.member = member
        self.line = line
        self.record = record
        self.fetched = fetched
        self.canonicalURL = canonicalURL
        self.finalURL = finalURL
        self.httpStatus = httpStatus
        self.contentType = contentType
        self.feed = feed
    }

    /// A short human-readable location for messages.
    public var display: String {
        var location = path ?? url ?? "<unknown>"
        if let member { location += "#\(member)" }
        if let line { location += ":\(line)" }
        if let record { location += "#\(record)" }
        return location
    }
}

/// A feed item or sitemap entry as the feed described it; the page's own metadata may differ.
public struct FeedEntryRef: Sendable, Hashable {
    /// The feed or sitemap's URL.
    public var url: String
    /// RSS `guid` or Atom `id`.
    public var id: String?
    public var title: String?
    /// ISO 8601.
    public var published: String?
    /// Plain text.
    public var summary: String?

    public init(url: String, id: String? = nil, title: String? = nil, published: String? = nil, summary: String? = nil) {
        self.url = url
        self.id = id
        self.title = title
        self.published = published
        self.summary = summary
    }
}

/// Where an item sits in a run's input: the command-line input it came from and its place among the items
/// read from that input. The same inputs give the same positions, which is what lets a run resume.
public struct ItemPosition: Sendable, Hashable, Comparable, Codable {
    public var input: Int
    public var ordinal: Int

    public init(input: Int, ordinal: Int) {
        self.input = input
        self.ordinal = ordinal
    }

    public static func < (a: ItemPosition, b: ItemPosition) -> Bool {
        (a.input, a.ordinal) < (b.input, b.ordinal)
    }
}

/// Metadata that came with the content rather than from it: a JSON Lines row's `title`, which wins over
/// what the page says, or a feed item's, which only fills what the page leaves out.
public struct SuppliedMetadata: Sendable, Hashable {
    public var title: String?
    public var published: String?
    public var overridesPage: Bool

    public init(title: String? = nil, published: String? = nil, overridesPage: Bool = true) {
        self.title = title
        self.published = published
        self.overridesPage = overridesPage
    }
}

/// The shape of an input's content, as far as ingest can tell.
public enum ContentFormat: String, Sendable {
    case html
    case text
}

/// A non-fatal problem noticed while processing an article; it is kept in the record.
public struct RecordWarning: Sendable, Hashable {
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}

/// Bytes as read from an input, before decoding.
public struct RawArticle: Sendable {
    public var source: SourceRef
    public var bytes: [UInt8]
    public var formatHint: ContentFormat?
    /// The charset the transport declared (an HTTP `Content-Type` header), which outranks the page's own.
    public var declaredCharset: String?
    public var supplied: SuppliedMetadata?

    public init(
        source: SourceRef, bytes: [UInt8], formatHint: ContentFormat? = nil, declaredCharset: String? = nil,
        supplied: SuppliedMetadata? = nil
    ) {
        self.source = source
        self.bytes = bytes
        self.formatHint = formatHint
        self.declaredCharset = declaredCharset
        self.supplied = supplied
    }
}

/// Content decoded to a Swift string, with the stable id computed from the raw bytes.
public struct DecodedArticle: Sendable {
    public var id: String
    public var source: SourceRef
    public var content: String
    public var format: ContentFormat
    public var warnings: [RecordWarning]
    /// Size of the input in bytes, for throughput figures.
    public var inputBytes: Int
    public var supplied: SuppliedMetadata?

    public init(
        id: String, source: SourceRef, content: String, format: ContentFormat, warnings: [RecordWarning], inputBytes: Int = 0,
        supplied: SuppliedMetadata? = nil
    ) {
        self.inputBytes = inputBytes
        self.supplied = supplied
        self.id = id
        self.source = source
        self.content = content
        self.format = format
        self.warnings = warnings
    }
}

/// The cleaned article text and the metadata found around it.
public struct CleanArticle: Sendable {
    public var id: String
    public var source: SourceRef
    public var title: String?
    public var description: String?
    public var published: String?
    /// When the page says it was last changed.
    public var modified: String?
    /// Author names from the page's metadata or byline; empty when it names none.
    public var authors: [String]
    public var siteName: String?
    public var language: String?
    public var text: String
    public var warnings: [RecordWarning]
    /// Size of the input in bytes, for throughput figures.
    public var inputBytes: Int

    public init(
        id: String, source: SourceRef, title: String? = nil, description: String? = nil, published: String? = nil,
        modified: String? = nil, authors: [String] = [], siteName: String? = nil, language: String? = nil,
        text: String, warnings: [RecordWarning] = [], inputBytes: Int = 0
    ) {
        self.inputBytes = inputBytes
        self.id = id
        self.source = source
        self.title = title
        self.description = description
        self.published = published
        self.modified = modified
        self.authors = authors
        self.siteName = siteName
        self.language = language
        self.text = text
        self.warnings = warnings
    }
}

/// An article after the text stages: tokens, sentences and the mentions found so far.
public struct AnalyzedArticle: Sendable {
    public var article: CleanArticle
    public var text: ScalarText
    public var tokens: [Token]
    public var sentences: [Sentence]
    public var entities: [EntityMention]
    public var money: [MoneyMention]

    public init(article: CleanArticle, text: ScalarText, tokens: [Token], sentences: [Sentence]) {
        self.article = article
        self.text = text
        self.tokens = tokens
        self.sentences = sentences
        self.entities = []
        self.money = []
    }
}

/// What a failed item can tell about itself for its error record.
public protocol ArticleContext {
    var contextSource: SourceRef { get }
    var contextID: String? { get }
}

extension RawArticle: ArticleContext {
    public var contextSource: SourceRef { source }
    public var contextID: String? { articleID(for: bytes) }
}

extension DecodedArticle: ArticleContext {
    public var contextSource: SourceRef { source }
    public var contextID: String? { id }
}

extension CleanArticle: ArticleContext {
    public var contextSource: SourceRef { source }
    public var contextID: String? { id }
}

extension AnalyzedArticle: ArticleContext {
    public var contextSource: SourceRef { article.source }
    public var contextID: String? { article.id }
}

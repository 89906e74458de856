internal import Foundation
public import NewsCore

/// Stage `read`: an ingested item to the article bytes the pipeline decodes. A document passes through, a
/// JSON Lines row is parsed here (on a worker, not on the thread that reads the input), and an item that
/// could not be read fails with the reader's error.
public struct ItemReader: Stage {
    public let name = "read"

    public init() {}

    public func process(_ item: IngestedItem) throws(StageError) -> RawArticle {
        switch item {
        case .article(let article):
            return article
        case .failed(_, let error):
            throw error
        case .row(let row):
            return try Self.article(fromRow: row)
        }
    }

    /// A row such as `{"url": …, "title": …, "published": …, "html": …}` or `{"text": …}`: the content is
    /// already Unicode, so a `<meta charset>` inside the HTML no longer applies. Or `{"fetched_page": …}`.
    static func article(fromRow row: RawArticle) throws(StageError) -> RawArticle {
        guard let object = try? JSONSerialization.jsonObject(with: Data(row.bytes)) else {
            throw invalid("row is not valid JSON")
        }
        guard let fields = object as? [String: Any] else { throw invalid("row is not a JSON object") }
        if let page = fields["fetched_page"] {
            // A page the daemon's feed poller fetched: the same article as `newsflow fetch` makes of it.
            guard let page = page as? [String: Any], let row = FetchedPageRow(row: page) else {
                throw invalid("\"fetched_page\" lacks url, fetched, final_url, http_status or body_base64")
            }
            return try row.article()
        }
        let content: String
        let format: ContentFormat
        if let html = fields["html"] as? String {
            (content, format) = (html, .html)
        } else if let text = fields["text"] as? String {
            (content, format) = (text, .text)
        } else {
            throw invalid("row has no string \"html\" or \"text\"")
        }
        var source = row.source
        if let url = fields["url"] as? String { source.url = url }
        return RawArticle(
            source: source, bytes: Array(content.utf8), formatHint: format, declaredCharset: "utf-8",
            supplied: SuppliedMetadata(title: fields["title"] as? String, published: fields["published"] as? String))
    }

    private static func invalid(_ why: String) -> StageError {
        StageError(stage: "read", code: .invalidRow, message: why)
    }
}

extension IngestedItem: ArticleContext {
    public var contextSource: SourceRef {
        switch self {
        case .article(let article), .row(let article): return article.source
        case .failed(let source, _): return source
        }
    }

    public var contextID: String? {
        switch self {
        case .article(let article): return article.contextID
        case .row, .failed: return nil
        }
    }
}

internal import Foundation

/// A page as an HTTP response delivered it, with what led to it: the one shape both `newsflow fetch` (in
/// memory) and the daemon's feed poller (as a JSON Lines row dropped into the inbox) turn into an article,
/// so the two give the same record.
public struct FetchedPageRow: Sendable, Equatable {
    public var url: String
    public var fetched: String
    public var finalURL: String
    public var status: Int
    /// Lower case, no parameters; nil when the server sent none.
    public var mediaType: String?
    public var charset: String?
    public var body: [UInt8]
    public var feed: FeedEntryRef?

    public init(
        url: String, fetched: String, finalURL: String, status: Int, mediaType: String?, charset: String?, body: [UInt8],
        feed: FeedEntryRef?
    ) {
        self.url = url
        self.fetched = fetched
        self.finalURL = finalURL
        self.status = status
        self.mediaType = mediaType
        self.charset = charset
        self.body = body
        self.feed = feed
    }

    /// The format the media type promises; nil for a type newsflow does not read (an image, a PDF).
    /// A response without a type is sniffed like a file without an extension.
    public var format: ContentFormat?? {
        switch mediaType {
        case "text/html", "application/xhtml+xml": return .some(.html)
        case "text/plain": return .some(.text)
        case nil: return .some(nil)
        default: return nil
        }
    }

    public var source: SourceRef {
        SourceRef(
            url: url, fetched: fetched, finalURL: finalURL == url ? nil : finalURL, httpStatus: status, contentType: mediaType,
            feed: feed)
    }

    /// The article, or why the response is not one. A feed entry's title and date fill what the page leaves out.
    public func article() throws(StageError) -> RawArticle {
        guard let format else {
            throw StageError(stage: "fetch", code: .unsupportedContent, message: "\(mediaType ?? "") is not HTML or text")
        }
        let supplied = feed.map { SuppliedMetadata(title: $0.title, published: $0.published, overridesPage: false) }
        return RawArticle(source: source, bytes: body, formatHint: format, declaredCharset: charset, supplied: supplied)
    }

    // MARK: As a JSON Lines row

    /// `{"fetched_page": {"url": …, "fetched": …, "final_url": …, "http_status": …, "content_type": …,
    /// "charset": …, "body_base64": …, "feed": {…}}}`: the body in base64, since it may not be UTF-8.
    public func jsonLine() -> String {
        var json = JSONWriter()
        json.beginObject()
        json.key("fetched_page")
        json.beginObject()
        json.field("url", url)
        json.field("fetched", fetched)
        json.field("final_url", finalURL)
        json.field("http_status", status)
        json.field("content_type", mediaType)
        json.field("charset", charset)
        json.field("body_base64", Data(body).base64EncodedString())
        if let feed {
            json.key("feed")
            json.beginObject()
            json.field("url", feed.url)
            json.field("id", feed.id)
            json.field("title", feed.title)
            json.field("published", feed.published)
            json.field("summary", feed.summary)
            json.endObject()
        }
        json.endObject()
        json.endObject()
        return json.output
    }

    /// The row's `fetched_page` object read back; nil when a field is missing or of the wrong type.
    public init?(row fields: [String: Any]) {
        guard let url = fields["url"] as? String, let fetched = fields["fetched"] as? String,
            let finalURL = fields["final_url"] as? String, let status = fields["http_status"] as? Int,
            let encoded = fields["body_base64"] as? String, let body = Data(base64Encoded: encoded)
        else { return nil }
        var feed: FeedEntryRef?
        if let entry = fields["feed"] as? [String: Any] {
            guard let feedURL = entry["url"] as? String else { return nil }
            feed = FeedEntryRef(
                url: feedURL, id: entry["id"] as? String, title: entry["title"] as? String,
                published: entry["published"] as? String, summary: entry["summary"] as? String)
        }
        self.init(
            url: url, fetched: fetched, finalURL: finalURL, status: status, mediaType: fields["content_type"] as? String,
            charset: fields["charset"] as? String, body: [UInt8](body), feed: feed)
    }
}

internal import Foundation

public enum FeedKind: String, Sendable {
    case rss, atom, sitemap
    case sitemapIndex = "sitemap_index"
}

/// One entry of a feed or sitemap: where the article is and what the feed says of it.
public struct FeedItem: Sendable, Hashable {
    /// Absolute http(s) URL, resolved against the feed's URL (and any `xml:base`).
    public var url: String
    /// RSS guid / Atom id, as given (trimmed); nil for sitemaps.
    public var id: String?
    /// Plain text, whitespace collapsed, at most 1,000 characters.
    public var title: String?
    /// ISO 8601: `2024-05-01T10:00:00Z`, `2024-05-01T10:00:00+01:00`, or `2024-05-01`.
    public var published: String?
    /// Plain text (HTML reduced to its text), whitespace collapsed, at most 1,000 characters.
    public var summary: String?

    public init(url: String, id: String? = nil, title: String? = nil, published: String? = nil, summary: String? = nil) {
        self.url = url
        self.id = id
        self.title = title
        self.published = published
        self.summary = summary
    }

    /// What "seen before" is decided on: the id when the feed gives one, else the URL.
    public var key: String { id ?? url }
}

public struct FeedDocument: Sendable, Equatable {
    public var kind: FeedKind
    /// The channel's or feed's title; nil for sitemaps.
    public var title: String?
    /// In document order, duplicates (same url) removed keeping the first.
    public var items: [FeedItem]
    /// For a sitemap index: the child sitemaps' URLs (absolute); else empty.
    public var sitemaps: [String]

    public init(kind: FeedKind, title: String? = nil, items: [FeedItem] = [], sitemaps: [String] = []) {
        self.kind = kind
        self.title = title
        self.items = items
        self.sitemaps = sitemaps
    }
}

public struct FeedParseError: Error, Sendable, CustomStringConvertible {
    public var reason: String

    public init(reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}

public enum FeedParser {
    /// Entries (items, entries, urls, sitemaps) read from one document; the rest are ignored.
    public static let maxEntries = 10_000
    /// Titles and summaries longer than this are cut (at a word, with `…`).
    public static let maxTitleCharacters = 1_000
    public static let maxSummaryCharacters = 1_000

    /// Parses an RSS 2.0 (also RSS 0.9x/1.0 RDF items), Atom 1.0, sitemap `urlset` (with Google news
    /// extensions) or `sitemapindex` document. `bytes` are the XML (already decompressed); `baseURL` is the
    /// document's own URL for resolving relative links.
    public static func parse(_ bytes: [UInt8], baseURL: String) throws(FeedParseError) -> FeedDocument {
        let document = try FeedXMLDocument(bytes: bytes, url: baseURL)
        let root = document.rootElement
        let base = baseURL.trimmingCharacters(in: .whitespacesAndNewlines)
        switch root.localName {
        case "rss", "RDF":
            return rss(root, base: base)
        case "feed":
            return atom(root, base: base)
        case "urlset":
            return sitemap(root, base: base)
        case "sitemapindex":
            return sitemapIndex(root, base: base)
        default:
            var name = root.localName
            if name.count > 64 { name = String(name.prefix(64)) + "…" }
            throw FeedParseError(reason: "not a feed or sitemap: root element <\(name)>")
        }
    }

    // MARK: Namespaces

    static let atomNamespace = "http://www.w3.org/2005/Atom"
    static let sitemapNamespace = "http://www.sitemaps.org/schemas/sitemap/0.9"
    static let newsNamespace = "http://www.google.com/schemas/sitemap-news/0.9"
    static let rdfNamespace = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    static let dublinCoreNamespace = "http://purl.org/dc/elements/1.1/"
    static let contentNamespace = "http://purl.org/rss/1.0/modules/content/"
    /// RSS's own elements: none in RSS 0.9x/2.0, these in RSS 1.0, 0.90 and Userland's RSS 2.0 variant.
    static let rssNamespaces: Set<String?> = [
        nil, "http://purl.org/rss/1.0/", "http://my.netscape.com/rdf/simple/0.9/", "http://backend.userland.com/rss2",
        "http://backend.userland.com/rss",
    ]

    // MARK: Limits on text read from a field

    private static let maxTitleBytes = 16_384
    private static let maxIDBytes = 2_048
    private static let maxDateBytes = 256

    // MARK: RSS

    /// RSS 0.9x/2.0 (`rss` → `channel` → `item`) and RSS 1.0 / 0.90 (`rdf:RDF` with `item`s beside the
    /// `channel`). Items are taken from both places, whichever the root.
    private static func rss(_ root: FeedXMLNode, base: String) -> FeedDocument {
        var core = rssNamespaces
        core.insert(root.localName == "rss" ? root.namespace : nil)
        let channel = root.child("channel", in: core)
        var collector = ItemCollector()
        var budget = maxEntries
        scan: for parent in [channel, root].compactMap({ $0 }) {
            for node in parent.elements where node.matches("item", in: core) {
                guard budget > 0 else { break scan }
                budget -= 1
                collector.add(rssItem(node, core: core, base: base))
            }
        }
        return FeedDocument(kind: .rss, title: channel?.child("title", in: core).flatMap(rssTitle), items: collector.items)
    }

    private static func rssItem(_ item: FeedXMLNode, core: Set<String?>, base: String) -> FeedItem? {
        var links: [FeedXMLNode] = []
        var guid: FeedXMLNode?, title: FeedXMLNode?, description: FeedXMLNode?, encoded: FeedXMLNode?
        var pubDate: FeedXMLNode?, dcDate: FeedXMLNode?
        for child in item.elements {
            let name = child.localName, namespace = child.namespace
            if core.contains(namespace) {
                switch name {
                case "link": links.append(child)
                case "guid": guid = guid ?? child
                case "title": title = title ?? child
                case "description": description = description ?? child
                case "pubDate", "pubdate": pubDate = pubDate ?? child
                default: break
                }
            } else if namespace == dublinCoreNamespace, name == "date" {
                dcDate = dcDate ?? child
            } else if namespace == contentNamespace, name == "encoded" {
                encoded = encoded ?? child
            }
        }
        let id = guid?.string(maxBytes: maxIDBytes)
        // The first usable `<link>`, else a guid that is a permalink, else RSS 1.0's `rdf:about`.
        var url: String?
        for link in links {
            guard let raw = link.string(maxBytes: FeedLink.maxBytes) ?? link.attribute("href") else { continue }
            url = FeedLink.resolve(raw, base: link.baseURL(documentURL: base))
            if url != nil { break }
        }
        if url == nil, let guid, let id, guid.attribute("isPermaLink")?.lowercased() != "false" {
            url = FeedLink.absolute(id)
        }
        if url == nil, let about = item.attribute("about", namespace: rdfNamespace) {
            url = FeedLink.resolve(about, base: item.baseURL(documentURL: base))
        }
        guard let url else { return nil }
        let published = pubDate?.string(maxBytes: maxDateBytes).flatMap(FeedDate.normalized)
            ?? dcDate?.string(maxBytes: maxDateBytes).flatMap(FeedDate.normalized)
        let summary = description.flatMap(htmlSummary) ?? encoded.flatMap(htmlSummary)
        return FeedItem(url: url, id: id, title: title.flatMap(rssTitle), published: published, summary: summary)
    }

    /// RSS titles are text, but feeds put escaped HTML in them too (`&lt;b&gt;`, `&amp;amp;`): such a
    /// title is read as HTML, any other as plain text.
    private static func rssTitle(_ node: FeedXMLNode) -> String? {
        let raw = node.rawText(maxBytes: maxTitleBytes)
        if FeedText.looksLikeMarkup(raw.bytes) { return FeedText.html(raw, limit: maxTitleCharacters) }
        return FeedText.plain(raw, limit: maxTitleCharacters)
    }

    private static func htmlSummary(_ node: FeedXMLNode) -> String? {
        FeedText.html(node.rawText(maxBytes: FeedText.maxHTMLBytes), limit: maxSummaryCharacters)
    }

    // MARK: Atom

    /// Atom 1.0 (and 0.3): `feed` → `entry`, the children in the root's namespace.
    private static func atom(_ root: FeedXMLNode, base: String) -> FeedDocument {
        let core: Set<String?> = [root.namespace]
        var collector = ItemCollector()
        var budget = maxEntries
        for node in root.elements where node.matches("entry", in: core) {
            guard budget > 0 else { break }
            budget -= 1
            collector.add(atomEntry(node, core: core, base: base))
        }
        let title = root.child("title", in: core).flatMap { atomText($0, limit: maxTitleCharacters) }
        return FeedDocument(kind: .atom, title: title, items: collector.items)
    }

    /// Atom's dates in order of preference (`issued`, `created`, `modified`: Atom 0.3).
    private static let atomDates = ["published", "updated", "issued", "created", "modified"]

    private static func atomEntry(_ entry: FeedXMLNode, core: Set<String?>, base: String) -> FeedItem? {
        var alternate: String?
        var id: FeedXMLNode?, title: FeedXMLNode?, summary: FeedXMLNode?, content: FeedXMLNode?
        var dates: [String: FeedXMLNode] = [:]
        for child in entry.elements where core.contains(child.namespace) {
            let name = child.localName
            switch name {
            case "link":
                // `rel` defaults to `alternate`; `self`, `edit`, `enclosure`, `related`, `replies` are not the article.
                let rel = child.attribute("rel")?.lowercased() ?? "alternate"
                guard alternate == nil, rel == "alternate" || rel == "http://www.iana.org/assignments/relation/alternate",
                    let href = child.attribute("href")
                else { continue }
                alternate = FeedLink.resolve(href, base: child.baseURL(documentURL: base))
            case "id": id = id ?? child
            case "title": title = title ?? child
            case "summary": summary = summary ?? child
            case "content": content = content ?? child
            default:
                if atomDates.contains(name), dates[name] == nil { dates[name] = child }
            }
        }
        let identifier = id?.string(maxBytes: maxIDBytes)
        // No alternate link: the id, when it is the article's http(s) URL.
        guard let url = alternate ?? identifier.flatMap(FeedLink.absolute) else { return nil }
        let published = atomDates.lazy.compactMap { dates[$0]?.string(maxBytes: maxDateBytes).flatMap(FeedDate.normalized) }.first
        let text = summary.flatMap { atomText($0, limit: maxSummaryCharacters) }
            ?? content.flatMap { atomText($0, limit: maxSummaryCharacters) }
        return FeedItem(
            url: url, id: identifier, title: title.flatMap { atomText($0, limit: maxTitleCharacters) }, published: published,
            summary: text)
    }

    /// An Atom text construct by its `type`: `text` (the default), `html` (escaped markup) or `xhtml` (a
    /// `div` of XHTML elements). Content given by `src`, or of another media type, has no text here.
    private static func atomText(_ node: FeedXMLNode, limit: Int) -> String? {
        guard node.attribute("src") == nil else { return nil }
        let type = node.attribute("type")?.lowercased() ?? "text"
        let maxBytes = limit == maxSummaryCharacters ? FeedText.maxHTMLBytes : maxTitleBytes
        if type == "html" || type == "text/html" {
            return FeedText.html(node.rawText(maxBytes: maxBytes), limit: limit)
        } else if type == "xhtml" || type == "application/xhtml+xml" {
            return FeedText.plain(node.rawText(maxBytes: maxBytes, separateBlocks: true), limit: limit)
        } else if type == "text" || type.hasPrefix("text/") {
            return FeedText.plain(node.rawText(maxBytes: maxBytes), limit: limit)
        }
        return nil
    }

    // MARK: Sitemaps

    /// `urlset` → `url` → `loc`, `lastmod`, and Google News' `news:news` → `news:title`,
    /// `news:publication_date`. The sitemap elements are those in the root's namespace (the sitemaps.org
    /// one, an older Google one, or none).
    private static func sitemap(_ root: FeedXMLNode, base: String) -> FeedDocument {
        let core: Set<String?> = [root.namespace]
        let news: Set<String?> = [newsNamespace]
        var collector = ItemCollector()
        var budget = maxEntries
        for node in root.elements where node.matches("url", in: core) {
            guard budget > 0 else { break }
            budget -= 1
            guard let loc = node.child("loc", in: core), let raw = loc.string(maxBytes: FeedLink.maxBytes),
                let url = FeedLink.resolve(raw, base: loc.baseURL(documentURL: base))
            else { continue }
            let newsNode = node.child("news", in: news)
            let title = newsNode?.child("title", in: news).flatMap(rssTitle)
            let published = newsNode?.child("publication_date", in: news)?.string(maxBytes: maxDateBytes).flatMap(FeedDate.normalized)
                ?? node.child("lastmod", in: core)?.string(maxBytes: maxDateBytes).flatMap(FeedDate.normalized)
            collector.add(FeedItem(url: url, title: title, published: published))
        }
        return FeedDocument(kind: .sitemap, items: collector.items)
    }

    /// `sitemapindex` → `sitemap` → `loc`.
    private static func sitemapIndex(_ root: FeedXMLNode, base: String) -> FeedDocument {
        let core: Set<String?> = [root.namespace]
        var sitemaps: [String] = []
        var seen = Set<String>()
        var budget = maxEntries
        for node in root.elements where node.matches("sitemap", in: core) {
            guard budget > 0 else { break }
            budget -= 1
            guard let loc = node.child("loc", in: core), let raw = loc.string(maxBytes: FeedLink.maxBytes),
                let url = FeedLink.resolve(raw, base: loc.baseURL(documentURL: base)), seen.insert(url).inserted
            else { continue }
            sitemaps.append(url)
        }
        return FeedDocument(kind: .sitemapIndex, sitemaps: sitemaps)
    }
}

/// Items in document order, the first of each URL kept.
private struct ItemCollector {
    private(set) var items: [FeedItem] = []
    private var seen = Set<String>()

    mutating func add(_ item: FeedItem?) {
        guard let item, seen.insert(item.url).inserted else { return }
        items.append(item)
    }
}

internal import Foundation
internal import NewsCore

/// Title, description, dates, authors, site name, language and canonical URL from `<title>`, `<meta>`
/// (OpenGraph, Dublin Core, Parse.ly and the like), `<link rel=canonical>`, `<time>`, JSON-LD, and the
/// page's byline. Each field takes the most explicit source first; absent stays nil: nothing is guessed.
struct MetadataCollector {
    private var ogTitle: String?
    private var documentTitle: String?
    private var firstHeading: String?
    private var jsonLD: JSONLDArticle
    private let names: AuthorNames
    private let dates: TextDate
    private var metaDescription: String?
    private var ogDescription: String?
    private var htmlLang: String?
    private var metaLanguage: String?
    private var ogLocale: String?
    private var canonicalLink: String?
    private var ogURL: String?
    private var metaPublished: String?
    private var metaModified: String?
    private var timePublished: String?
    private var timeModified: String?
    private var firstTime: String?
    private var bylineDate: String?
    private var ogSiteName: String?
    private var applicationName: String?
    private var metaAuthors: [String] = []
    private var markupAuthors: [String] = []
    private var bylineAuthors: [String] = []

    /// Meta names that carry a publication date on news sites.
    private static let publishedMetaNames: Set<String> = [
        "article:published_time", "og:published_time", "pubdate", "publishdate", "publish-date", "publish_date",
        "date", "dc.date", "dc.date.issued", "dcterms.created", "dcterms.date", "dcterms.issued", "sailthru.date",
        "parsely-pub-date", "datepublished", "article.published", "originalpublicationdate", "displaydate",
    ]
    /// Meta names that carry the date of the last change.
    private static let modifiedMetaNames: Set<String> = [
        "article:modified_time", "og:updated_time", "last-modified", "lastmod", "dcterms.modified", "dc.date.modified",
        "datemodified", "article.updated", "modified",
    ]
    /// Meta names whose content is the author's name.
    private static let authorMetaNames: Set<String> = [
        "author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "dcterms.creator", "byl",
        "twitter:creator", "citation_author",
    ]
    /// Class or id words of the line that names the author and the date under a headline.
    private static let bylineWords = MarkerWords(["byline", "author", "authors", "writer", "posted", "meta"], wholeWords: true)
    private static let dateWords = MarkerWords(
        ["date", "time", "timestamp", "published", "posted", "dateline", "pubdate"], wholeWords: true)
    /// The byline words whose text is the author's name (`meta` and `posted` lines often hold only a date).
    private static let authorWords = MarkerWords(["author", "byline"])

    init(byline: BylineVocabulary) {
        names = AuthorNames(stopWords: byline.nameStopWords, nonNames: byline.nonNames)
        dates = TextDate(months: byline.monthNames)
        jsonLD = JSONLDArticle(names: names)
    }

    /// Visits the elements in document order. Recursion is bounded by `maxDepth`, as rendering's is.
    mutating func collect(from node: HTMLNode, maxDepth: Int, depth: Int = 0) {
        guard node.isElement, depth < maxDepth else { return }
        visit(node)
        for child in node.children where child.isElement { collect(from: child, maxDepth: maxDepth, depth: depth + 1) }
    }

    private mutating func visit(_ node: HTMLNode) {
        let name = node.name
        switch name {
        case "html":
            htmlLang = htmlLang ?? node.attribute("lang")?.nonBlank ?? node.attribute("xml:lang")?.nonBlank
        case "title":
            documentTitle = documentTitle ?? node.content.collapsedWhitespace.nonBlank
        case "h1":
            firstHeading = firstHeading ?? node.content.collapsedWhitespace.nonBlank
        case "meta":
            visitMeta(node)
            return
        case "link":
            if node.attribute("rel")?.lowercased().split(separator: " ").contains("canonical") == true {
                canonicalLink = canonicalLink ?? node.attribute("href")?.nonBlank
            }
            return
        case "time":
            if let value = (node.attribute("datetime") ?? node.attribute("content")).flatMap(ISODate.normalized) {
                switch node.attribute("itemprop")?.lowercased() {
                case "datemodified": timeModified = timeModified ?? value
                case "datepublished": timePublished = timePublished ?? value
                default: firstTime = firstTime ?? value
                }
            }
        case "script":
            if node.attribute("type")?.lowercased().contains("ld+json") == true {
                jsonLD.merge(jsonText: node.content)
            }
            return
        default:
            break
        }
        visitAuthorMarkup(node, name: name)
    }

    /// `rel=author` links, `itemprop=author` and elements whose class names a byline or a date.
    private mutating func visitAuthorMarkup(_ node: HTMLNode, name: String) {
        if markupAuthors.isEmpty, node.attribute("rel", is: "author") || node.attribute("itemprop", is: "author") {
            markupAuthors = names.split(node.lineSeparatedContent())
            return
        }
        guard bylineAuthors.isEmpty || bylineDate == nil else { return }
        var isByline = false, isDate = false, namesAuthor = false
        for attribute: StaticString in ["class", "id"] {
            node.withAttributeBytes(attribute) { bytes in
                ClassWords.forEachWord(in: bytes) { _, word in
                    isByline = isByline || Self.bylineWords.matches(word)
                    isDate = isDate || Self.dateWords.matches(word)
                    namesAuthor = namesAuthor || Self.authorWords.matches(word)
                }
            }
        }
        guard isByline || isDate else { return }
        // A byline is a line, not a section: long blocks that happen to say `meta` are something else.
        let text = node.lineSeparatedContent()
        guard text.count <= 400, !text.allSatisfy(\.isWhitespace) else { return }
        if bylineDate == nil { bylineDate = dates.find(in: text.collapsedWhitespace) }
        if namesAuthor, bylineAuthors.isEmpty {
            bylineAuthors = names.split(TextDate.removingDates(from: text))
        }
    }

    /// Every meta key `visitMeta` reads: pages carry dozens of others (viewport, robots, app ids), whose
    /// content is not worth cleaning.
    private static let metaKeys = Set([
        "og:title", "twitter:title", "description", "og:description", "twitter:description", "content-language",
        "language", "dc.language", "og:locale", "og:url", "og:site_name", "application-name",
    ]).union(publishedMetaNames).union(modifiedMetaNames).union(authorMetaNames)

    private mutating func visitMeta(_ node: HTMLNode) {
        let key = (node.attribute("property") ?? node.attribute("name") ?? node.attribute("itemprop")
            ?? node.attribute("http-equiv") ?? "").lowercased()
        guard Self.metaKeys.contains(key), let content = node.attribute("content")?.collapsedWhitespace.nonBlank else { return }
        switch key {
        case "og:title", "twitter:title": ogTitle = ogTitle ?? content
        case "description": metaDescription = metaDescription ?? content
        case "og:description", "twitter:description": ogDescription = ogDescription ?? content
        case "content-language", "language", "dc.language": metaLanguage = metaLanguage ?? content
        case "og:locale": ogLocale = ogLocale ?? content
        case "og:url": ogURL = ogURL ?? content
        case "og:site_name": ogSiteName = ogSiteName ?? content
        case "application-name": applicationName = applicationName ?? content
        default:
            if Self.publishedMetaNames.contains(key) {
                metaPublished = metaPublished ?? ISODate.normalized(content)
            } else if Self.modifiedMetaNames.contains(key) {
                metaModified = metaModified ?? ISODate.normalized(content)
            } else if Self.authorMetaNames.contains(key), metaAuthors.isEmpty {
                metaAuthors = names.split(content)
            }
        }
    }

    var siteName: String? { ogSiteName ?? jsonLD.publisher ?? applicationName }

    /// The headline without the site's name that pages append to `<title>` (`Alibaba to invest | Reuters`).
    var title: String? {
        guard let raw = ogTitle ?? jsonLD.headline ?? documentTitle ?? firstHeading else { return nil }
        return TitleCleaner.strippingSiteName(raw, siteName: siteName, host: canonicalURL.flatMap(Self.host), heading: firstHeading)
    }

    var description: String? { metaDescription ?? ogDescription ?? jsonLD.description }
    var canonicalURL: String? { canonicalLink ?? ogURL ?? jsonLD.url }
    var articleBody: String? { jsonLD.articleBody }
    var published: String? { jsonLD.datePublished ?? metaPublished ?? timePublished ?? firstTime ?? bylineDate }
    var modified: String? { jsonLD.dateModified ?? metaModified ?? timeModified }

    /// The first source that names someone, without the site itself (`LinkNaija` by LinkNaija).
    var authors: [String] {
        let site = siteName?.lowercased()
        for candidates in [jsonLD.authors, metaAuthors, markupAuthors, bylineAuthors] {
            let people = candidates.filter { $0.lowercased() != site }
            if !people.isEmpty { return people }
        }
        return []
    }

    /// The primary language subtag, lower-cased (`en-US` → `en`).
    var language: String? {
        guard let tag = htmlLang ?? metaLanguage ?? jsonLD.inLanguage ?? ogLocale else { return nil }
        let primary = tag.split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == "," }).first.map(String.init) ?? tag
        let lower = primary.lowercased().trimmingCharacters(in: .whitespaces)
        return lower.count >= 2 && lower.count <= 3 && lower.allSatisfy(\.isLetter) ? lower : nil
    }

    private static func host(of url: String) -> String? {
        URLComponents(string: url)?.host
    }
}

extension String {
    /// The string without leading and trailing whitespace, nil when nothing else is left.
    var nonBlank: String? {
        // Most values are ASCII at both ends: trimmed over bytes. A non-ASCII byte at an end may be Unicode
        // whitespace (a no-break space), which Foundation's set knows.
        let bytes = utf8
        var start = bytes.startIndex, end = bytes.endIndex
        while start < end, bytes[start].isASCIIWhitespace { bytes.formIndex(after: &start) }
        while start < end, bytes[bytes.index(before: end)].isASCIIWhitespace { bytes.formIndex(before: &end) }
        if start == end { return nil }
        if bytes[start] >= 0x80 || bytes[bytes.index(before: end)] >= 0x80 {
            let trimmed = trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? nil : trimmed
        }
        return start == bytes.startIndex && end == bytes.endIndex ? self : String(self[start..<end])
    }

    /// Runs of whitespace as one space, none at the ends.
    var collapsedWhitespace: String {
        // ASCII text is collapsed over bytes; anything else goes by `Character.isWhitespace`.
        guard utf8.allSatisfy({ $0 < 0x80 }) else {
            return split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        }
        var collapsed: [UInt8] = []
        collapsed.reserveCapacity(utf8.count)
        var pendingSpace = false
        for byte in utf8 {
            if byte.isASCIIWhitespace {
                pendingSpace = !collapsed.isEmpty
            } else {
                if pendingSpace { collapsed.append(0x20) }
                pendingSpace = false
                collapsed.append(byte)
            }
        }
        return String(decoding: collapsed, as: UTF8.self)
    }
}

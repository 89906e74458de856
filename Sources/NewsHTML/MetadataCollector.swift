internal import Foundation

/// Title, description, language, canonical URL and publication date from `<title>`, `<meta>`/OpenGraph,
/// `<link rel=canonical>`, `<time>` and JSON-LD. Absent stays nil: nothing is guessed.
struct MetadataCollector {
    private var ogTitle: String?
    private var documentTitle: String?
    private var firstHeading: String?
    private var jsonLD = JSONLDArticle()
    private var metaDescription: String?
    private var ogDescription: String?
    private var htmlLang: String?
    private var metaLanguage: String?
    private var ogLocale: String?
    private var canonicalLink: String?
    private var ogURL: String?
    private var metaPublished: String?
    private var timeElement: String?

    /// Meta names that carry a publication date on news sites.
    private static let dateMetaNames: Set<String> = [
        "article:published_time", "og:published_time", "pubdate", "publishdate", "publish-date", "date", "dc.date",
        "dc.date.issued", "dcterms.created", "dcterms.date", "sailthru.date", "parsely-pub-date", "datepublished",
    ]

    mutating func collect(from root: HTMLNode, maxDepth: Int) {
        var stack: [(HTMLNode, Int)] = [(root, 0)]
        while let (node, depth) = stack.popLast() {
            guard node.isElement, depth < maxDepth else { continue }
            visit(node)
            // Children in document order: push reversed.
            for child in Array(node.children).reversed() where child.isElement { stack.append((child, depth + 1)) }
        }
    }

    private mutating func visit(_ node: HTMLNode) {
        switch node.name {
        case "html":
            htmlLang = htmlLang ?? node.attribute("lang")?.nonBlank ?? node.attribute("xml:lang")?.nonBlank
        case "title":
            documentTitle = documentTitle ?? node.content.collapsedWhitespace.nonBlank
        case "h1":
            firstHeading = firstHeading ?? node.content.collapsedWhitespace.nonBlank
        case "meta":
            visitMeta(node)
        case "link":
            if node.attribute("rel")?.lowercased().split(separator: " ").contains("canonical") == true {
                canonicalLink = canonicalLink ?? node.attribute("href")?.nonBlank
            }
        case "time":
            if timeElement == nil, let value = node.attribute("datetime").flatMap(ISODate.normalized) {
                timeElement = value
            }
        case "script":
            if node.attribute("type")?.lowercased().contains("ld+json") == true {
                jsonLD.merge(jsonText: node.content)
            }
        default:
            break
        }
    }

    private mutating func visitMeta(_ node: HTMLNode) {
        let key = (node.attribute("property") ?? node.attribute("name") ?? node.attribute("itemprop")
            ?? node.attribute("http-equiv") ?? "").lowercased()
        guard let content = node.attribute("content")?.collapsedWhitespace.nonBlank else { return }
        switch key {
        case "og:title", "twitter:title": ogTitle = ogTitle ?? content
        case "description": metaDescription = metaDescription ?? content
        case "og:description", "twitter:description": ogDescription = ogDescription ?? content
        case "content-language", "language", "dc.language": metaLanguage = metaLanguage ?? content
        case "og:locale": ogLocale = ogLocale ?? content
        case "og:url": ogURL = ogURL ?? content
        default:
            if Self.dateMetaNames.contains(key), metaPublished == nil, let date = ISODate.normalized(content) {
                metaPublished = date
            }
        }
    }

    var title: String? { ogTitle ?? jsonLD.headline ?? documentTitle ?? firstHeading }
    var description: String? { metaDescription ?? ogDescription ?? jsonLD.description }
    var canonicalURL: String? { canonicalLink ?? ogURL ?? jsonLD.url }
    var articleBody: String? { jsonLD.articleBody }
    var published: String? { jsonLD.datePublished ?? metaPublished ?? timeElement }

    /// The primary language subtag, lower-cased (`en-US` → `en`).
    var language: String? {
        guard let tag = htmlLang ?? metaLanguage ?? jsonLD.inLanguage ?? ogLocale else { return nil }
        let primary = tag.split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == "," }).first.map(String.init) ?? tag
        let lower = primary.lowercased().trimmingCharacters(in: .whitespaces)
        return lower.count >= 2 && lower.count <= 3 && lower.allSatisfy(\.isLetter) ? lower : nil
    }
}

/// The fields of the first JSON-LD object that describes an article.
struct JSONLDArticle {
    var headline: String?
    var description: String?
    var datePublished: String?
    var url: String?
    var inLanguage: String?
    /// The article's text as the publisher serialised it (pages rendered by script carry it only here).
    var articleBody: String?
    private var found = false

    private static let articleTypes: Set<String> = [
        "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "blogposting", "webpage",
        "opinionnewsarticle", "backgroundnewsarticle", "techarticle", "report",
    ]

    mutating func merge(jsonText: String) {
        guard !found || articleBody == nil, let data = jsonText.data(using: .utf8),
            let value = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        else { return }
        visit(value)
    }

    private mutating func visit(_ value: Any) {
        if found && articleBody != nil { return }
        if let array = value as? [Any] {
            array.forEach { visit($0) }
        } else if let object = value as? [String: Any] {
            if let graph = object["@graph"] { visit(graph) }
            if !found, Self.isArticle(object["@type"]) { take(object) }
            // A `WebPage` often comes first in a graph and the `Article` with the text after it.
            if articleBody == nil { articleBody = (object["articleBody"] as? String)?.nonBlank }
        }
    }

    private static func isArticle(_ type: Any?) -> Bool {
        if let type = type as? String { return articleTypes.contains(type.lowercased()) }
        if let types = type as? [Any] { return types.contains { isArticle($0) } }
        return false
    }

    private mutating func take(_ object: [String: Any]) {
        found = true
        headline = (object["headline"] as? String)?.collapsedWhitespace.nonBlank
            ?? (object["name"] as? String)?.collapsedWhitespace.nonBlank
        description = (object["description"] as? String)?.collapsedWhitespace.nonBlank
        datePublished = (object["datePublished"] as? String).flatMap(ISODate.normalized)
        url = (object["url"] as? String)?.nonBlank
        inLanguage = (object["inLanguage"] as? String)?.nonBlank
    }
}

/// ISO 8601 dates and date-times (`2025-02-24`, `2025-02-24T09:30:00Z`, `…+08:00`) are the only form passed
/// through as `published`; a space between date and time (`2025-02-24 09:30:00`) becomes `T`.
enum ISODate {
    static func normalized(_ value: String) -> String? {
        var scalars = Array(value.trimmingCharacters(in: .whitespaces).unicodeScalars)
        guard scalars.count >= 10 else { return nil }
        func digits(_ range: Range<Int>) -> Bool { range.allSatisfy { CharacterSet.decimalDigits.contains(scalars[$0]) } }
        guard digits(0..<4), scalars[4] == "-", digits(5..<7), scalars[7] == "-", digits(8..<10) else { return nil }
        if scalars.count > 10 {
            guard scalars[10] == "T" || scalars[10] == " ", scalars.count >= 13, digits(11..<13) else { return nil }
            scalars[10] = "T"
        }
        return String(String.UnicodeScalarView(scalars))
    }
}

extension String {
    var nonBlank: String? {
        let trimmed = trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    var collapsedWhitespace: String {
        split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}

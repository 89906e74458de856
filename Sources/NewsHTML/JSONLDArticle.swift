internal import Foundation

/// The fields of the first JSON-LD object that describes an article, and the article text wherever the
/// graph holds it.
struct JSONLDArticle {
    var headline: String?
    var description: String?
    var datePublished: String?
    var dateModified: String?
    var url: String?
    var inLanguage: String?
    var publisher: String?
    var authors: [String] = []
    /// The article's text as the publisher serialised it (pages rendered by script carry it only here).
    var articleBody: String?
    private var found = false
    /// Reads the author field's names.
    let names: AuthorNames

    init(names: AuthorNames) {
        self.names = names
    }

    private static let articleTypes: Set<String> = [
        "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "blogposting", "webpage",
        "opinionnewsarticle", "backgroundnewsarticle", "techarticle", "report", "liveblogposting", "scholarlyarticle",
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
            if !found, Self.isType(object["@type"], in: Self.articleTypes) { take(object) }
            // A `WebPage` often comes first in a graph and the `Article` with the text after it.
            if articleBody == nil { articleBody = (object["articleBody"] as? String)?.nonBlank }
        }
    }

    private static func isType(_ type: Any?, in types: Set<String>) -> Bool {
        if let type = type as? String { return types.contains(type.lowercased()) }
        if let list = type as? [Any] { return list.contains { isType($0, in: types) } }
        return false
    }

    private mutating func take(_ object: [String: Any]) {
        found = true
        headline = Self.text(object["headline"]) ?? Self.text(object["name"])
        description = Self.text(object["description"])
        datePublished = (object["datePublished"] as? String).flatMap(ISODate.normalized)
        dateModified = (object["dateModified"] as? String).flatMap(ISODate.normalized)
        url = (object["url"] as? String)?.nonBlank
        inLanguage = (object["inLanguage"] as? String)?.nonBlank
        publisher = Self.name(object["publisher"])
        authors = people(object["author"] ?? object["creator"])
    }

    private static func text(_ value: Any?) -> String? {
        (value as? String)?.collapsedWhitespace.nonBlank
    }

    /// `"Reuters"`, `{"name": "Reuters"}` or the first of a list of either.
    private static func name(_ value: Any?) -> String? {
        if let list = value as? [Any] { return list.lazy.compactMap { name($0) }.first }
        if let object = value as? [String: Any] { return text(object["name"]) }
        return text(value)
    }

    /// Author names, leaving out organisations (a newsroom credited as author is not a byline).
    private func people(_ value: Any?) -> [String] {
        if let list = value as? [Any] { return AuthorNames.unique(list.flatMap { people($0) }) }
        if let object = value as? [String: Any] {
            if Self.isType(object["@type"], in: ["organization", "newsmediaorganization"]) { return [] }
            return Self.text(object["name"]).map(names.split) ?? []
        }
        return Self.text(value).map(names.split) ?? []
    }
}

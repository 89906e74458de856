internal import CLibXML2
internal import Foundation
public import NewsCore

/// Cleans an HTML page into article text plus metadata. Stage `clean` for HTML input.
///
/// The body is the largest `<article>` (else `<main>`, else `<body>`) with scripts, navigation, forms and
/// blocks whose class or id marks them as boilerplate removed. Block elements become paragraphs
/// separated by a blank line.
public struct HTMLCleaner: Sendable {
    public var droppedElements: Set<String>
    public var boilerplateMarkers: [String]
    public var maxDepth: Int

    public static let defaultDroppedElements: Set<String> = [
        "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "button", "select",
        "option", "textarea", "input", "iframe", "svg", "canvas", "object", "embed", "video", "audio", "map", "dialog",
        "menu", "head", "title", "meta", "link",
    ]

    public init(
        droppedElements: Set<String> = Self.defaultDroppedElements,
        boilerplateMarkers: [String] = [], maxDepth: Int = 512
    ) {
        self.droppedElements = droppedElements
        self.boilerplateMarkers = boilerplateMarkers.map { $0.lowercased() }
        self.maxDepth = maxDepth
    }

    public func clean(_ article: DecodedArticle) throws(StageError) -> CleanArticle {
        guard let document = HTMLDocument(html: article.content), let root = document.root else {
            throw StageError(stage: "clean", code: .parseFailed, message: "libxml2 could not parse the document as HTML")
        }
        var metadata = MetadataCollector()
        metadata.collect(from: root, maxDepth: maxDepth)

        let container = contentRoot(in: root)
        var text = TextAccumulator()
        var warnings = article.warnings
        var depthExceeded = false
        appendText(of: container, depth: 0, into: &text, depthExceeded: &depthExceeded)
        if depthExceeded {
            warnings.append(
                RecordWarning(code: "html_too_deep", message: "elements nested deeper than \(maxDepth) were skipped"))
        }
        var source = article.source
        source.canonicalURL = metadata.canonicalURL
        return CleanArticle(
            id: article.id, source: source, title: metadata.title, description: metadata.description,
            published: metadata.published, language: metadata.language, text: text.finish(), warnings: warnings,
            inputBytes: article.inputBytes)
    }

    /// The element that holds the article: the `<article>` with the most text, else `<main>`, else `<body>`.
    private func contentRoot(in root: HTMLNode) -> HTMLNode {
        var articles: [HTMLNode] = []
        var main: HTMLNode?
        var body: HTMLNode?
        var stack: [(HTMLNode, Int)] = [(root, 0)]
        while let (node, depth) = stack.popLast() {
            guard node.isElement, depth < maxDepth, !droppedElements.contains(node.name) else { continue }
            switch node.name {
            case "article": articles.append(node)
            case "main": if main == nil { main = node }
            case "body": if body == nil { body = node }
            default:
                if main == nil, node.attribute("role") == "main" { main = node }
            }
            for child in node.children where child.isElement { stack.append((child, depth + 1)) }
        }
        let measured = articles.map { (node: $0, length: $0.content.count) }
        if let best = measured.max(by: { $0.length < $1.length }), best.length > 200 {
            return best.node
        }
        return main ?? body ?? root
    }

    private func appendText(of node: HTMLNode, depth: Int, into text: inout TextAccumulator, depthExceeded: inout Bool) {
        guard depth < maxDepth else {
            depthExceeded = true
            return
        }
        for child in node.children {
            if child.isText {
                text.append(child.content)
                continue
            }
            guard child.isElement else { continue }
            let name = child.name
            if droppedElements.contains(name) || isBoilerplate(child) || child.attribute("hidden") != nil { continue }
            if name == "br" {
                text.lineBreak()
                continue
            }
            let isBlock = Self.blockElements.contains(name)
            if isBlock { text.paragraphBreak() }
            appendText(of: child, depth: depth + 1, into: &text, depthExceeded: &depthExceeded)
            if isBlock { text.paragraphBreak() }
        }
    }

    private func isBoilerplate(_ node: HTMLNode) -> Bool {
        let marker = ((node.attribute("class") ?? "") + " " + (node.attribute("id") ?? "")).lowercased()
        guard marker.count > 1 else { return false }
        return boilerplateMarkers.contains { marker.contains($0) }
    }

    static let blockElements: Set<String> = [
        "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt",
        "dd", "blockquote", "pre", "table", "tr", "td", "th", "figure", "figcaption", "hr", "address", "center",
        "details", "summary", "caption", "body",
    ]
}

/// Builds text as paragraphs: whitespace inside a paragraph collapses to one space, paragraphs are
/// separated by one blank line.
struct TextAccumulator {
    private var paragraphs: [String] = []
    private var current = ""
    private var pendingSpace = false

    mutating func append(_ raw: String) {
        for scalar in raw.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !current.isEmpty && current.last != "\n"
            } else {
                if pendingSpace { current.append(" ") }
                pendingSpace = false
                current.unicodeScalars.append(scalar)
            }
        }
    }

    mutating func lineBreak() {
        if !current.isEmpty, current.last != "\n" { current.append("\n") }
        pendingSpace = false
    }

    mutating func paragraphBreak() {
        while current.last == "\n" { current.removeLast() }
        if !current.isEmpty { paragraphs.append(current) }
        current = ""
        pendingSpace = false
    }

    mutating func finish() -> String {
        paragraphBreak()
        return paragraphs.joined(separator: "\n\n")
    }
}

extension HTMLCleaner {
    /// Initialises libxml2 once, on the main thread, before any worker parses (libxml2's threading rule).
    public static func initializeParser() {
        xmlInitParser()
    }
}

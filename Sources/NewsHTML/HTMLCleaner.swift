internal import CLibXML2
internal import Foundation
public import NewsCore

/// Cleans an HTML page into article text plus metadata. Stage `clean` for HTML input.
///
/// The body is found by `ContentExtractor`: the container whose paragraphs score best, with the siblings
/// that belong to it, scripts, navigation and blocks whose class or id marks them as boilerplate removed.
/// Block elements become paragraphs separated by a blank line.
public struct HTMLCleaner: Sendable {
    public var droppedElements: Set<String>
    public var boilerplateMarkers: [String]
    public var contentMarkers: [String]
    public var maxDepth: Int

    public static let defaultDroppedElements: Set<String> = [
        "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "button", "select",
        "option", "textarea", "input", "iframe", "svg", "canvas", "object", "embed", "video", "audio", "map", "dialog",
        "menu", "head", "title", "meta", "link",
    ]

    public init(
        droppedElements: Set<String> = Self.defaultDroppedElements,
        boilerplateMarkers: [String] = [], contentMarkers: [String] = [], maxDepth: Int = 512
    ) {
        self.droppedElements = droppedElements
        self.boilerplateMarkers = boilerplateMarkers.map { $0.lowercased() }
        self.contentMarkers = contentMarkers.map { $0.lowercased() }
        self.maxDepth = maxDepth
    }

    public func clean(_ article: DecodedArticle) throws(StageError) -> CleanArticle {
        guard let document = HTMLDocument(html: article.content), let root = document.root else {
            throw StageError(stage: "clean", code: .parseFailed, message: "libxml2 could not parse the document as HTML")
        }
        var metadata = MetadataCollector()
        metadata.collect(from: root, maxDepth: maxDepth)

        let extractor = ContentExtractor(
            droppedElements: droppedElements, boilerplateMarkers: boilerplateMarkers, contentMarkers: contentMarkers,
            maxDepth: maxDepth)
        let extracted = extractor.extract(from: root)
        var text = extracted.text
        // A page rendered by script has its text only in JSON-LD; a page whose markup lost the article keeps
        // a fuller copy there.
        if let body = metadata.articleBody, body.count > 2 * text.count {
            var accumulator = TextAccumulator()
            for paragraph in body.split(whereSeparator: \.isNewline) {
                accumulator.append(String(paragraph))
                accumulator.paragraphBreak()
            }
            text = accumulator.finish()
        }
        var warnings = article.warnings
        if extracted.depthExceeded {
            warnings.append(
                RecordWarning(code: "html_too_deep", message: "elements nested deeper than \(maxDepth) were skipped"))
        }
        var source = article.source
        source.canonicalURL = metadata.canonicalURL
        return CleanArticle(
            id: article.id, source: source, title: metadata.title, description: metadata.description,
            published: metadata.published, modified: metadata.modified, authors: metadata.authors,
            siteName: metadata.siteName, language: metadata.language, text: text, warnings: warnings,
            inputBytes: article.inputBytes)
    }
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

    /// libxml2's parse alone, with the options `clean` uses: the baseline the extraction benchmark is set
    /// against. False when libxml2 returns no document.
    public static func parseOnly(utf8: [UInt8]) -> Bool {
        HTMLDocument(utf8: utf8)?.root != nil
    }
}

internal import CLibXML2
internal import Foundation
public import NewsCore

/// Cleans an HTML page into article text plus metadata. Stage `clean` for HTML input.
///
/// The body is found by `ContentExtractor`: the container whose paragraphs score best, with the siblings
/// that belong to it, scripts, navigation and blocks whose class or id marks them as boilerplate removed.
/// Block elements become paragraphs separated by a blank line.
public struct HTMLCleaner: Sendable {
    public let maxDepth: Int
    /// libxml2 checks each attribute against the tag's others, so a tag with 100,000 attributes takes
    /// minutes; no real page comes near this.
    public let maxAttributesPerTag = 1_000
    private let extractor: ContentExtractor
    private let byline: BylineVocabulary

    public static let defaultDroppedElements: Set<String> = [
        "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "button", "select",
        "option", "textarea", "input", "iframe", "svg", "canvas", "object", "embed", "video", "audio", "map", "dialog", "figure",
        "menu", "head", "title", "meta", "link",
    ]

    public init(
        droppedElements: Set<String> = Self.defaultDroppedElements,
        boilerplateMarkers: [String] = [], contentMarkers: [String] = [], byline: BylineVocabulary = BylineVocabulary(),
        maxDepth: Int = 512
    ) {
        self.byline = byline
        extractor = ContentExtractor(
            droppedElements: droppedElements, boilerplateMarkers: MarkerWords(boilerplateMarkers),
            contentMarkers: MarkerWords(contentMarkers), maxDepth: maxDepth)
        self.maxDepth = maxDepth
    }

    public func clean(_ article: DecodedArticle) throws(StageError) -> CleanArticle {
        if let crowded = HostileMarkup.crowdedTag(in: article.content.utf8, maxAttributes: maxAttributesPerTag) {
            throw StageError(
                stage: "clean", code: .limitExceeded,
                message: "a tag at byte \(crowded) has more than \(maxAttributesPerTag) attributes: refused as hostile markup")
        }
        guard let document = HTMLDocument(html: article.content), let root = document.root else {
            throw StageError(stage: "clean", code: .parseFailed, message: "libxml2 could not parse the document as HTML")
        }
        var metadata = MetadataCollector(byline: byline)
        metadata.collect(from: root, maxDepth: maxDepth)

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
        if let reason = document.stoppedEarly {
            warnings.append(RecordWarning(code: "html_truncated", message: "libxml2 stopped reading the page: \(reason)"))
        }
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
            let isWhitespace = scalar.isASCII
                ? scalar == " " || scalar == "\n" || scalar == "\t" || scalar == "\r" || scalar == "\u{0C}" || scalar == "\u{0B}"
                : scalar.properties.isWhitespace
            if isWhitespace {
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

/// Linear scans for markup built to make the parser slow.
enum HostileMarkup {
    /// The byte offset of the first tag with more than `maxAttributes` attribute assignments (`=` outside
    /// quotes), or nil. A `<` inside a tag starts counting again, so text such as `a < b` in a script is
    /// never mistaken for a long tag.
    static func crowdedTag(in utf8: String.UTF8View, maxAttributes: Int) -> Int? {
        if let found = utf8.withContiguousStorageIfAvailable({ crowdedTag(in: $0, maxAttributes: maxAttributes) }) {
            return found
        }
        return crowdedTag(in: Array(utf8), maxAttributes: maxAttributes)
    }

    private static func crowdedTag(in utf8: some Collection<UInt8>, maxAttributes: Int) -> Int? {
        var inTag = false
        var quote: UInt8 = 0
        var assignments = 0
        var tagStart = 0
        var offset = 0
        for byte in utf8 {
            defer { offset += 1 }
            if quote != 0 {
                if byte == quote { quote = 0 }
                continue
            }
            switch byte {
            case UInt8(ascii: "<"):
                inTag = true
                assignments = 0
                tagStart = offset
            case UInt8(ascii: ">"):
                inTag = false
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                if inTag { quote = byte }
            case UInt8(ascii: "="):
                if inTag {
                    assignments += 1
                    if assignments > maxAttributes { return tagStart }
                }
            default:
                break
            }
        }
        return nil
    }
}

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
/// separated by one blank line. Works over UTF-8 bytes: rendering appends every text node of the article.
struct TextAccumulator {
    private var text: [UInt8] = []
    /// Where the current paragraph starts in `text`.
    private var paragraphStart = 0
    private var pendingSpace = false

    mutating func append(_ raw: String) {
        var raw = raw
        raw.withUTF8 { append($0) }
    }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            var length = 1
            let isWhitespace: Bool
            if byte < 0x80 {
                isWhitespace = byte.isASCIIWhitespace
            } else {
                let decoded = UTF8Scalar.decode(bytes, at: index)
                length = decoded.length
                isWhitespace = decoded.scalar.properties.isWhitespace
            }
            if isWhitespace {
                pendingSpace = text.count > paragraphStart && text.last != 0x0A
            } else {
                if pendingSpace { text.append(0x20) }
                pendingSpace = false
                text.append(contentsOf: bytes[index..<(index + length)])
            }
            index += length
        }
    }

    mutating func lineBreak() {
        if text.count > paragraphStart, text.last != 0x0A { text.append(0x0A) }
        pendingSpace = false
    }

    mutating func paragraphBreak() {
        while text.count > paragraphStart, text.last == 0x0A { text.removeLast() }
        if text.count > paragraphStart {
            text.append(contentsOf: [0x0A, 0x0A])
            paragraphStart = text.count
        }
        pendingSpace = false
    }

    mutating func finish() -> String {
        paragraphBreak()
        // The separator after the last paragraph.
        if text.count >= 2 { text.removeLast(2) }
        return String(decoding: text, as: UTF8.self)
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
        return Array(utf8).withUnsafeBufferPointer { crowdedTag(in: $0, maxAttributes: maxAttributes) }
    }

    private static func crowdedTag(in bytes: UnsafeBufferPointer<UInt8>, maxAttributes: Int) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        // Outside tags only `<` matters, and inside a quoted value only its closing quote: memchr skips to
        // them, so the scan costs little next to the parse it protects.
        func next(_ byte: UInt8, from start: Int) -> Int? {
            memchr(base + start, Int32(byte), bytes.count - start).map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) - base }
        }
        var offset = 0
        while offset < bytes.count, let open = next(UInt8(ascii: "<"), from: offset) {
            var tagStart = open, assignments = 0
            var index = open + 1
            scan: while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "<"):
                    tagStart = index
                    assignments = 0
                case UInt8(ascii: ">"):
                    break scan
                case UInt8(ascii: "\""), UInt8(ascii: "'"):
                    guard let close = next(bytes[index], from: index + 1) else { return nil }
                    index = close
                case UInt8(ascii: "="):
                    assignments += 1
                    if assignments > maxAttributes { return tagStart }
                default:
                    break
                }
                index += 1
            }
            offset = index + 1
        }
        return nil
    }
}

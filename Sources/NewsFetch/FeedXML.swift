internal import CLibXML2
internal import Foundation

/// Owns one libxml2 XML document (a feed or a sitemap); created, read and freed on one thread (libxml2
/// documents are not thread-safe). Only Swift values leave it.
///
/// Untrusted input: the document is parsed without network, without DTD loading and without entity
/// substitution, and its text is read by `FeedTextGatherer` alone (never `xmlNodeGetContent`, `xmlGetProp`
/// or `xmlNodeGetBase`, which expand entity references without limit): external entities are never read,
/// and internal ones are expanded within a budget, so neither XXE nor "billion laughs" gets through.
final class FeedXMLDocument {
    let document: xmlDocPtr
    let root: xmlNodePtr
    /// Bytes that internal entity references may still add to text read from this document, all fields
    /// together.
    var entityBytesLeft = FeedXMLDocument.maxEntityBytes

    static let maxEntityBytes = 1 << 20

    /// libxml2's global state, set up once before any parse (it is not thread-safe the first time).
    private static let parserReady: Void = { xmlInitParser() }()

    init(bytes: [UInt8], url: String) throws(FeedParseError) {
        _ = Self.parserReady
        guard !bytes.isEmpty else { throw FeedParseError(reason: "not XML: the document is empty") }
        guard bytes.count < Int(Int32.max) else { throw FeedParseError(reason: "not XML: the document is larger than 2 GB") }
        guard let parser = xmlNewParserCtxt() else { throw FeedParseError(reason: "libxml2 could not allocate a parser") }
        defer { xmlFreeParserCtxt(parser) }
        let options = CLibXML2_safeXMLOptions()
        // The encoding comes from the document itself (BOM, XML declaration), as XML wants.
        let parsed = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                xmlCtxtReadMemory(parser, chars.baseAddress, Int32(chars.count), url, nil, options)
            }
        }
        guard let parsed, let root = xmlDocGetRootElement(parsed) else {
            if let parsed { xmlFreeDoc(parsed) }
            var message = "no root element"
            if let text = parser.pointee.lastError.message {
                let reason = String(cString: text).trimmingCharacters(in: .whitespacesAndNewlines)
                if !reason.isEmpty { message = reason }
            }
            throw FeedParseError(reason: "not XML: \(message)")
        }
        document = parsed
        self.root = root
    }

    deinit {
        xmlFreeDoc(document)
    }

    var rootElement: FeedXMLNode { FeedXMLNode(root, owner: self) }
}

/// A borrowed view of an element; it keeps its document alive.
struct FeedXMLNode {
    let pointer: xmlNodePtr
    let owner: FeedXMLDocument

    init(_ pointer: xmlNodePtr, owner: FeedXMLDocument) {
        self.pointer = pointer
        self.owner = owner
    }

    /// The element's name without its prefix (`date` for `dc:date`).
    var localName: String {
        guard let name = pointer.pointee.name else { return "" }
        return String(cString: name)
    }

    /// The namespace URI the element is in, nil when none.
    var namespace: String? {
        guard let href = pointer.pointee.ns?.pointee.href else { return nil }
        return String(cString: href)
    }

    /// Whether this is the element `name` in one of `namespaces` (nil in the set: no namespace).
    func matches(_ name: String, in namespaces: Set<String?>) -> Bool {
        localName == name && namespaces.contains(namespace)
    }

    /// Child elements, in document order.
    var elements: FeedXMLElements { FeedXMLElements(first: pointer.pointee.children, owner: owner) }

    /// The first child element `name` in one of `namespaces`.
    func child(_ name: String, in namespaces: Set<String?>) -> FeedXMLNode? {
        elements.first { $0.matches(name, in: namespaces) }
    }

    /// The parent, when it is an element.
    var parent: FeedXMLNode? {
        guard let parent = pointer.pointee.parent, parent.pointee.type == XML_ELEMENT_NODE else { return nil }
        return FeedXMLNode(parent, owner: owner)
    }

    /// The element's text (its descendants' text, internal entities expanded within budget), at most
    /// `maxBytes` bytes of it. `separateBlocks` puts a space around block elements and skips scripts and styles (XHTML content).
    func rawText(maxBytes: Int, separateBlocks: Bool = false) -> FeedRawText {
        var gatherer = FeedTextGatherer(maxBytes: maxBytes, owner: owner, separateBlocks: separateBlocks)
        if separateBlocks { gatherer.skipped = FeedText.nonTextElements }
        gatherer.walk(pointer.pointee.children, depth: 0, inEntity: false)
        return gatherer.result
    }

    /// The trimmed text, nil when empty or longer than `maxBytes` (a URL, an id or a date that long is junk).
    func string(maxBytes: Int = 8_192) -> String? {
        rawText(maxBytes: maxBytes).completeString
    }

    /// The attribute's trimmed value, nil when absent, empty or longer than `maxBytes`. Unprefixed
    /// attributes have no namespace; `xml:base` is in `FeedXMLNode.xmlNamespace`. Defaults declared in a
    /// DTD are ignored (the properties are read directly, not through `xmlHasProp`).
    func attribute(_ name: String, namespace: String? = nil, maxBytes: Int = 8_192) -> String? {
        var cursor = pointer.pointee.properties
        while let attribute = cursor {
            cursor = attribute.pointee.next
            guard let attributeName = attribute.pointee.name, String(cString: attributeName) == name else { continue }
            var attributeNamespace: String?
            if let href = attribute.pointee.ns?.pointee.href { attributeNamespace = String(cString: href) }
            guard attributeNamespace == namespace else { continue }
            var gatherer = FeedTextGatherer(maxBytes: maxBytes, owner: owner, separateBlocks: false)
            gatherer.walk(attribute.pointee.children, depth: 0, inEntity: false)
            return gatherer.result.completeString
        }
        return nil
    }

    static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"

    /// The base URI links in this element resolve against: `documentURL` with each `xml:base` from the root
    /// down to this element applied in turn.
    func baseURL(documentURL: String) -> String {
        var bases: [String] = []
        var node: FeedXMLNode? = self
        while let current = node, bases.count < 64 {
            if let base = current.attribute("base", namespace: Self.xmlNamespace) { bases.append(base) }
            node = current.parent
        }
        var result = documentURL
        for base in bases.reversed() {
            if let resolved = FeedLink.resolveAny(base, against: result) { result = resolved }
        }
        return result
    }
}

struct FeedXMLElements: Sequence, IteratorProtocol {
    private var cursor: xmlNodePtr?
    private let owner: FeedXMLDocument

    init(first: xmlNodePtr?, owner: FeedXMLDocument) {
        cursor = first
        self.owner = owner
    }

    mutating func next() -> FeedXMLNode? {
        while let current = cursor {
            cursor = current.pointee.next
            if current.pointee.type == XML_ELEMENT_NODE { return FeedXMLNode(current, owner: owner) }
        }
        return nil
    }
}

/// Text bytes read from a node, and whether the budget cut them short.
struct FeedRawText {
    var bytes: [UInt8]
    var truncated: Bool

    /// The trimmed text when it was read whole and is not empty.
    var completeString: String? {
        guard !truncated else { return nil }
        let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}

/// Collects the text under a node with bounded work: at most `maxBytes` bytes, `maxVisits` nodes and
/// `maxDepth` levels (elements and entity references together), and, for entity expansions, the
/// document's shared `entityBytesLeft`. External entities are never read; comments and processing
/// instructions are skipped.
struct FeedTextGatherer {
    private(set) var bytes: [UInt8] = []
    private(set) var truncated = false
    let maxBytes: Int
    /// The document whose entities references resolve to; nil for HTML documents (which have none).
    let owner: FeedXMLDocument?
    let separateBlocks: Bool
    /// Elements whose content is not text (HTML scripts and styles).
    var skipped: Set<String> = []
    private var visitsLeft = FeedTextGatherer.maxVisits

    static let maxVisits = 100_000
    static let maxDepth = 64

    init(maxBytes: Int, owner: FeedXMLDocument?, separateBlocks: Bool) {
        self.maxBytes = maxBytes
        self.owner = owner
        self.separateBlocks = separateBlocks
    }

    var result: FeedRawText { FeedRawText(bytes: bytes, truncated: truncated) }

    private var isFull: Bool { truncated || visitsLeft <= 0 }

    private mutating func append(_ content: UnsafePointer<xmlChar>, fromEntity: Bool) {
        guard content.pointee != 0 else { return }
        var room = maxBytes - bytes.count
        if fromEntity, let owner { room = min(room, owner.entityBytesLeft) }
        guard room > 0 else {
            truncated = true
            return
        }
        let length = strnlen(UnsafeRawPointer(content).assumingMemoryBound(to: CChar.self), room + 1)
        let taken = min(length, room)
        bytes.append(contentsOf: UnsafeBufferPointer(start: content, count: taken))
        if fromEntity, let owner { owner.entityBytesLeft -= taken }
        if length > room { truncated = true }
    }

    private mutating func appendSpace() {
        guard bytes.count < maxBytes, let last = bytes.last, last != 0x20 else { return }
        bytes.append(0x20)
    }

    mutating func walk(_ first: xmlNodePtr?, depth: Int, inEntity: Bool) {
        var cursor = first
        while let node = cursor, !isFull {
            cursor = node.pointee.next
            visitsLeft -= 1
            switch node.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = node.pointee.content { append(UnsafePointer(content), fromEntity: inEntity) }
            case XML_ELEMENT_NODE:
                guard depth < Self.maxDepth else { continue }
                var block = false
                if separateBlocks || !skipped.isEmpty, let name = node.pointee.name {
                    let lowercased = String(cString: name).lowercased()
                    if skipped.contains(lowercased) { continue }
                    block = separateBlocks && FeedText.blockElements.contains(lowercased)
                }
                if block { appendSpace() }
                walk(node.pointee.children, depth: depth + 1, inEntity: inEntity)
                if block { appendSpace() }
            case XML_ENTITY_REF_NODE:
                // Only entities the document declares itself, never loaded from elsewhere.
                guard depth < Self.maxDepth, let owner, owner.entityBytesLeft > 0, let name = node.pointee.name,
                    let entity = xmlGetDocEntity(owner.document, name)
                else { continue }
                switch entity.pointee.etype {
                case XML_INTERNAL_PREDEFINED_ENTITY:
                    if let content = entity.pointee.content { append(UnsafePointer(content), fromEntity: true) }
                case XML_INTERNAL_GENERAL_ENTITY:
                    walk(entity.pointee.children, depth: depth + 1, inEntity: true)
                default:
                    break
                }
            default:
                break
            }
        }
        if visitsLeft <= 0 { truncated = true }
    }
}

/// Plain text from feed fields: whitespace collapsed, HTML reduced to its text, length bounded.
enum FeedText {
    /// Block-level HTML elements: their text is kept apart from the text around them.
    static let blockElements: Set<String> = [
        "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt", "figcaption", "figure",
        "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "nav", "ol", "p", "pre", "section", "table",
        "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    ]

    /// HTML elements whose content is never text a reader sees.
    static let nonTextElements: Set<String> = ["head", "script", "style", "template", "noscript", "svg", "math"]

    /// At most this much of an HTML fragment is parsed: enough for a 1,000-character summary, and a bound on
    /// the HTML parser's work for each item.
    static let maxHTMLBytes = 32_768

    /// Runs of whitespace (and control characters) as one space, none at the ends.
    static func collapsed(_ bytes: some Collection<UInt8>) -> String {
        let decoded = String(decoding: bytes, as: UTF8.self)
        var result = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in decoded.unicodeScalars {
            let value = scalar.value
            if scalar.properties.isWhitespace || value < 0x20 || (0x7F...0x9F).contains(value) || value == 0xFEFF {
                pendingSpace = !result.isEmpty
            } else {
                if pendingSpace { result.append(" ") }
                pendingSpace = false
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// `text` cut to at most `limit` characters, at a word boundary when one is near, with `…` marking the cut.
    static func truncated(_ text: String, to limit: Int) -> String {
        guard limit > 1, text.count > limit else { return text }
        let end = text.index(text.startIndex, offsetBy: limit - 1)
        var head = text[..<end]
        if let space = head.lastIndex(of: " "), head.distance(from: space, to: head.endIndex) <= 80 {
            head = head[..<space]
        }
        while head.last == " " { head = head.dropLast() }
        return String(head) + "…"
    }

    /// Plain text: collapsed and bounded; nil when nothing is left.
    static func plain(_ raw: FeedRawText, limit: Int) -> String? {
        let text = truncated(collapsed(completeUTF8(raw)), to: limit)
        return text.isEmpty ? nil : text
    }

    /// An HTML fragment's text: tags dropped, entities decoded, blocks separated, whitespace collapsed.
    static func html(_ raw: FeedRawText, limit: Int) -> String? {
        let bytes = completeUTF8(raw)
        // No markup and no entity: the text is its own plain form.
        guard bytes.contains(UInt8(ascii: "<")) || bytes.contains(UInt8(ascii: "&")) else {
            return plain(raw, limit: limit)
        }
        let input = bytes.count > maxHTMLBytes ? completeUTF8(FeedRawText(bytes: Array(bytes.prefix(maxHTMLBytes)), truncated: true)) : bytes
        let options = CLibXML2_safeHTMLOptions() | Int32(HTML_PARSE_IGNORE_ENC.rawValue)
        let parsed = input.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                htmlReadMemory(chars.baseAddress, Int32(chars.count), nil, "UTF-8", options)
            }
        }
        guard let parsed else { return nil }
        defer { xmlFreeDoc(parsed) }
        guard let root = xmlDocGetRootElement(parsed) else { return nil }
        var gatherer = FeedTextGatherer(maxBytes: limit * 8, owner: nil, separateBlocks: true)
        gatherer.skipped = nonTextElements
        gatherer.walk(root, depth: 0, inEntity: false)
        let text = truncated(collapsed(completeUTF8(gatherer.result)), to: limit)
        return text.isEmpty ? nil : text
    }

    /// Whether text from an RSS title looks like escaped HTML (`<b>…</b>`, `&amp;amp;`, `&#8217;`), which
    /// feeds put there although RSS does not say titles may hold markup.
    static func looksLikeMarkup(_ bytes: [UInt8]) -> Bool {
        for index in bytes.indices {
            let byte = bytes[index]
            guard index + 1 < bytes.count else { break }
            let next = bytes[index + 1]
            if byte == UInt8(ascii: "<") {
                if next == UInt8(ascii: "/") || next == UInt8(ascii: "!") || isASCIILetter(next) { return true }
            } else if byte == UInt8(ascii: "&") {
                // `&name;` or `&#digits;`: letters, digits and `#` up to a `;` close by.
                var cursor = index + 1
                while cursor < bytes.count, cursor - index <= 32,
                    isASCIILetter(bytes[cursor]) || (0x30...0x39).contains(bytes[cursor]) || bytes[cursor] == UInt8(ascii: "#")
                {
                    cursor += 1
                }
                if cursor > index + 1, cursor < bytes.count, bytes[cursor] == UInt8(ascii: ";") { return true }
            }
        }
        return false
    }

    private static func isASCIILetter(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    /// The bytes, less a UTF-8 sequence the budget cut in half at the end.
    static func completeUTF8(_ raw: FeedRawText) -> [UInt8] {
        let bytes = raw.bytes
        guard raw.truncated, !bytes.isEmpty else { return bytes }
        var start = bytes.count - 1
        var continuations = 0
        while start > 0, continuations < 3, bytes[start] & 0xC0 == 0x80 {
            start -= 1
            continuations += 1
        }
        let lead = bytes[start]
        let needed = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        return bytes.count - start >= needed ? bytes : Array(bytes[..<start])
    }
}

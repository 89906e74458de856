internal import CLibXML2
internal import NewsCore
internal import Foundation

/// Owns one libxml2 document; created, used and freed on a single worker (libxml2 documents are not
/// thread-safe). Only Swift values leave this type.
final class HTMLDocument {
    private let document: htmlDocPtr
    /// libxml2's reason when it stopped before the end of the input (nesting past its depth limit, say).
    let stoppedEarly: String?

    /// Parses `html` with network access and external entities off and the page's own charset
    /// declaration ignored: the bytes were decoded to UTF-8 by ingest already.
    convenience init?(html: String) {
        var html = html
        // A native string is contiguous UTF-8 already: parsed in place, not copied (pages run to megabytes).
        self.init(parsed: html.withUTF8(Self.parse))
    }

    convenience init?(utf8: [UInt8]) {
        self.init(parsed: utf8.withUnsafeBufferPointer(Self.parse))
    }

    private init?(parsed: (document: htmlDocPtr, stoppedEarly: String?)?) {
        guard let parsed else { return nil }
        document = parsed.document
        stoppedEarly = parsed.stoppedEarly
    }

    private static func parse(_ utf8: UnsafeBufferPointer<UInt8>) -> (document: htmlDocPtr, stoppedEarly: String?)? {
        let parser = htmlNewParserCtxt()
        guard let parser else { return nil }
        defer { htmlFreeParserCtxt(parser) }
        let empty: StaticString = "<html></html>"
        let (bytes, count) =
            utf8.isEmpty
            ? (UnsafeRawPointer(empty.utf8Start), empty.utf8CodeUnitCount) : (UnsafeRawPointer(utf8.baseAddress!), utf8.count)
        let options = CLibXML2_safeHTMLOptions() | Int32(HTML_PARSE_IGNORE_ENC.rawValue)
        let parsed = htmlCtxtReadMemory(parser, bytes.assumingMemoryBound(to: CChar.self), Int32(count), nil, "UTF-8", options)
        guard let parsed else { return nil }
        let error = parser.pointee.lastError
        // Recoverable HTML errors are silenced by the options; a fatal one means the rest was not read.
        if error.level == XML_ERR_FATAL, let message = error.message {
            return (parsed, String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return (parsed, nil)
    }

    deinit {
        xmlFreeDoc(document)
    }

    var root: HTMLNode? {
        xmlDocGetRootElement(document).map(HTMLNode.init)
    }
}

/// A borrowed view of a node; valid only while its `HTMLDocument` lives.
struct HTMLNode {
    fileprivate let pointer: xmlNodePtr

    /// The node's address: the same node seen twice is equal, for sets of nodes.
    var identity: UnsafeMutableRawPointer { UnsafeMutableRawPointer(pointer) }

    fileprivate init(_ pointer: xmlNodePtr) {
        self.pointer = pointer
    }

    var isElement: Bool { pointer.pointee.type == XML_ELEMENT_NODE }
    var isText: Bool { pointer.pointee.type == XML_TEXT_NODE || pointer.pointee.type == XML_CDATA_SECTION_NODE }

    /// Lower-case element name (libxml2's HTML parser lower-cases names already).
    var name: String {
        guard let name = pointer.pointee.name else { return "" }
        return String(cString: name)
    }

    var children: HTMLChildren { HTMLChildren(first: pointer.pointee.children) }

    /// The node's own text content (text nodes) or all descendant text (elements).
    var content: String {
        if isText, let content = pointer.pointee.content { return String(cString: content) }
        guard let content = xmlNodeGetContent(pointer) else { return "" }
        defer { CLibXML2_free(content) }
        return String(cString: content)
    }

    /// Calls `body` with a text node's bytes in place (UTF-8, as libxml2 keeps them), without copying.
    func withTextBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        guard isText, let content = pointer.pointee.content else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
        return body(UnsafeBufferPointer(start: content, count: strlen(UnsafeRawPointer(content).assumingMemoryBound(to: CChar.self))))
    }

    /// Descendant text with a line break for each `<br>` and around block elements, for short fields whose
    /// parts the markup separates only by layout (`Eric Tucker<br>Associated Press`).
    func lineSeparatedContent(maxDepth: Int = 32) -> String {
        var text = ""
        func walk(_ node: HTMLNode, depth: Int) {
            for child in node.children {
                if child.isText {
                    text += child.content
                } else if child.isElement, depth < maxDepth {
                    let name = child.name
                    let breaks = name == "br" || name == "div" || name == "p" || name == "li"
                    if breaks { text += "\n" }
                    walk(child, depth: depth + 1)
                    if breaks { text += "\n" }
                }
            }
        }
        walk(self, depth: 0)
        return text
    }

    /// Values longer than `maxAttributeBytes` count as absent: no class, date or description is that long,
    /// and copying a hostile 20 MB attribute into strings again and again is how a page stalls a worker.
    func attribute(_ name: StaticString) -> String? {
        withAttributeValue(name) { value in
            let length = strnlen(UnsafeRawPointer(value).assumingMemoryBound(to: CChar.self), Self.maxAttributeBytes + 1)
            return length <= Self.maxAttributeBytes ? String(decoding: UnsafeBufferPointer(start: value, count: length), as: UTF8.self) : nil
        } ?? nil
    }

    static let maxAttributeBytes = 65_536

    /// Whether the attribute's value is `lowercaseValue`, ignoring ASCII case; no string is made.
    func attribute(_ name: StaticString, is lowercaseValue: String) -> Bool {
        withAttributeBytes(name) { bytes in
            bytes.count == lowercaseValue.utf8.count
                && zip(bytes, lowercaseValue.utf8).allSatisfy { byte, expected in byte.asciiLowercased == expected }
        } ?? false
    }

    /// Calls `body` with the attribute's bytes in place (at most `maxAttributeBytes` of them), without copying
    /// them (nil when absent). For the class and id tests run on every element.
    func withAttributeBytes<Result>(_ name: StaticString, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result? {
        withAttributeValue(name) { value in
            body(UnsafeBufferPointer(start: value, count: strnlen(UnsafeRawPointer(value).assumingMemoryBound(to: CChar.self), Self.maxAttributeBytes)))
        }
    }

    /// Calls `body` with the attribute's NUL-terminated value. The element's own attributes are read directly:
    /// `xmlHasProp` and `xmlGetProp` also search the document's DTD for defaults whenever an attribute is
    /// absent, which is most of the time, and HTML has no defaults newsflow reads. Names are static strings:
    /// passing a `String` to C makes a NUL-terminated copy on every call.
    private func withAttributeValue<Result>(_ name: StaticString, _ body: (UnsafePointer<UInt8>) -> Result) -> Result? {
        var cursor = pointer.pointee.properties
        while let attribute = cursor {
            cursor = attribute.pointee.next
            // The first byte rules out nearly every other attribute without a call.
            guard let attributeName = attribute.pointee.name, attributeName.pointee == name.utf8Start.pointee,
                strcmp(UnsafeRawPointer(attributeName).assumingMemoryBound(to: CChar.self), UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self)) == 0
            else { continue }
            if let text = attribute.pointee.children, text.pointee.next == nil, let content = text.pointee.content {
                return body(content)
            }
            // A value that holds entities is a list of nodes; join it then.
            guard let value = xmlNodeListGetString(pointer.pointee.doc, attribute.pointee.children, 1) else {
                return "".withCString { body(UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self)) }
            }
            defer { CLibXML2_free(value) }
            return body(value)
        }
        return nil
    }
}

struct HTMLChildren: Sequence, IteratorProtocol {
    private var cursor: xmlNodePtr?

    fileprivate init(first: xmlNodePtr?) {
        cursor = first
    }

    mutating func next() -> HTMLNode? {
        guard let current = cursor else { return nil }
        cursor = current.pointee.next
        return HTMLNode(current)
    }
}

/// Writes JSON with keys in the order they are written, so records have one fixed layout.
/// Strings are escaped per RFC 8259; non-ASCII is written as UTF-8 and `/` is left alone.
public struct JSONWriter {
    /// UTF-8 bytes: appending bytes is several times cheaper than appending to a String.
    private var bytes: [UInt8] = []
    private var needsComma: [Bool] = [false]
    private var pendingValueAfterKey = false

    public init() {
        bytes.reserveCapacity(16_384)
    }

    public var output: String { String(decoding: bytes, as: UTF8.self) }

    public mutating func beginObject() {
        separate()
        append("{")
        needsComma.append(false)
    }

    public mutating func endObject() {
        append("}")
        needsComma.removeLast()
    }

    public mutating func beginArray() {
        separate()
        append("[")
        needsComma.append(false)
    }

    public mutating func endArray() {
        append("]")
        needsComma.removeLast()
    }

    /// Writes `"name":` ; the value written next belongs to it.
    public mutating func key(_ name: String) {
        separate()
        appendQuoted(name)
        append(":")
        // The value that follows belongs to this key and must not get a comma of its own.
        pendingValueAfterKey = true
    }

    public mutating func string(_ value: String?) {
        separate()
        if let value { appendQuoted(value) } else { append("null") }
    }

    public mutating func int(_ value: Int) {
        separate()
        append(String(value))
    }

    public mutating func decimal(_ value: ExactDecimal) {
        separate()
        append(value.description)
    }

    public mutating func bool(_ value: Bool) {
        separate()
        append(value ? "true" : "false")
    }

    public mutating func null() {
        separate()
        append("null")
    }

    public mutating func field(_ name: String, _ value: String?) {
        key(name)
        string(value)
    }

    public mutating func field(_ name: String, _ value: Int) {
        key(name)
        int(value)
    }

    private mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    private mutating func separate() {
        if pendingValueAfterKey {
            pendingValueAfterKey = false
            return
        }
        if needsComma[needsComma.count - 1] { append(",") }
        needsComma[needsComma.count - 1] = true
    }

    private mutating func appendQuoted(_ value: String) {
        var value = value
        value.withUTF8 { Self.appendQuoted($0, to: &bytes) }
    }

    /// Escapes per RFC 8259, copying runs of bytes that need no escape in one go.
    static func appendQuoted(_ utf8: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var runStart = 0
        var index = 0
        func flush(upTo end: Int) {
            if end > runStart { output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<end])) }
        }
        while index < utf8.count {
            let byte = utf8[index]
            let escape: [UInt8]?
            var length = 1
            switch byte {
            case UInt8(ascii: "\""): escape = Array(#"\""#.utf8)
            case UInt8(ascii: "\\"): escape = Array(#"\\"#.utf8)
            case 0x0A: escape = Array(#"\n"#.utf8)
            case 0x0D: escape = Array(#"\r"#.utf8)
            case 0x09: escape = Array(#"\t"#.utf8)
            case 0x08: escape = Array(#"\b"#.utf8)
            case 0x0C: escape = Array(#"\f"#.utf8)
            case 0x00..<0x20:
                let hex = String(byte, radix: 16)
                escape = Array(("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
            case 0xE2 where index + 2 < utf8.count && utf8[index + 1] == 0x80 && (utf8[index + 2] == 0xA8 || utf8[index + 2] == 0xA9):
                // U+2028 and U+2029: valid JSON, but they break JavaScript line readers.
                escape = Array((utf8[index + 2] == 0xA8 ? #"\u2028"# : #"\u2029"#).utf8)
                length = 3
            default:
                escape = nil
            }
            if let escape {
                flush(upTo: index)
                output.append(contentsOf: escape)
                index += length
                runStart = index
            } else {
                index += 1
            }
        }
        flush(upTo: index)
        output.append(UInt8(ascii: "\""))
    }
}

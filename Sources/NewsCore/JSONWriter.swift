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
    /// The bytes as written, for sinks that take bytes: no UTF-8 validation, as a `String` needs.
    public var outputBytes: [UInt8] { bytes }

    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma.append(false)
    }

    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma.removeLast()
    }

    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma.append(false)
    }

    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma.removeLast()
    }

    /// Writes `"name":` ; the value written next belongs to it. Names are the schema's own, so written as
    /// they are: a record has dozens of them, and escaping each showed in profiles.
    public mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        // The value that follows belongs to this key and must not get a comma of its own.
        pendingValueAfterKey = true
    }

    public mutating func string(_ value: String?) {
        separate()
        if let value { appendQuoted(value) } else { append("null") }
    }

    public mutating func int(_ value: Int) {
        separate()
        // Digits straight into the buffer, without a String per number.
        let magnitude = value.magnitude
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var divisor: UInt = 1
        while magnitude / divisor >= 10 { divisor *= 10 }
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude / divisor % 10))
            divisor /= 10
        }
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

    public mutating func field(_ name: StaticString, _ value: String?) {
        key(name)
        string(value)
    }

    public mutating func field(_ name: StaticString, _ value: Int) {
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
        if needsComma[needsComma.count - 1] { bytes.append(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
    }

    private mutating func appendQuoted(_ value: String) {
        var value = value
        value.withUTF8 { Self.appendQuoted($0, to: &bytes) }
    }

    /// Escapes per RFC 8259, copying runs of bytes that need no escape in one go.
    static func appendQuoted(_ utf8: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        let mayNeedEscape = Self.mayNeedEscape
        var runStart = 0
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            // Most bytes of a text need nothing: one table look-up each.
            guard mayNeedEscape[Int(byte)] else {
                index += 1
                continue
            }
            var length = 1
            let escape: StaticString
            switch byte {
            case UInt8(ascii: "\""): escape = #"\""#
            case UInt8(ascii: "\\"): escape = #"\\"#
            case 0x0A: escape = #"\n"#
            case 0x0D: escape = #"\r"#
            case 0x09: escape = #"\t"#
            case 0x08: escape = #"\b"#
            case 0x0C: escape = #"\f"#
            case 0x00..<0x20: escape = ""
            default:
                // U+2028 and U+2029 (E2 80 A8/A9): valid JSON, but they break JavaScript line readers.
                guard index + 2 < utf8.count, utf8[index + 1] == 0x80, utf8[index + 2] == 0xA8 || utf8[index + 2] == 0xA9 else {
                    index += 1
                    continue
                }
                escape = utf8[index + 2] == 0xA8 ? #"\u2028"# : #"\u2029"#
                length = 3
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
            if escape.utf8CodeUnitCount > 0 {
                escape.withUTF8Buffer { output.append(contentsOf: $0) }
            } else {
                let hex = Array("0123456789abcdef".utf8)
                output.append(contentsOf: Array(#"\u00"#.utf8))
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0x0F)])
            }
            index += length
            runStart = index
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
        output.append(UInt8(ascii: "\""))
    }

    /// Control characters, `"`, `\\`, and E2 (the lead byte of U+2028 and U+2029).
    private static let mayNeedEscape: [Bool] = (0..<256).map { byte in
        byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0xE2
    }
}

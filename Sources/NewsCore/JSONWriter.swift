/// Writes JSON with keys in the order they are written, so records have one fixed layout.
/// Strings are escaped per RFC 8259; non-ASCII is written as UTF-8 and `/` is left alone.
public struct JSONWriter {
    public private(set) var output: String = ""
    private var needsComma: [Bool] = [false]
    private var pendingValueAfterKey = false

    public init() {
        output.reserveCapacity(4096)
    }

    public mutating func beginObject() {
        separate()
        output.append("{")
        needsComma.append(false)
    }

    public mutating func endObject() {
        output.append("}")
        needsComma.removeLast()
    }

    public mutating func beginArray() {
        separate()
        output.append("[")
        needsComma.append(false)
    }

    public mutating func endArray() {
        output.append("]")
        needsComma.removeLast()
    }

    /// Writes `"name":` ; the value written next belongs to it.
    public mutating func key(_ name: String) {
        separate()
        Self.appendQuoted(name, to: &output)
        output.append(":")
        // The value that follows belongs to this key and must not get a comma of its own.
        pendingValueAfterKey = true
    }

    public mutating func string(_ value: String?) {
        separate()
        if let value { Self.appendQuoted(value, to: &output) } else { output.append("null") }
    }

    public mutating func int(_ value: Int) {
        separate()
        output.append(String(value))
    }

    public mutating func decimal(_ value: ExactDecimal) {
        separate()
        output.append(value.description)
    }

    public mutating func bool(_ value: Bool) {
        separate()
        output.append(value ? "true" : "false")
    }

    public mutating func null() {
        separate()
        output.append("null")
    }

    public mutating func field(_ name: String, _ value: String?) {
        key(name)
        string(value)
    }

    public mutating func field(_ name: String, _ value: Int) {
        key(name)
        int(value)
    }

    private mutating func separate() {
        if pendingValueAfterKey {
            pendingValueAfterKey = false
            return
        }
        if needsComma[needsComma.count - 1] { output.append(",") }
        needsComma[needsComma.count - 1] = true
    }

    public static func appendQuoted(_ value: String, to output: inout String) {
        output.append("\"")
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output.append("\\\"")
            case "\\": output.append("\\\\")
            case "\n": output.append("\\n")
            case "\r": output.append("\\r")
            case "\t": output.append("\\t")
            case "\u{08}": output.append("\\b")
            case "\u{0C}": output.append("\\f")
            case "\u{2028}": output.append("\\u2028")  // valid JSON, but breaks JavaScript line readers
            case "\u{2029}": output.append("\\u2029")
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    output.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output.append("\"")
    }
}

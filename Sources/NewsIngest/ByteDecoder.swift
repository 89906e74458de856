internal import Foundation
public import NewsCore

/// Turns raw bytes into text. Stage `decode`.
///
/// UTF-8 unless a byte-order mark or an HTML meta charset says otherwise. Invalid bytes become U+FFFD and
/// a warning in the record; binary content (NUL bytes, mostly control characters) is an error.
public struct ByteDecoder: Stage {
    public let name = "decode"

    public init() {}

    public func process(_ raw: RawArticle) throws(StageError) -> DecodedArticle {
        let id = articleID(for: raw.bytes)
        var bytes = raw.bytes[...]
        var warnings: [RecordWarning] = []

        let bom = ByteOrderMark(prefixOf: bytes)
        if let bom { bytes = bytes.dropFirst(bom.length) }

        if bom == nil || bom == .utf8 {
            try rejectBinary(bytes)
        }
        let format = raw.formatHint ?? Self.sniffFormat(bytes)

        let content: String
        switch bom {
        case .utf16LittleEndian, .utf16BigEndian:
            content = decodeUTF16(bytes, bigEndian: bom == .utf16BigEndian, warnings: &warnings)
        case .utf8:
            content = decodeUTF8(bytes, warnings: &warnings)
        case nil:
            // The transport's charset (an HTTP header) outranks the page's own declaration, as in browsers.
            let declared = raw.declaredCharset ?? (format == .html ? HTMLCharset.declared(in: bytes.prefix(4096)) : nil)
            content = decodeDeclared(bytes, label: declared, warnings: &warnings)
        }
        return DecodedArticle(
            id: id, source: raw.source, content: content, format: format, warnings: warnings, inputBytes: raw.bytes.count,
            supplied: raw.supplied)
    }

    /// Decodes with the declared charset, unless the bytes show it is wrong: a legacy declaration on valid
    /// UTF-8, a UTF-8 (or no) declaration on bytes that are not UTF-8, or a single-byte declaration on
    /// East Asian double-byte text. Every such correction is flagged (`charset_mismatch`, `charset_guessed`).
    private func decodeDeclared(_ bytes: ArraySlice<UInt8>, label: String?, warnings: inout [RecordWarning]) -> String {
        let encoding = label.flatMap(TextEncoding.init(label:))
        if let label, encoding == nil {
            warnings.append(
                RecordWarning(code: "unsupported_charset", message: "declared charset \"\(label)\" is not supported; decoded by content"))
        }
        switch encoding {
        case nil, .utf8, .utf16:
            // A page that declares UTF-16 without a BOM is almost always UTF-8 in practice.
            if let valid = String(validating: bytes, as: UTF8.self) { return valid }
            // Mostly UTF-8 is damaged UTF-8. Western single-byte text almost never forms a valid UTF-8
            // sequence by chance, East Asian double-byte text often does: with some of each, only a clean
            // East Asian reading replaces UTF-8.
            let census = UTF8Census(bytes)
            if census.validMultiByte >= census.invalid { return decodeUTF8(bytes, warnings: &warnings) }
            let guess = EncodingDetector.guess(bytes)
            if census.validMultiByte > 0, guess.encoding == .windows1252 { return decodeUTF8(bytes, warnings: &warnings) }
            let stated = encoding == nil ? "no usable charset is declared" : "the page declares \(label ?? "UTF-8")"
            warnings.append(
                RecordWarning(
                    code: encoding == nil ? "charset_guessed" : "charset_mismatch",
                    message: "\(stated) but the bytes are not UTF-8 (\(census.invalid) invalid sequences); decoded as \(guess.encoding)"))
            return guess.decoded.text
        case .some(let declared):
            if UTF8Census(bytes).validMultiByte > 0, let valid = String(validating: bytes, as: UTF8.self) {
                warnings.append(
                    RecordWarning(
                        code: "charset_mismatch",
                        message: "the page declares \(label ?? "\(declared)") but the bytes are valid UTF-8; decoded as UTF-8"))
                return valid
            }
            var isSingleByte = declared == .windows1252
            if case .legacy(_, let single) = declared { isSingleByte = single }
            if isSingleByte, EncodingDetector.looksMultiByte(bytes), case let guess = EncodingDetector.guess(bytes),
                guess.encoding != .windows1252
            {
                warnings.append(
                    RecordWarning(
                        code: "charset_mismatch",
                        message: "the page declares \(label ?? "\(declared)") but the bytes read as \(guess.encoding); decoded as \(guess.encoding)"))
                return guess.decoded.text
            }
            let decoded = LegacyDecoder.decode(bytes, from: declared)
            if decoded.invalidBytes > 0 {
                warnings.append(
                    RecordWarning(
                        code: "invalid_bytes",
                        message: "\(decoded.invalidBytes) byte(s) invalid in \(declared) replaced with U+FFFD"))
            }
            return decoded.text
        }
    }

    private func rejectBinary(_ bytes: ArraySlice<UInt8>) throws(StageError) {
        let sample = bytes.prefix(8192)
        // One pass, over a buffer: this runs on every input.
        let (hasNUL, controls) = sample.withUnsafeBufferPointer { sample in
            var hasNUL = false
            var controls = 0
            for byte in sample where byte < 0x20 {
                if byte == 0 { hasNUL = true }
                if byte != 0x09 && byte != 0x0A && byte != 0x0D && byte != 0x0C { controls += 1 }
            }
            return (hasNUL, controls)
        }
        if hasNUL {
            throw StageError(stage: name, code: .binaryContent, message: "input contains NUL bytes: not a text or HTML file")
        }
        if sample.count >= 64, controls * 10 > sample.count {
            throw StageError(
                stage: name, code: .binaryContent,
                message: "\(controls) of the first \(sample.count) bytes are control characters: not a text or HTML file")
        }
    }

    /// HTML if the document opens like HTML; plain text otherwise. Compared on ASCII-lowered bytes: this runs
    /// on every input, and searching a `String` goes grapheme by grapheme.
    static func sniffFormat(_ bytes: ArraySlice<UInt8>) -> ContentFormat {
        let head = bytes.prefix(1024).map(\.asciiLowercased)
        let trimmed = head.drop(while: \.isASCIIWhitespace)
        let openers = ["<!doctype html", "<html", "<?xml", "<!--"]
        if openers.contains(where: { trimmed.starts(with: $0.utf8) })
            || ["<body", "<head"].contains(where: { head.firstIndex(ofBytes: Array($0.utf8)) != nil })
        {
            return .html
        }
        return .text
    }

    private func decodeUTF8(_ bytes: ArraySlice<UInt8>, warnings: inout [RecordWarning]) -> String {
        // Valid input, by far the common case, is copied in one step; only invalid input is walked scalar by
        // scalar to count and place what was replaced.
        if let valid = String(validating: bytes, as: UTF8.self) { return valid }
        var invalid = 0
        var firstInvalidOffset: Int?
        var scalars = String.UnicodeScalarView()
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var consumed = 0
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                scalars.append(scalar)
                consumed += UTF8.width(scalar)
            case .emptyInput:
                break loop
            case .error:
                if firstInvalidOffset == nil { firstInvalidOffset = consumed }
                invalid += 1
                consumed += 1
                scalars.append("\u{FFFD}")
            }
        }
        if invalid > 0 {
            warnings.append(
                RecordWarning(
                    code: "invalid_utf8",
                    message: "\(invalid) invalid UTF-8 sequence(s) replaced with U+FFFD, the first at byte \(firstInvalidOffset ?? 0)"))
        }
        return String(scalars)
    }

    private func decodeUTF16(_ bytes: ArraySlice<UInt8>, bigEndian: Bool, warnings: inout [RecordWarning]) -> String {
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var index = bytes.startIndex
        while index + 1 < bytes.endIndex {
            let (first, second) = (UInt16(bytes[index]), UInt16(bytes[index + 1]))
            units.append(bigEndian ? first << 8 | second : second << 8 | first)
            index += 2
        }
        var invalid = bytes.count % 2
        var scalars = String.UnicodeScalarView()
        var iterator = units.makeIterator()
        var decoder = UTF16()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): scalars.append(scalar)
            case .emptyInput: break loop
            case .error:
                invalid += 1
                scalars.append("\u{FFFD}")
            }
        }
        if invalid > 0 {
            warnings.append(
                RecordWarning(code: "invalid_utf16", message: "\(invalid) invalid UTF-16 unit(s) replaced with U+FFFD"))
        }
        return String(scalars)
    }
}

enum ByteOrderMark: Equatable {
    case utf8, utf16LittleEndian, utf16BigEndian

    init?(prefixOf bytes: ArraySlice<UInt8>) {
        let head = Array(bytes.prefix(3))
        if head.starts(with: [0xEF, 0xBB, 0xBF]) {
            self = .utf8
        } else if head.starts(with: [0xFF, 0xFE]) {
            self = .utf16LittleEndian
        } else if head.starts(with: [0xFE, 0xFF]) {
            self = .utf16BigEndian
        } else {
            return nil
        }
    }

    var length: Int { self == .utf8 ? 3 : 2 }
}

/// Finds `<meta charset=…>` or `<meta http-equiv="Content-Type" content="…; charset=…">` in a page's head.
enum HTMLCharset {
    /// The label, lower-cased; searched on ASCII-lowered bytes (labels and the tags around them are ASCII).
    static func declared(in head: ArraySlice<UInt8>) -> String? {
        let text = head.map(\.asciiLowercased)
        var searchStart = 0
        let needle = Array("charset".utf8)
        while let start = text.firstIndex(ofBytes: needle, from: searchStart) {
            let found = start..<(start + needle.count)
            searchStart = found.upperBound
            // Only inside a <meta …> tag.
            guard let tagStart = text[..<found.lowerBound].lastIndex(of: UInt8(ascii: "<")),
                text[(tagStart + 1)...].starts(with: "meta".utf8)
            else { continue }
            var rest = text[found.upperBound...].drop(while: { $0 == UInt8(ascii: " ") })
            guard rest.first == UInt8(ascii: "=") else { continue }
            rest = rest.dropFirst().drop(while: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'") })
            let label = rest.prefix(while: { byte in
                (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || "-_:.".utf8.contains(byte)
            })
            if !label.isEmpty { return String(decoding: label, as: UTF8.self) }
        }
        return nil
    }
}

/// Counts of well-formed multi-byte sequences and of invalid bytes: text with many of the first and few of
/// the second is UTF-8 with a few damaged bytes; text with none of the first is another encoding.
struct UTF8Census {
    var validMultiByte = 0
    var invalid = 0

    init(_ bytes: ArraySlice<UInt8>) {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): if !scalar.isASCII { validMultiByte += 1 }
            case .emptyInput: break loop
            case .error: invalid += 1
            }
        }
    }
}

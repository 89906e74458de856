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
            let declared = format == .html ? HTMLCharset.declared(in: bytes.prefix(4096)) : nil
            switch declared.map(TextEncoding.init(label:)) {
            case .some(.some(.windows1252)):
                content = SingleByteCodec.windows1252.decode(bytes)
            case .some(.some(.utf16)):
                // A page that declares UTF-16 without a BOM is almost always UTF-8 in practice.
                content = decodeUTF8(bytes, warnings: &warnings)
            case .some(.some(.utf8)), nil:
                content = decodeUTF8(bytes, warnings: &warnings)
            case .some(nil):
                warnings.append(
                    RecordWarning(
                        code: "unsupported_charset",
                        message: "declared charset \"\(declared ?? "")\" is not supported yet; decoded as UTF-8"))
                content = decodeUTF8(bytes, warnings: &warnings)
            }
        }
        return DecodedArticle(
            id: id, source: raw.source, content: content, format: format, warnings: warnings, inputBytes: raw.bytes.count)
    }

    private func rejectBinary(_ bytes: ArraySlice<UInt8>) throws(StageError) {
        let sample = bytes.prefix(8192)
        if sample.contains(0) {
            throw StageError(stage: name, code: .binaryContent, message: "input contains NUL bytes: not a text or HTML file")
        }
        let controls = sample.lazy.filter { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D && $0 != 0x0C }.count
        if sample.count >= 64, controls * 10 > sample.count {
            throw StageError(
                stage: name, code: .binaryContent,
                message: "\(controls) of the first \(sample.count) bytes are control characters: not a text or HTML file")
        }
    }

    /// HTML if the document opens like HTML; plain text otherwise.
    static func sniffFormat(_ bytes: ArraySlice<UInt8>) -> ContentFormat {
        let head = String(decoding: bytes.prefix(1024), as: UTF8.self).lowercased()
        let trimmed = head.drop(while: { $0.isWhitespace })
        if trimmed.hasPrefix("<!doctype html") || trimmed.hasPrefix("<html") || trimmed.hasPrefix("<?xml")
            || trimmed.hasPrefix("<!--") || head.contains("<body") || head.contains("<head")
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

/// Encodings ingest can decode today. Labels follow the WHATWG Encoding Standard, where
/// `iso-8859-1` and `ascii` mean windows-1252, as browsers treat them.
enum TextEncoding {
    case utf8, utf16, windows1252

    init?(label: String) {
        switch label.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: " \t\"'")) {
        case "utf-8", "utf8", "unicode-1-1-utf-8": self = .utf8
        case "utf-16", "utf-16le", "utf-16be": self = .utf16
        case "windows-1252", "cp1252", "x-cp1252", "iso-8859-1", "iso8859-1", "latin1", "l1", "us-ascii", "ascii",
            "iso_8859-1", "cp819", "ibm819":
            self = .windows1252
        default: return nil
        }
    }
}

/// Finds `<meta charset=…>` or `<meta http-equiv="Content-Type" content="…; charset=…">` in a page's head.
enum HTMLCharset {
    static func declared(in head: ArraySlice<UInt8>) -> String? {
        let text = String(decoding: head, as: UTF8.self).lowercased()
        var searchStart = text.startIndex
        while let range = text.range(of: "charset", range: searchStart..<text.endIndex) {
            searchStart = range.upperBound
            // Only inside a <meta …> tag.
            guard let tagStart = text[..<range.lowerBound].range(of: "<", options: .backwards),
                text[tagStart.upperBound...].hasPrefix("meta")
            else { continue }
            var rest = text[range.upperBound...].drop(while: { $0 == " " })
            guard rest.first == "=" else { continue }
            rest = rest.dropFirst().drop(while: { $0 == " " || $0 == "\"" || $0 == "'" })
            let label = rest.prefix(while: { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ":" || $0 == "." })
            if !label.isEmpty { return String(label) }
        }
        return nil
    }
}

/// Single-byte legacy encodings that map straight onto Unicode.
struct SingleByteCodec {
    /// Code points for bytes 0x80–0x9F; the other bytes are their Latin-1 code points.
    let highControls: [UInt32]

    /// Windows-1252's 0x80–0x9F block (the WHATWG mapping; undefined bytes map to C1 controls).
    static let windows1252 = SingleByteCodec(highControls: [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D,
        0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D,
        0x017E, 0x0178,
    ])

    func decode(_ bytes: ArraySlice<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            let value = (0x80...0x9F).contains(byte) ? highControls[Int(byte) - 0x80] : UInt32(byte)
            scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
        }
        return String(scalars)
    }
}

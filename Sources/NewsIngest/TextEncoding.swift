internal import Foundation
#if canImport(Glibc)
    internal import Glibc
#endif

/// An encoding a page can declare. Labels follow the WHATWG Encoding Standard, where `iso-8859-1` and
/// `ascii` mean windows-1252 and `gb2312` means GBK, as browsers treat them; legacy encodings other than
/// windows-1252 are decoded by the C library's iconv, under its names for them.
enum TextEncoding: Equatable, CustomStringConvertible {
    case utf8, utf16, windows1252
    case legacy(iconvName: String, isSingleByte: Bool)

    init?(label: String) {
        let label = label.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: " \t\"'"))
        switch label {
        case "utf-8", "utf8", "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "x-unicode20utf8": self = .utf8
        case "utf-16", "utf-16le", "utf-16be", "unicode", "ucs-2": self = .utf16
        case "windows-1252", "cp1252", "x-cp1252", "iso-8859-1", "iso8859-1", "latin1", "l1", "us-ascii", "ascii",
            "iso_8859-1", "cp819", "ibm819", "iso-ir-100", "csisolatin1":
            self = .windows1252
        case "gbk", "gb2312", "gb_2312-80", "x-gbk", "cp936", "csgb2312", "chinese", "gb18030", "euc-cn": self = .legacy(iconvName: "GB18030", isSingleByte: false)
        case "big5", "big5-hkscs", "cn-big5", "x-x-big5", "csbig5": self = .legacy(iconvName: "BIG5-HKSCS", isSingleByte: false)
        case "shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "csshiftjis", "windows-31j", "ms932", "cp932": self = .legacy(iconvName: "CP932", isSingleByte: false)
        case "euc-jp", "x-euc-jp", "cseucpkdfmtjapanese": self = .legacy(iconvName: "EUC-JP", isSingleByte: false)
        case "iso-2022-jp", "csiso2022jp": self = .legacy(iconvName: "ISO-2022-JP", isSingleByte: false)
        case "euc-kr", "ks_c_5601-1987", "ks_c_5601-1989", "ksc5601", "ksc_5601", "windows-949", "cp949", "csksc56011987", "korean":
            self = .legacy(iconvName: "UHC", isSingleByte: false)
        case "koi8-r", "koi8", "cskoi8r": self = .legacy(iconvName: "KOI8-R", isSingleByte: true)
        case "koi8-u", "koi8-ru": self = .legacy(iconvName: "KOI8-U", isSingleByte: true)
        case "tis-620", "windows-874", "iso-8859-11", "dos-874": self = .legacy(iconvName: "CP874", isSingleByte: true)
        case "macintosh", "mac", "x-mac-roman", "csmacintosh": self = .legacy(iconvName: "MACINTOSH", isSingleByte: true)
        default:
            if let number = Self.suffixNumber(label, prefixes: ["windows-", "cp", "x-cp"]), (1250...1258).contains(number) {
                self = .legacy(iconvName: "CP\(number)", isSingleByte: true)
            } else if let number = Self.suffixNumber(label, prefixes: ["iso-8859-", "iso8859-", "iso_8859-", "latin"]),
                (2...16).contains(number), number != 12
            {
                // `latinN` numbers differ from the part numbers; only the common ones are mapped.
                let part = label.hasPrefix("latin") ? [2: 2, 3: 3, 4: 4, 5: 9, 6: 10, 7: 13, 8: 14, 9: 15, 10: 16][number] : number
                guard let part else { return nil }
                self = .legacy(iconvName: "ISO-8859-\(part)", isSingleByte: true)
            } else {
                return nil
            }
        }
    }

    private static func suffixNumber(_ label: String, prefixes: [String]) -> Int? {
        for prefix in prefixes where label.hasPrefix(prefix) { return Int(label.dropFirst(prefix.count)) }
        return nil
    }

    var description: String {
        switch self {
        case .utf8: "UTF-8"
        case .utf16: "UTF-16"
        case .windows1252: "windows-1252"
        case .legacy(let name, _): name
        }
    }
}

/// Bytes in a legacy encoding to a String; invalid sequences become U+FFFD, one per bad byte.
enum LegacyDecoder {
    struct Result {
        var text: String
        var invalidBytes: Int
    }

    static func decode(_ bytes: ArraySlice<UInt8>, from encoding: TextEncoding) -> Result {
        switch encoding {
        case .windows1252: return Result(text: windows1252(bytes), invalidBytes: 0)
        case .legacy(let name, _): return iconv(bytes, from: name)
        case .utf8, .utf16: return Result(text: String(decoding: bytes, as: UTF8.self), invalidBytes: 0)
        }
    }

    /// Windows-1252's 0x80–0x9F block (the WHATWG mapping; undefined bytes map to C1 controls); the other
    /// bytes are their Latin-1 code points.
    private static let windows1252High: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D,
        0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D,
        0x017E, 0x0178,
    ]

    private static func windows1252(_ bytes: ArraySlice<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            let value = (0x80...0x9F).contains(byte) ? windows1252High[Int(byte) - 0x80] : UInt32(byte)
            scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
        }
        return String(scalars)
    }

    private static func iconv(_ bytes: ArraySlice<UInt8>, from name: String) -> Result {
        let converter = iconv_open("UTF-8", name)
        guard let converter, converter != iconv_t(bitPattern: -1) else {
            return Result(text: String(decoding: bytes, as: UTF8.self), invalidBytes: bytes.count)
        }
        defer { iconv_close(converter) }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count * 3 / 2 + 16)
        var invalid = 0
        var input = Array(bytes)
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        input.withUnsafeMutableBufferPointer { inputBuffer in
            var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inputBuffer.baseAddress)?
                .assumingMemoryBound(to: CChar.self)
            var inLeft = inputBuffer.count
            while inLeft > 0 {
                let (result, produced, error) = chunk.withUnsafeMutableBufferPointer { out in
                    var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(out.baseAddress)?
                        .assumingMemoryBound(to: CChar.self)
                    var outLeft = out.count
                    let result = Glibc.iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
                    return (result, out.count - outLeft, errno)
                }
                output.append(contentsOf: chunk[0..<produced])
                if result == -1 {
                    switch error {
                    case E2BIG: continue
                    default:
                        // EILSEQ or a truncated sequence at the end (EINVAL): replace one byte and go on.
                        invalid += 1
                        output.append(contentsOf: [0xEF, 0xBF, 0xBD])
                        inPointer = inPointer.map { $0 + 1 }
                        inLeft -= 1
                    }
                }
            }
        }
        return Result(text: String(decoding: output, as: UTF8.self), invalidBytes: invalid)
    }
}

/// Guesses the encoding of bytes that are not UTF-8: the East Asian multi-byte encodings when the bytes
/// decode cleanly as one of them and read like its script, windows-1252 otherwise.
enum EncodingDetector {
    struct Guess {
        var encoding: TextEncoding
        var decoded: LegacyDecoder.Result
    }

    static func guess(_ bytes: ArraySlice<UInt8>) -> Guess {
        if let eastAsian = eastAsian(bytes) { return eastAsian }
        return Guess(encoding: .windows1252, decoded: LegacyDecoder.decode(bytes, from: .windows1252))
    }

    /// Text whose bytes above 0x7F outnumber a fifth of its letters is not a Western European language in a
    /// single-byte encoding (accented letters are a few percent of letters there): it may be East Asian text
    /// declared with the wrong charset.
    static func looksMultiByte(_ bytes: ArraySlice<UInt8>) -> Bool {
        var high = 0, letters = 0
        for byte in bytes {
            if byte >= 0x80 {
                high += 1
            } else if (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A {
                letters += 1
            }
        }
        return high >= 16 && high * 5 > letters + high
    }

    private static let candidates: [(TextEncoding, Script)] = [
        (.legacy(iconvName: "CP932", isSingleByte: false), .japanese),
        (.legacy(iconvName: "EUC-JP", isSingleByte: false), .japanese),
        (.legacy(iconvName: "UHC", isSingleByte: false), .korean),
        (.legacy(iconvName: "GB18030", isSingleByte: false), .chinese),
        (.legacy(iconvName: "BIG5-HKSCS", isSingleByte: false), .chinese),
    ]

    private enum Script { case japanese, korean, chinese }

    /// The first candidate that decodes without a bad byte and whose text is mostly its script. GB18030
    /// accepts nearly any byte pair, so it is taken only when the pairs sit where GBK text puts them; Big5,
    /// tried after it, takes the rest.
    private static func eastAsian(_ bytes: ArraySlice<UInt8>) -> Guess? {
        for (encoding, script) in candidates {
            let decoded = LegacyDecoder.decode(bytes, from: encoding)
            guard decoded.invalidBytes == 0 else { continue }
            var kana = 0, hangul = 0, ideographs = 0, other = 0
            for scalar in decoded.text.unicodeScalars where scalar.value >= 0x80 {
                switch scalar.value {
                case 0x3040...0x30FF: kana += 1
                case 0xAC00...0xD7A3: hangul += 1
                case 0x4E00...0x9FFF: ideographs += 1
                case 0x3000...0x303F, 0xFF00...0xFFEF: break
                default: other += 1
                }
            }
            let total = kana + hangul + ideographs + other
            guard total >= 8 else { continue }
            switch script {
            case .japanese where kana * 10 >= total && other * 10 < total: return Guess(encoding: encoding, decoded: decoded)
            case .korean where hangul * 2 >= total: return Guess(encoding: encoding, decoded: decoded)
            case .chinese where ideographs * 10 >= total * 7:
                if encoding == .legacy(iconvName: "GB18030", isSingleByte: false), gb2312Share(bytes) < 0.8 { continue }
                return Guess(encoding: encoding, decoded: decoded)
            default: continue
            }
        }
        return nil
    }

    /// The share of double-byte pairs that fall in the GB2312 block (lead 0xB0–0xF7, trail 0xA1–0xFE),
    /// where nearly all of the characters of GBK-encoded text are; in Big5 text about half of the trail
    /// bytes are below 0x7F.
    private static func gb2312Share(_ bytes: ArraySlice<UInt8>) -> Double {
        var pairs = 0, inBlock = 0
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let lead = bytes[index]
            guard lead >= 0x81, index + 1 < bytes.endIndex else {
                index += 1
                continue
            }
            let trail = bytes[index + 1]
            pairs += 1
            if (0xB0...0xF7).contains(lead), (0xA1...0xFE).contains(trail) { inBlock += 1 }
            index += 2
        }
        return pairs == 0 ? 0 : Double(inBlock) / Double(pairs)
    }
}

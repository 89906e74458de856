public import NewsCore

/// Cleans plain-text articles: line endings normalised, control characters dropped, trailing spaces
/// trimmed, runs of blank lines folded into one. Stage `clean` for text input.
///
/// The first line is taken as the title when it looks like a headline: short, at least three words, no
/// sentence-final period, and followed by more text.
public struct PlainTextCleaner: Sendable {
    public init() {}

    public func clean(_ article: DecodedArticle) -> CleanArticle {
        // Byte by byte over the UTF-8: splitting a String into Character lines costs more than the recognizers.
        var content = article.content
        var output: [UInt8] = []
        var firstLine: String?
        var lineCount = 0
        content.withUTF8 { utf8 in
            output.reserveCapacity(utf8.count)
            var line: [UInt8] = []
            var blankPending = false
            var index = 0
            while index <= utf8.count {
                let byte = index < utf8.count ? utf8[index] : 0x0A
                if byte == 0x0A || byte == 0x0D {
                    if byte == 0x0D, index + 1 < utf8.count, utf8[index + 1] == 0x0A { index += 1 }
                    line.removeLast(Self.trailingWhitespaceLength(line))
                    if line.isEmpty {
                        blankPending = lineCount > 0
                    } else {
                        if lineCount > 0 { output.append(0x0A) }
                        if blankPending { output.append(0x0A) }
                        blankPending = false
                        if lineCount == 0 { firstLine = String(decoding: line, as: UTF8.self) }
                        output.append(contentsOf: line)
                        lineCount += 1
                    }
                    line.removeAll(keepingCapacity: true)
                } else if byte == 0xC2, index + 1 < utf8.count, (0x80...0x9F).contains(utf8[index + 1]) {
                    index += 1  // a C1 control character: dropped
                } else if (byte >= 0x20 && byte != 0x7F) || byte == 0x09 {
                    line.append(byte)
                }
                index += 1
            }
        }
        return CleanArticle(
            id: article.id, source: article.source, title: lineCount >= 2 ? firstLine.flatMap(headline) : nil,
            text: String(decoding: output, as: UTF8.self), warnings: article.warnings, inputBytes: article.inputBytes)
    }

    /// Bytes of whitespace at the end of a UTF-8 line: ASCII blanks and the Unicode spaces (no-break,
    /// en/em and the other typographic spaces, ideographic space).
    static func trailingWhitespaceLength(_ line: [UInt8]) -> Int {
        var end = line.count
        while end > 0 {
            if line[end - 1] == 0x20 || line[end - 1] == 0x09 {
                end -= 1
            } else if end >= 2, line[end - 2] == 0xC2, line[end - 1] == 0xA0 {
                end -= 2
            } else if end >= 3, let space = Self.threeByteSpaces.first(where: { line[(end - 3)..<end].elementsEqual($0) }) {
                end -= space.count
            } else {
                break
            }
        }
        return line.count - end
    }

    /// U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000 in UTF-8.
    private static let threeByteSpaces: [[UInt8]] =
        [[0xE1, 0x9A, 0x80]] + (0x80...0x8A).map { [0xE2, 0x80, UInt8($0)] }
        + [[0xE2, 0x80, 0xA8], [0xE2, 0x80, 0xA9], [0xE2, 0x80, 0xAF], [0xE2, 0x81, 0x9F], [0xE3, 0x80, 0x80]]

    private func headline(_ first: String) -> String? {
        let candidate = first.drop(while: { $0.isWhitespace })
        // The length first, counting no further than the limit: a first line is often a whole paragraph.
        guard candidate.prefix(201).count <= 200, candidate.split(whereSeparator: { $0.isWhitespace }).count >= 3,
            let last = candidate.last, last != ".", last != ","
        else { return nil }
        return String(candidate)
    }
}

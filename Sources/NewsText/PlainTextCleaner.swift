public import NewsCore

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Cleans plain-text articles: line endings normalised, control characters dropped, trailing spaces
/// trimmed, runs of blank lines folded into one. Stage `clean` for text input.
///
/// The first line is taken as the title when it looks like a headline: short, at least three words, no
/// sentence-final period, and followed by more text.
public struct PlainTextCleaner: Sendable {
    public init() {}

    public func clean(_ article: DecodedArticle) -> CleanArticle {
        // Over the UTF-8 a line at a time: a clean line (nearly all of them) is copied whole, and only a line
        // holding a control character or a C2 byte (which may lead a C1 control) is filtered byte by byte.
        var content = article.content
        var output: [UInt8] = []
        var firstLine: String?
        var lineCount = 0
        var keptPrefix = false
        content.withUTF8 { utf8 in
            output.reserveCapacity(utf8.count)
            var blankPending = false
            var lineStart = 0
            while lineStart <= utf8.count {
                var lineEnd = lineStart
                var needsFilter = false
                while lineEnd < utf8.count {
                    let byte = utf8[lineEnd]
                    if byte < 0x20 || byte == 0x7F || byte == 0xC2 {
                        if byte == 0x0A || byte == 0x0D { break }
                        needsFilter = needsFilter || byte != 0x09
                    }
                    lineEnd += 1
                }
                // The separator goes in first and comes out again if the line turns out blank.
                let mark = output.count
                if lineCount > 0 { output.append(0x0A) }
                if blankPending { output.append(0x0A) }
                let textStart = output.count
                let line = UnsafeBufferPointer(rebasing: utf8[lineStart..<lineEnd])
                if needsFilter { Self.appendFiltered(line, to: &output) } else { output.append(contentsOf: line) }
                output.removeLast(Self.trailingWhitespaceLength(output, from: textStart))
                if output.count == textStart {
                    output.removeLast(output.count - mark)
                    blankPending = lineCount > 0
                } else {
                    blankPending = false
                    if lineCount == 0 { firstLine = String(decoding: output[textStart...], as: UTF8.self) }
                    lineCount += 1
                }
                if lineEnd + 1 < utf8.count, utf8[lineEnd] == 0x0D, utf8[lineEnd + 1] == 0x0A { lineEnd += 1 }
                lineStart = lineEnd + 1
            }
            // Most texts come out as they went in, or less a final line break: then the text is a prefix of the
            // content, copied without validating its UTF-8 again as a new String would be.
            keptPrefix = output.isEmpty || (output.count <= utf8.count && memcmp(output, utf8.baseAddress!, output.count) == 0)
        }
        let text = keptPrefix ? String(content.utf8.prefix(output.count)) : nil
        return CleanArticle(
            id: article.id, source: article.source, title: lineCount >= 2 ? firstLine.flatMap(headline) : nil,
            text: text ?? String(decoding: output, as: UTF8.self), warnings: article.warnings, inputBytes: article.inputBytes)
    }

    /// The line without its control characters: C0 but tab, DEL, and C1 (U+0080–U+009F, `C2 80`–`C2 9F`).
    private static func appendFiltered(_ line: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        var index = 0
        while index < line.count {
            let byte = line[index]
            if byte == 0xC2, index + 1 < line.count, (0x80...0x9F).contains(line[index + 1]) {
                index += 1
            } else if (byte >= 0x20 && byte != 0x7F) || byte == 0x09 {
                output.append(byte)
            }
            index += 1
        }
    }

    /// Bytes of whitespace at the end of `line[from...]`: ASCII blanks and the Unicode spaces (no-break,
    /// en/em and the other typographic spaces, ideographic space).
    private static func trailingWhitespaceLength(_ line: [UInt8], from lower: Int) -> Int {
        var end = line.count
        while end > lower {
            if line[end - 1] == 0x20 || line[end - 1] == 0x09 {
                end -= 1
            } else if end - lower >= 2, line[end - 2] == 0xC2, line[end - 1] == 0xA0 {
                end -= 2
            } else if end - lower >= 3, line[end - 3] >= 0xE1, line[end - 3] <= 0xE3,
                let space = Self.threeByteSpaces.first(where: { line[(end - 3)..<end].elementsEqual($0) })
            {
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

    // A headline: at most this many characters and at least this many words, not ending in `.` or `,`. Both
    // tests below, over characters and over ASCII bytes, read these.
    private static let longestHeadline = 200
    private static let fewestHeadlineWords = 3

    private func headline(_ first: String) -> String? {
        if let ascii = Self.asciiHeadline(first) {
            return !ascii.isHeadline ? nil : ascii.leadingBlanks == 0 ? first : String(first.dropFirst(ascii.leadingBlanks))
        }
        let candidate = first.drop(while: { $0.isWhitespace })
        // The length first, counting no further than the limit: a first line is often a whole paragraph.
        guard candidate.prefix(Self.longestHeadline + 1).count <= Self.longestHeadline,
            candidate.split(whereSeparator: { $0.isWhitespace }).count >= Self.fewestHeadlineWords,
            let last = candidate.last, last != ".", last != ","
        else { return nil }
        return String(candidate)
    }

    /// `headline(_:)`'s test over bytes for an ASCII line, where characters are bytes (walking graphemes cost
    /// more than cleaning the rest of the article): whether it is a headline once its leading blanks are
    /// dropped, and how many there are. Nil for a line that is not ASCII.
    private static func asciiHeadline(_ line: String) -> (isHeadline: Bool, leadingBlanks: Int)? {
        var line = line
        return line.withUTF8 { bytes in
            var words = 0
            var leadingBlanks = 0
            var inWord = false
            for byte in bytes {
                guard byte < 0x80 else { return nil }
                let isBlank = byte.isASCIIWhitespace
                if !isBlank, !inWord { words += 1 }
                if isBlank, words == 0 { leadingBlanks += 1 }
                inWord = !isBlank
            }
            guard bytes.count - leadingBlanks <= longestHeadline, words >= fewestHeadlineWords, let last = bytes.last else {
                return (false, leadingBlanks)
            }
            return (last != UInt8(ascii: ".") && last != UInt8(ascii: ","), leadingBlanks)
        }
    }
}

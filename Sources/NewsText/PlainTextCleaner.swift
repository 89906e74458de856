public import NewsCore

/// Cleans plain-text articles: line endings normalised, control characters dropped, trailing spaces
/// trimmed, runs of blank lines folded into one. Stage `clean` for text input.
///
/// The first line is taken as the title when it looks like a headline: short, at least three words, no
/// sentence-final period, and followed by more text.
public struct PlainTextCleaner: Sendable {
    public init() {}

    public func clean(_ article: DecodedArticle) -> CleanArticle {
        var lines: [Substring] = []
        var blankPending = false
        let normalized = article.content.replacingCRLF()
        for rawLine in normalized.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.withoutControlCharacters.trimmingTrailingWhitespace
            if line.allSatisfy(\.isWhitespace) {
                blankPending = !lines.isEmpty
                continue
            }
            if blankPending { lines.append("") }
            blankPending = false
            lines.append(line)
        }
        let text = lines.joined(separator: "\n")
        return CleanArticle(
            id: article.id, source: article.source, title: headline(lines), text: text, warnings: article.warnings,
            inputBytes: article.inputBytes)
    }

    private func headline(_ lines: [Substring]) -> String? {
        guard lines.count >= 2, let first = lines.first else { return nil }
        let candidate = first.trimmingLeadingWhitespace
        let words = candidate.split(whereSeparator: { $0.isWhitespace }).count
        guard words >= 3, candidate.count <= 200, let last = candidate.last, last != "." , last != ","
        else { return nil }
        return String(candidate)
    }
}

extension String {
    fileprivate func replacingCRLF() -> String {
        guard unicodeScalars.contains("\r") else { return self }
        var result = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in unicodeScalars {
            if scalar == "\r" {
                result.append("\n")
                previousWasCR = true
                continue
            }
            if !(scalar == "\n" && previousWasCR) { result.append(scalar) }
            previousWasCR = false
        }
        return String(result)
    }
}

extension Substring {
    fileprivate var withoutControlCharacters: Substring {
        // C0 and C1 controls are exactly the general category Cc; test the ranges, not the property table.
        func isDroppedControl(_ scalar: Unicode.Scalar) -> Bool {
            (scalar.value < 0x20 && scalar != "\t") || (scalar.value >= 0x7F && scalar.value <= 0x9F)
        }
        guard unicodeScalars.contains(where: isDroppedControl) else { return self }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: unicodeScalars.filter { !isDroppedControl($0) })
        return Substring(String(view))
    }

    fileprivate var trimmingTrailingWhitespace: Substring {
        var end = endIndex
        while end > startIndex, self[index(before: end)].isWhitespace { end = index(before: end) }
        return self[startIndex..<end]
    }

    fileprivate var trimmingLeadingWhitespace: Substring {
        drop(while: { $0.isWhitespace })
    }
}

internal import NewsCore

/// The words of class names and ids, matched on their bytes: this runs on every element of every page,
/// so it makes no strings. `article__body main-text` is two names, [article, body] and [main, text]; a word
/// is a run of ASCII letters and digits or of non-ASCII bytes, compared without case.
enum ClassWords {
    /// Calls `body(nameIndex, word)` for every word, `nameIndex` counting the whitespace-separated names.
    static func forEachWord(in bytes: UnsafeBufferPointer<UInt8>, _ body: (Int, UnsafeBufferPointer<UInt8>.SubSequence) -> Void) {
        var name = 0
        var wordStart = -1
        var sawWordInName = false
        for index in 0...bytes.count {
            let byte: UInt8 = index < bytes.count ? bytes[index] : 0x20
            if isWordByte(byte) {
                if wordStart < 0 { wordStart = index }
                continue
            }
            if wordStart >= 0 {
                body(name, bytes[wordStart..<index])
                wordStart = -1
                sawWordInName = true
            }
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C, sawWordInName {
                name += 1
                sawWordInName = false
            }
        }
    }

    @inline(__always)
    private static func isWordByte(_ byte: UInt8) -> Bool {
        byte >= 0x80 || (byte >= 0x30 && byte <= 0x39) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A)
    }
}

/// Lower-case marker words, each matching a word it starts (`nav` in `navbar`) or, with `wholeWords`, only
/// a word it equals.
struct MarkerWords: Sendable {
    /// The markers by their first byte: every class word of every element is tested, and a word is compared
    /// only with the few markers that start like it.
    private let markersByFirstByte: [[[UInt8]]]
    private let wholeWords: Bool

    init(_ words: some Sequence<String>, wholeWords: Bool = false) {
        var buckets = [[[UInt8]]](repeating: [], count: 256)
        for word in words {
            let marker = Array(word.lowercased().utf8)
            if let first = marker.first { buckets[Int(first)].append(marker) }
        }
        markersByFirstByte = buckets
        self.wholeWords = wholeWords
    }

    func matches(_ word: UnsafeBufferPointer<UInt8>.SubSequence) -> Bool {
        guard let first = word.first else { return false }
        return markersByFirstByte[Int(first.asciiLowercased)].contains { marker in
            guard wholeWords ? word.count == marker.count : word.count >= marker.count else { return false }
            for (offset, expected) in marker.enumerated() where word[word.startIndex + offset].asciiLowercased != expected {
                return false
            }
            return true
        }
    }
}

/// Phrases over Unicode scalars, looked up in raw text forwards from a position or, when reversed,
/// backwards from one (for what stands just before a number).
struct ScalarTrie<Value: Sendable>: Sendable {
    private var trie = Trie<Unicode.Scalar, Value>()
    private let reversed: Bool

    init(reversed: Bool = false) {
        self.reversed = reversed
    }

    mutating func insert(_ phrase: String, value: Value) {
        if reversed { trie.insert(phrase.unicodeScalars.reversed(), value: value) } else { trie.insert(phrase.unicodeScalars, value: value) }
    }

    /// Every phrase matching `text` at `position` (forwards: starting there; reversed: ending just before it),
    /// longest first, as (length in scalars, values).
    func matches(in text: [Unicode.Scalar], at position: Int) -> [(length: Int, values: [Value])] {
        trie.matches { offset in
            let index = reversed ? position - 1 - offset : position + offset
            return index >= 0 && index < text.count ? text[index] : nil
        }
    }
}

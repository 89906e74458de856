/// A trie over Unicode scalars for phrase lookups in raw text, forwards from a position or backwards from one.
///
/// - Complexity: a lookup is O(length of the longest phrase that matches).
struct ScalarTrie<Value: Sendable>: Sendable {
    private struct Node: Sendable {
        var children: [Unicode.Scalar: Int] = [:]
        var values: [Value] = []
    }

    private var nodes: [Node] = [Node()]
    private let reversed: Bool

    /// A reversed trie stores phrases back to front, for looking left from a position.
    init(reversed: Bool = false) {
        self.reversed = reversed
    }

    mutating func insert(_ phrase: String, value: Value) {
        var node = 0
        let scalars = reversed ? Array(phrase.unicodeScalars.reversed()) : Array(phrase.unicodeScalars)
        for scalar in scalars {
            if let next = nodes[node].children[scalar] {
                node = next
            } else {
                nodes.append(Node())
                nodes[node].children[scalar] = nodes.count - 1
                node = nodes.count - 1
            }
        }
        nodes[node].values.append(value)
    }

    /// Every phrase matching `text` from `position` (forwards: starting there; reversed: ending just before it),
    /// longest first, as (length in scalars, values).
    func matches(in text: [Unicode.Scalar], at position: Int) -> [(length: Int, values: [Value])] {
        var node = 0
        var found: [(Int, [Value])] = []
        var length = 0
        while true {
            let index = reversed ? position - 1 - length : position + length
            guard index >= 0, index < text.count, let next = nodes[node].children[text[index]] else { break }
            node = next
            length += 1
            if !nodes[node].values.isEmpty { found.append((length, nodes[node].values)) }
        }
        return found.reversed()
    }
}

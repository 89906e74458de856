/// A trie over sequences of keys: token texts for lexicon aliases, Unicode scalars for phrases in raw text.
///
/// - Complexity: building is O(total key count); a lookup is O(length of the longest match).
public struct Trie<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Node: Sendable {
        var children: [Key: Int] = [:]
        var values: [Value] = []
    }

    private var nodes: [Node] = [Node()]

    public init() {}

    public mutating func insert(_ keys: some Sequence<Key>, value: Value) {
        var node = 0
        for key in keys {
            if let next = nodes[node].children[key] {
                node = next
            } else {
                nodes.append(Node())
                nodes[node].children[key] = nodes.count - 1
                node = nodes.count - 1
            }
        }
        nodes[node].values.append(value)
    }

    /// Every stored sequence that is a prefix of `key(0), key(1), …` (stopping at the first nil), longest
    /// first, as (length, values).
    public func matches(_ key: (Int) -> Key?) -> [(length: Int, values: [Value])] {
        var node = 0
        var found: [(Int, [Value])] = []
        var length = 0
        while let next = key(length).flatMap({ nodes[node].children[$0] }) {
            node = next
            length += 1
            if !nodes[node].values.isEmpty { found.append((length, nodes[node].values)) }
        }
        return found.reversed()
    }
}

/// A trie over token texts: the lexicon matcher.
public typealias TokenTrie<Value: Sendable> = Trie<String, Value>

extension Trie where Key == String {
    /// The longest match starting at token `start` of `count` tokens; `key` maps a token index to its trie key.
    public func longestMatch(from start: Int, count: Int, key: (Int) -> String) -> (length: Int, values: [Value])? {
        matches { offset in start + offset < count ? key(start + offset) : nil }.first
    }

    /// The non-overlapping longest matches in tokens `0..<count`, scanning left to right.
    public func longestMatches(count: Int, key: (Int) -> String) -> [(range: Range<Int>, values: [Value])] {
        var result: [(range: Range<Int>, values: [Value])] = []
        var start = 0
        while start < count {
            if let match = longestMatch(from: start, count: count, key: key) {
                result.append((start..<(start + match.length), match.values))
                start += match.length
            } else {
                start += 1
            }
        }
        return result
    }
}

/// A trie over token texts: finds the longest lexicon alias that starts at a token.
///
/// - Complexity: building is O(total alias tokens); a lookup at one position is O(length of the longest match).
public struct TokenTrie<Value: Sendable>: Sendable {
    private struct Node: Sendable {
        var children: [String: Int] = [:]
        var values: [Value] = []
    }

    private var nodes: [Node] = [Node()]

    public init() {}

    public mutating func insert(_ keys: [String], value: Value) {
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

    /// The longest match starting at `start`: its length in tokens and its values. `key` maps a token index to
    /// the trie key (identity, or lower-cased for folded lookups).
    public func longestMatch(from start: Int, count: Int, key: (Int) -> String) -> (length: Int, values: [Value])? {
        var node = 0
        var best: (Int, [Value])?
        var index = start
        while index < count, let next = nodes[node].children[key(index)] {
            node = next
            index += 1
            if !nodes[node].values.isEmpty { best = (index - start, nodes[node].values) }
        }
        return best
    }

    /// Every match starting at `start`, shortest first.
    public func allMatches(from start: Int, count: Int, key: (Int) -> String) -> [(length: Int, values: [Value])] {
        var node = 0
        var result: [(Int, [Value])] = []
        var index = start
        while index < count, let next = nodes[node].children[key(index)] {
            node = next
            index += 1
            if !nodes[node].values.isEmpty { result.append((index - start, nodes[node].values)) }
        }
        return result
    }
}

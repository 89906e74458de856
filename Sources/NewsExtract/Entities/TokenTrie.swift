/// A trie over sequences of token key ids, for names known only at run time: a document's own names, over
/// `DocumentView.titleKeyIDs`. Unlike `TokenIDTrie` it has no root array sized by the vocabulary, so it is
/// cheap to build per document.
///
/// - Complexity: building is O(total key count); a lookup is O(length of the longest match).
struct TokenTrie<Value: Sendable>: Sendable {
    private struct Node: Sendable {
        var children: [Int32: Int] = [:]
        var values: [Value] = []
    }

    private var nodes: [Node] = [Node()]

    mutating func insert(_ keys: some Sequence<Int32>, value: Value) {
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

    /// The longest stored sequence starting at `keys[start]`, as (length, values).
    func longestMatch(from start: Int, in keys: [Int32]) -> (length: Int, values: [Value])? {
        var node = 0, length = 0
        var best: (length: Int, node: Int)?
        while start + length < keys.count, let next = nodes[node].children[keys[start + length]] {
            node = next
            length += 1
            if !nodes[node].values.isEmpty { best = (length, node) }
        }
        return best.map { ($0.length, nodes[$0.node].values) }
    }
}

/// A trie over interned token ids (`Vocabulary`): the lexicon matcher.
///
/// Every token of every document is looked up at the root and nearly all miss, so the root's children are
/// an array indexed by id (built by `index(vocabularySize:)` once all words are interned); deeper nodes,
/// rarely reached, keep dictionaries.
struct TokenIDTrie<Value: Sendable>: Sendable {
    private var children: [[Int32: Int32]] = [[:]]
    private var values: [[Value]] = [[]]
    private var root: [Int32] = []

    mutating func insert(_ ids: [Int32], value: Value) {
        var node = 0
        for id in ids {
            if let next = children[node][id] {
                node = Int(next)
            } else {
                children.append([:])
                values.append([])
                children[node][id] = Int32(children.count - 1)
                node = children.count - 1
            }
        }
        values[node].append(value)
    }

    /// Lays the root's children out by id; call after the last insert.
    mutating func index(vocabularySize: Int) {
        root = [Int32](repeating: -1, count: vocabularySize)
        for (id, node) in children[0] { root[Int(id)] = node }
    }

    /// The longest match starting at token `start` and ending by `end`.
    func longestMatch(from start: Int, to end: Int, in ids: [Int32]) -> (length: Int, values: [Value])? {
        guard start < end else { return nil }
        let first = Int(ids[start])
        guard first >= 0, first < root.count, root[first] >= 0 else { return nil }
        var node = Int(root[first])
        var best: (length: Int, node: Int)? = values[node].isEmpty ? nil : (1, node)
        var length = 1
        while start + length < end, let next = children[node][ids[start + length]] {
            node = Int(next)
            length += 1
            if !values[node].isEmpty { best = (length, node) }
        }
        return best.map { ($0.length, values[$0.node]) }
    }

    func longestMatch(from start: Int, in ids: [Int32]) -> (length: Int, values: [Value])? {
        longestMatch(from: start, to: ids.count, in: ids)
    }

    /// The non-overlapping longest matches, scanning left to right.
    func longestMatches(in ids: [Int32]) -> [(range: Range<Int>, values: [Value])] {
        var result: [(range: Range<Int>, values: [Value])] = []
        var start = 0
        while start < ids.count {
            if let match = longestMatch(from: start, in: ids) {
                result.append((start..<(start + match.length), match.values))
                start += match.length
            } else {
                start += 1
            }
        }
        return result
    }
}

/// Phrases over Unicode scalars, looked up in raw text forwards from a position or, when reversed,
/// backwards from one (for what stands just before a number).
///
/// The money recognizer asks it at nearly every word of a text, and nearly every answer is "nothing", so
/// the first step is a table lookup for ASCII and the rest are short linear scans: no hashing. (The entity
/// lexicon's `Trie` hashes token strings, which suits its wide fan-out; over scalars hashing was 40% of the scan.)
struct ScalarTrie<Value: Sendable>: Sendable {
    private struct Node: Sendable {
        var keys: [Unicode.Scalar] = []
        var children: [Int32] = []
        var values: [Value] = []

        func child(_ key: Unicode.Scalar) -> Int32? {
            for (index, candidate) in keys.enumerated() where candidate == key { return children[index] }
            return nil
        }
    }

    private var nodes: [Node] = [Node()]
    /// The root's children for ASCII first scalars (-1: none); others are in `nodes[0]`.
    private var asciiRoot = [Int32](repeating: -1, count: 128)
    private let reversed: Bool

    init(reversed: Bool = false) {
        self.reversed = reversed
    }

    mutating func insert(_ phrase: String, value: Value) {
        var node: Int32 = 0
        let scalars = reversed ? Array(phrase.unicodeScalars.reversed()) : Array(phrase.unicodeScalars)
        for scalar in scalars {
            if let next = child(of: node, scalar) {
                node = next
                continue
            }
            nodes.append(Node())
            let next = Int32(nodes.count - 1)
            if node == 0, scalar.isASCII {
                asciiRoot[Int(scalar.value)] = next
            } else {
                nodes[Int(node)].keys.append(scalar)
                nodes[Int(node)].children.append(next)
            }
            node = next
        }
        nodes[Int(node)].values.append(value)
    }

    private func child(of node: Int32, _ scalar: Unicode.Scalar) -> Int32? {
        if node == 0, scalar.isASCII {
            let next = asciiRoot[Int(scalar.value)]
            return next < 0 ? nil : next
        }
        return nodes[Int(node)].child(scalar)
    }

    /// Every phrase matching `text` at `position` (forwards: starting there; reversed: ending just before it),
    /// longest first, as (length in scalars, values).
    func matches(in text: [Unicode.Scalar], at position: Int) -> [(length: Int, values: [Value])] {
        var found: [(length: Int, values: [Value])] = []
        var node: Int32 = 0
        var length = 0
        while true {
            let index = reversed ? position - 1 - length : position + length
            guard index >= 0, index < text.count, let next = child(of: node, text[index]) else { break }
            node = next
            length += 1
            if !nodes[Int(node)].values.isEmpty { found.append((length, nodes[Int(node)].values)) }
        }
        return found.count > 1 ? found.reversed() : found
    }

    /// The longest phrase matching at `position` whose length `accept` takes, without collecting the others:
    /// `matches(in:at:).first { accept($0.length) }` for the number-word test run at every word. The walk is
    /// written out again rather than shared through a closure: shared, the caller lost its inlining and a text
    /// run took 5% more instructions.
    func longestMatch(in text: [Unicode.Scalar], at position: Int, where accept: (Int) -> Bool) -> (length: Int, values: [Value])? {
        var best: (length: Int, values: [Value])?
        var node: Int32 = 0
        var length = 0
        while true {
            let index = reversed ? position - 1 - length : position + length
            guard index >= 0, index < text.count, let next = child(of: node, text[index]) else { break }
            node = next
            length += 1
            if !nodes[Int(node)].values.isEmpty, accept(length) { best = (length, nodes[Int(node)].values) }
        }
        return best
    }
}

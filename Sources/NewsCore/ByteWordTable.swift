/// Byte strings → ids, for word lists looked up at every token: open addressing with linear probing over
/// FNV-1a hashes. A slot keeps the hash, so a probe touches the stored bytes only when the hashes agree.
/// Hashing a `String` costs several times more (SipHash, and normalisation-aware equality).
public struct ByteWordTable: Sendable {
    private struct Slot {
        var hash: UInt32 = 0
        var id = ByteWordTable.absent
        var start: UInt32 = 0
        var length: UInt32 = 0
    }

    /// The id `id(of:)` gives for a word not in the table.
    public static let absent: Int32 = -1

    private var bytes: [UInt8] = []
    /// A power of two long, at most three quarters full.
    private var slots = [Slot](repeating: Slot(), count: 1024)
    private var filled = 0

    public init() {}

    /// Adds `word` with `id` (a non-negative number); a word is inserted once.
    public mutating func insert(_ word: [UInt8], id: Int32) {
        if (filled + 1) * 4 > slots.count * 3 { grow() }
        precondition(id >= 0, "ids in a ByteWordTable are non-negative")
        let slot = Slot(
            hash: word.withUnsafeBufferPointer { Self.hash($0, lowercasing: false) }, id: id, start: UInt32(bytes.count),
            length: UInt32(word.count))
        bytes.append(contentsOf: word)
        place(slot)
        filled += 1
    }

    private mutating func place(_ entry: Slot) {
        let mask = slots.count - 1
        var slot = Int(entry.hash) & mask
        while slots[slot].id != ByteWordTable.absent { slot = (slot + 1) & mask }
        slots[slot] = entry
    }

    private mutating func grow() {
        let old = slots.filter { $0.id != ByteWordTable.absent }
        slots = [Slot](repeating: Slot(), count: slots.count * 2)
        for entry in old { place(entry) }
    }

    public func id(of word: UnsafeBufferPointer<UInt8>) -> Int32 { find(word, lowercasing: false) }

    /// The id of `word` with its ASCII capitals lowered (`The` finds `the`), without copying it.
    public func id(ofLowercased word: UnsafeBufferPointer<UInt8>) -> Int32 { find(word, lowercasing: true) }

    /// Over raw buffers, not a generic collection: this runs several times per token of every document.
    @inline(__always)
    private func find(_ word: UnsafeBufferPointer<UInt8>, lowercasing: Bool) -> Int32 {
        let hash = Self.hash(word, lowercasing: lowercasing)
        return slots.withUnsafeBufferPointer { slots in
            bytes.withUnsafeBufferPointer { stored in
                let mask = slots.count - 1
                var slot = Int(hash) & mask
                while slots[slot].id != ByteWordTable.absent {
                    let entry = slots[slot]
                    if entry.hash == hash, Int(entry.length) == word.count {
                        let start = Int(entry.start)
                        var equal = true
                        for index in word.indices where stored[start + index] != (lowercasing ? word[index].asciiLowercased : word[index]) {
                            equal = false
                            break
                        }
                        if equal { return entry.id }
                    }
                    slot = (slot + 1) & mask
                }
                return ByteWordTable.absent
            }
        }
    }

    @inline(__always)
    private static func hash(_ word: UnsafeBufferPointer<UInt8>, lowercasing: Bool) -> UInt32 {
        var hash: UInt32 = 0x811C_9DC5
        for byte in word { hash = (hash ^ UInt32(lowercasing ? byte.asciiLowercased : byte)) &* 0x0100_0193 }
        return hash
    }
}

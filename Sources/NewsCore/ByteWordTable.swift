/// Byte strings → ids, for word lists looked up at every token: open addressing with linear probing.
///
/// A slot holds the word's first eight bytes as one integer. Most words are no longer than that, so they
/// hash and compare as a machine word, with no loop over their bytes and no visit to where the rest of a
/// longer word is kept. Hashing a `String` costs several times more (SipHash, and normalisation-aware
/// equality).
public struct ByteWordTable: Sendable {
    /// What a lookup reads: one 16-byte slot per probe.
    private struct Slot {
        /// The first eight bytes, little-endian, zero-padded.
        var head: UInt64 = 0
        var id = ByteWordTable.absent
        var length: UInt32 = 0
    }

    /// What only inserting and growing need, by slot: the hash, and where the bytes of a longer word after
    /// its eighth start in `tails`.
    private struct Placement {
        var hash: UInt64 = 0
        var tailStart: UInt32 = 0
    }

    /// A word as the table compares it: its first eight bytes and a hash of all of them.
    private struct Key {
        var head: UInt64
        var hash: UInt64
    }

    /// The id `id(of:)` gives for a word not in the table.
    public static let absent: Int32 = -1

    /// A power of two long, at most three quarters full; `placements` is as long.
    private var slots = [Slot](repeating: Slot(), count: 1024)
    private var placements = [Placement](repeating: Placement(), count: 1024)
    private var tails: [UInt8] = []
    private var filled = 0

    public init() {}

    /// Adds `word` with `id` (a non-negative number); a word is inserted once.
    public mutating func insert(_ word: [UInt8], id: Int32) {
        word.withUnsafeBufferPointer { add($0, id: id) }
    }

    /// The id of `word`, which is added with `id` (a non-negative number) when the table does not hold it.
    public mutating func intern(_ word: UnsafeBufferPointer<UInt8>, id: Int32) -> Int32 {
        let existing = find(word, lowercasing: false)
        if existing != Self.absent { return existing }
        add(word, id: id)
        return id
    }

    public func id(of word: UnsafeBufferPointer<UInt8>) -> Int32 { find(word, lowercasing: false) }

    /// The id of `word` with its ASCII capitals lowered (`The` finds `the`), without copying it.
    public func id(ofLowercased word: UnsafeBufferPointer<UInt8>) -> Int32 { find(word, lowercasing: true) }

    private mutating func add(_ word: UnsafeBufferPointer<UInt8>, id: Int32) {
        precondition(id >= 0, "ids in a ByteWordTable are non-negative")
        if (filled + 1) * 4 > slots.count * 3 { grow() }
        let key = Self.key(word, lowercasing: false)
        let placement = Placement(hash: key.hash, tailStart: UInt32(tails.count))
        if word.count > 8 { tails.append(contentsOf: word[8...]) }
        place(Slot(head: key.head, id: id, length: UInt32(word.count)), placement)
        filled += 1
    }

    private mutating func place(_ slot: Slot, _ placement: Placement) {
        let mask = slots.count - 1
        var index = Int(truncatingIfNeeded: placement.hash) & mask
        while slots[index].id != Self.absent { index = (index + 1) & mask }
        slots[index] = slot
        placements[index] = placement
    }

    private mutating func grow() {
        let old = zip(slots, placements).filter { $0.0.id != Self.absent }
        slots = [Slot](repeating: Slot(), count: slots.count * 2)
        placements = [Placement](repeating: Placement(), count: slots.count)
        for (slot, placement) in old { place(slot, placement) }
    }

    /// Over raw buffers, not a generic collection: this runs several times per token of every document.
    @inline(__always)
    private func find(_ word: UnsafeBufferPointer<UInt8>, lowercasing: Bool) -> Int32 {
        let key = Self.key(word, lowercasing: lowercasing)
        return slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var index = Int(truncatingIfNeeded: key.hash) & mask
            while slots[index].id != Self.absent {
                let slot = slots[index]
                if slot.head == key.head, Int(slot.length) == word.count,
                    word.count <= 8 || tailMatches(word, slot: index, lowercasing: lowercasing)
                {
                    return slot.id
                }
                index = (index + 1) & mask
            }
            return Self.absent
        }
    }

    /// Whether the bytes of `word` after its eighth are those stored for `slot`.
    private func tailMatches(_ word: UnsafeBufferPointer<UInt8>, slot: Int, lowercasing: Bool) -> Bool {
        let start = Int(placements[slot].tailStart) - 8
        return tails.withUnsafeBufferPointer { tails in
            for index in 8..<word.count where tails[start + index] != (lowercasing ? word[index].asciiLowercased : word[index]) {
                return false
            }
            return true
        }
    }

    @inline(__always)
    private static func key(_ word: UnsafeBufferPointer<UInt8>, lowercasing: Bool) -> Key {
        let head = chunk(of: word, from: 0, lowercasing: lowercasing)
        // A word shorter than eight bytes leaves the head's top byte zero: the length there keeps `ab` and
        // `ab\0` apart in the hash too.
        var hash = mix(head ^ UInt64(truncatingIfNeeded: word.count) << 56)
        var offset = 8
        while offset < word.count {
            hash = mix(hash ^ chunk(of: word, from: offset, lowercasing: lowercasing))
            offset += 8
        }
        return Key(head: head, hash: hash)
    }

    /// Up to eight bytes of `word` from `offset` as a little-endian integer, zero-padded, with ASCII capitals
    /// lowered when asked. Never reads past the buffer.
    @inline(__always)
    private static func chunk(of word: UnsafeBufferPointer<UInt8>, from offset: Int, lowercasing: Bool) -> UInt64 {
        var value: UInt64 = 0
        if word.count - offset >= 8 {
            value = UInt64(littleEndian: UnsafeRawPointer(word.baseAddress! + offset).loadUnaligned(as: UInt64.self))
        } else {
            var index = word.count - 1
            while index >= offset {
                value = value << 8 | UInt64(word[index])
                index -= 1
            }
        }
        return lowercasing ? asciiLowercased(value) : value
    }

    /// The eight bytes with ASCII capitals lowered and every other byte, non-ASCII ones too, as it was.
    @inline(__always)
    static func asciiLowercased(_ bytes: UInt64) -> UInt64 {
        let low7 = bytes & 0x7F7F_7F7F_7F7F_7F7F
        // Bit 7 of each byte of `atLeastA` is set where the byte's low seven bits are ≥ 0x41 (`A`), and of
        // `pastZ` where they are > 0x5A (`Z`); neither sum carries into the next byte.
        let atLeastA = low7 &+ 0x3F3F_3F3F_3F3F_3F3F
        let pastZ = low7 &+ 0x2525_2525_2525_2525
        let capitals = atLeastA & ~pastZ & ~bytes & 0x8080_8080_8080_8080
        return bytes | capitals >> 2
    }

    /// A multiplicative mix whose low bits, the ones a slot index keeps, depend on every input bit.
    @inline(__always)
    private static func mix(_ value: UInt64) -> UInt64 {
        let product = value &* 0x9E37_79B9_7F4A_7C15
        return product ^ product >> 29
    }
}

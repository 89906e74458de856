internal import NewsCore

/// What the cue lists say about one word (`Khan` is a surname, `of` a function word and a name joiner).
struct WordCues: OptionSet, Sendable {
    let rawValue: UInt32

    // Looked up as written (`Bank`, `bin`): capitalisation is part of the cue.
    static let givenName = WordCues(rawValue: 1 << 0)
    static let ambiguousGivenName = WordCues(rawValue: 1 << 1)
    static let surname = WordCues(rawValue: 1 << 2)
    static let orgSuffix = WordCues(rawValue: 1 << 3)
    static let placeWord = WordCues(rawValue: 1 << 4)
    static let placeModifier = WordCues(rawValue: 1 << 5)
    static let eventWord = WordCues(rawValue: 1 << 6)
    static let nameParticle = WordCues(rawValue: 1 << 7)
    static let nonEntityWord = WordCues(rawValue: 1 << 8)
    static let nameJoiner = WordCues(rawValue: 1 << 9)
    /// Also looked up title-cased when written in capitals (`INC.`).
    static let legalForm = WordCues(rawValue: 1 << 10)
    static let asWritten: WordCues = [
        .givenName, .ambiguousGivenName, .surname, .orgSuffix, .placeWord, .placeModifier, .eventWord, .nameParticle,
        .nonEntityWord, .nameJoiner, .legalForm,
    ]

    // Looked up in lower case (`The`, `Said`): a capital at a sentence start changes nothing.
    static let functionWord = WordCues(rawValue: 1 << 16)
    static let commonWord = WordCues(rawValue: 1 << 17)
    /// The plural of a common word (`refiners`); common only when not written in capitals.
    static let commonPlural = WordCues(rawValue: 1 << 18)
    static let personFollower = WordCues(rawValue: 1 << 19)
    static let placePreposition = WordCues(rawValue: 1 << 20)
    /// The word in a place suffix (`based` of `Qingdao-based`).
    static let placeSuffix = WordCues(rawValue: 1 << 21)
    static let lowerCase: WordCues = [.functionWord, .commonWord, .commonPlural, .personFollower, .placePreposition, .placeSuffix]
}

/// Every word the lexicons and cue lists know, interned once when the recognizer loads.
///
/// A document's tokens are then looked up once each (as written, and in lower case when that differs); the
/// tries step through integer ids and every cue test is a bit test, instead of hashing the same strings
/// again in each pass.
struct Vocabulary: Sendable {
    /// The id of a word no list holds.
    static let unknown: Int32 = -1

    /// Words with a byte beyond ASCII; `String` equality also matches their differently normalised spellings.
    private var nonASCIIIDs: [String: Int32] = [:]
    private var cues: [WordCues] = []
    /// ASCII words, in an open-addressing table over their bytes: most tokens are ASCII, and this lookup
    /// costs a fraction of hashing a `String`.
    private var asciiTable = ByteWordTable()

    var count: Int { cues.count }

    mutating func intern(_ word: String) -> Int32 {
        let next = Int32(cues.count)
        let id: Int32
        if let ascii = Self.withASCIIBytes(word, { asciiTable.intern($0, id: next) }) {
            id = ascii
        } else {
            id = nonASCIIIDs[word, default: next]
            nonASCIIIDs[word] = id
        }
        if id == next { cues.append([]) }
        return id
    }

    mutating func mark(_ words: some Sequence<String>, _ cue: WordCues) {
        for word in words { cues[Int(intern(word))].insert(cue) }
    }

    func id(_ word: String) -> Int32 {
        Self.withASCIIBytes(word) { id(ascii: $0) } ?? nonASCIIIDs[word] ?? Self.unknown
    }

    /// `body` over the word's UTF-8 when every byte is ASCII, else nil.
    private static func withASCIIBytes(_ word: String, _ body: (UnsafeBufferPointer<UInt8>) -> Int32) -> Int32? {
        var word = word
        return word.withUTF8 { bytes in bytes.allSatisfy({ $0 < 0x80 }) ? body(bytes) : nil }
    }

    /// The id of an ASCII word given as bytes (a token's, in the document's UTF-8).
    func id(ascii word: UnsafeBufferPointer<UInt8>) -> Int32 {
        let id = asciiTable.id(of: word)
        return id == ByteWordTable.absent ? Self.unknown : id
    }

    /// The id of an ASCII word in lower case.
    func id(asciiLowercased word: UnsafeBufferPointer<UInt8>) -> Int32 {
        let id = asciiTable.id(ofLowercased: word)
        return id == ByteWordTable.absent ? Self.unknown : id
    }

    func cues(_ id: Int32) -> WordCues { id == Self.unknown ? [] : cues[Int(id)] }
}

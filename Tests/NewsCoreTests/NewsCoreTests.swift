import NewsCore
import Testing

@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func knownVectors(input: String, expected: String) {
        #expect(SHA256.hex(SHA256.digest(Array(input.utf8))) == expected)
    }

    @Test func millionAs() {
        let input = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256.hex(SHA256.digest(input)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func articleIDIsStableAndShort() {
        let id = articleID(for: Array("hello".utf8))
        #expect(id == "2cf24dba5fb0a30e26e83b2ac5b9e29e")
        #expect(articleID(for: Array("hello".utf8)) == id)
    }
}

@Suite struct ExactDecimalTests {
    @Test(arguments: [
        ("52.44", "1000000000", "52440000000"),
        ("0.5", "1", "0.5"),
        ("50", "0.01", "0.5"),
        ("1234.56", "1", "1234.56"),
        ("3800", "100000000", "380000000000"),
        ("10", "0.1", "1"),
        ("0", "1000", "0"),
    ])
    func productsPrintExactly(lhs: String, rhs: String, expected: String) throws {
        let left = try #require(ExactDecimal(lhs)), right = try #require(ExactDecimal(rhs))
        #expect((left * right).description == expected)
    }

    @Test func additionAlignsExponents() throws {
        let sum = try #require(ExactDecimal("20")) + (try #require(ExactDecimal("0.43")))
        #expect(sum.description == "20.43")
    }

    @Test(arguments: ["", ".", "1.2.3", "12a", "-5"])
    func rejectsWhatIsNotPlainDecimal(input: String) {
        #expect(ExactDecimal(input) == nil)
    }
}

@Suite struct JSONWriterTests {
    @Test func escapesAndKeepsKeyOrder() {
        var json = JSONWriter()
        json.beginObject()
        json.field("z", "a\"b\\c\nd\u{01}/é")
        json.field("a", 3)
        json.key("list")
        json.beginArray()
        json.string("x")
        json.null()
        json.endArray()
        json.field("none", nil as String?)
        json.endObject()
        #expect(json.output == #"{"z":"a\"b\\c\nd\u0001/é","a":3,"list":["x",null],"none":null}"#)
    }

    @Test func writesIntegersOfEverySize() {
        var json = JSONWriter()
        json.beginArray()
        for value in [0, 7, -7, 10, 99, 100, 1_234_567_890, Int.max, Int.min] { json.int(value) }
        json.endArray()
        #expect(json.output == "[0,7,-7,10,99,100,1234567890,\(Int.max),\(Int.min)]")
    }

    @Test func escapesEveryControlCharacterAndLineSeparators() {
        var json = JSONWriter()
        json.string("\t\r\u{08}\u{0C}\u{1F}\u{7F} \u{2028}\u{2029}\u{2026}—\u{E2}")
        // DEL and other E2 sequences (…, —) need no escape; U+2028 and U+2029 do.
        #expect(json.output == #""\t\r\b\f\u001f\#u{7F} \u2028\u2029…—\#u{E2}""#)
        var last = JSONWriter()
        last.string("end\u{2028}")
        #expect(last.output == #""end\u2028""#)
    }

    @Test func recordKeysComeInSchemaOrder() {
        let article = CleanArticle(id: "abc", source: SourceRef(path: "a.txt"), text: "Hi")
        let record = ArticleRecord(
            article: article, entities: [], money: [], tokenCount: 1, sentenceCount: 1,
            pipeline: PipelineStamp(name: "default", version: "1"))
        var withMetadata = record
        withMetadata.article.authors = ["Jane Doe", "John Roe"]
        withMetadata.article.siteName = "Example News"
        #expect(withMetadata.jsonLine().contains(#""authors":["Jane Doe","John Roe"],"site_name":"Example News","#))
        #expect(
            record.jsonLine()
                == #"{"id":"abc","source":{"path":"a.txt"},"title":null,"description":null,"published":null,"modified":null,"authors":null,"site_name":null,"language":null,"text":"Hi","entities":[],"money":[],"stats":{"tokens":1,"sentences":1},"warnings":[],"pipeline":{"name":"default","version":"1"}}"#
        )
    }
}

@Suite struct ScalarTextTests {
    @Test func offsetsCountUnicodeScalars() {
        let text = ScalarText("阿里 $5 🇺🇸 Alibaba’s")
        #expect(text[0..<2] == "阿里")
        #expect(text.count == 18)
        #expect(text[9..<16] == "Alibaba")
    }
}

@Suite struct ByteWordTableTests {
    /// Enough words to make the table grow several times.
    static let words = (0..<5_000).map { "word\($0)" } + ["the", "of", "U.S.", "AT&T", ""]

    static func table() -> ByteWordTable {
        var table = ByteWordTable()
        for (id, word) in words.enumerated() { table.insert(Array(word.utf8), id: Int32(id)) }
        return table
    }

    static func id(_ table: ByteWordTable, _ word: [UInt8], lowercased: Bool = false) -> Int32 {
        word.withUnsafeBufferPointer { lowercased ? table.id(ofLowercased: $0) : table.id(of: $0) }
    }

    static func id(_ table: ByteWordTable, _ word: String, lowercased: Bool = false) -> Int32 {
        id(table, Array(word.utf8), lowercased: lowercased)
    }

    @Test func findsEveryWordItHolds() {
        let table = Self.table()
        for (id, word) in Self.words.enumerated() {
            #expect(Self.id(table, word) == Int32(id), "\(word)")
        }
    }

    @Test func absentWordsAndCaseFolding() {
        let table = Self.table()
        func id(_ word: String, lowercased: Bool = false) -> Int32 { Self.id(table, word, lowercased: lowercased) }
        #expect(id("word5000") == ByteWordTable.absent)
        #expect(id("wor") == ByteWordTable.absent)
        #expect(id("The") == ByteWordTable.absent)
        #expect(id("The", lowercased: true) == id("the"))
        #expect(id("WORD42", lowercased: true) == 42)
        #expect(id("U.S.", lowercased: true) == ByteWordTable.absent)
    }

    /// A slot holds a word's first eight bytes; the rest is compared apart. Words around that boundary,
    /// words that differ only after it, and words that differ only by trailing zero bytes stay apart.
    @Test func wordsAroundTheEightByteHeadStayApart() {
        let base = Array("internationalisation-of-payments".utf8)
        var words = (0...base.count).map { Array(base.prefix($0)) }
        words += [Array("internationalisation-of-paymentX".utf8), Array("internatiXnalisation".utf8), [0x61, 0x62], [0x61, 0x62, 0], [0x61, 0x62, 0, 0]]
        var table = ByteWordTable()
        for (id, word) in words.enumerated() { table.insert(word, id: Int32(id)) }
        for (id, word) in words.enumerated() {
            #expect(Self.id(table, word) == Int32(id), "\(word)")
        }
        #expect(Self.id(table, "INTERNATIONALISATION-OF-PAYMENTS", lowercased: true) == Int32(base.count))
        #expect(Self.id(table, "INTERNATIONALISATION-OF-PAYMENTS") == ByteWordTable.absent)
        #expect(Self.id(table, "internationalisation-of-paymentY") == ByteWordTable.absent)
        #expect(Self.id(table, [0x61, 0x62, 0, 0, 0]) == ByteWordTable.absent)
    }

    /// Case folding over eight bytes at once agrees with folding byte by byte, for every byte value at
    /// every position of the head and of the rest: only `A`–`Z` change, bytes beyond ASCII never do.
    @Test func caseFoldingChangesOnlyASCIICapitals() {
        var table = ByteWordTable()
        let words = (0...255).flatMap { value -> [[UInt8]] in
            let byte = UInt8(value)
            return (0..<12).map { position in
                var word = Array("abcdefghijkl".utf8)
                word[position] = byte
                return word
            }
        }
        var ids: [[UInt8]: Int32] = [:]
        for word in words {
            let folded = word.map(\.asciiLowercased)
            if ids[folded] == nil {
                ids[folded] = Int32(ids.count)
                table.insert(folded, id: ids[folded]!)
            }
        }
        for word in words {
            #expect(Self.id(table, word, lowercased: true) == ids[word.map(\.asciiLowercased)], "\(word)")
        }
    }

    @Test func internKeepsTheFirstID() {
        var table = ByteWordTable()
        func intern(_ word: String, _ id: Int32) -> Int32 { Array(word.utf8).withUnsafeBufferPointer { table.intern($0, id: id) } }
        #expect(intern("alibaba", 0) == 0)
        #expect(intern("alibaba-group-holding", 1) == 1)
        #expect(intern("alibaba", 2) == 0)
        #expect(intern("alibaba-group-holding", 3) == 1)
        #expect(Self.id(table, "alibaba") == 0)
    }
}

@Suite struct UTF8ScalarTests {
    @Test(arguments: ["a", "é", "€", "中", "😀", "\u{7F}", "\u{10FFFF}"])
    func decodesEveryLength(text: String) {
        let bytes = Array(text.utf8)
        let decoded = bytes.withUnsafeBufferPointer { UTF8Scalar.decode($0, at: 0) }
        #expect(decoded.scalar == text.unicodeScalars.first)
        #expect(decoded.length == bytes.count)
    }

    @Test(arguments: [[0xE2, 0x82] as [UInt8], [0x80], [0xC3, 0x41], [0xF0, 0x9F, 0x98]])
    func brokenSequencesReadAsOneReplacementByte(bytes: [UInt8]) {
        let decoded = bytes.withUnsafeBufferPointer { UTF8Scalar.decode($0, at: 0) }
        #expect(decoded.scalar == "\u{FFFD}")
        #expect(decoded.length == 1)
    }
}

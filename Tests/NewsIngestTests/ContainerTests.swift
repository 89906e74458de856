import NewsCore
@testable import NewsIngest
import Testing

/// The pieces the archive readers are built from, on inputs small enough to read in the test.
@Suite struct ContainerTests {
    func buffered(_ text: String) -> BufferedStream {
        BufferedStream(MemoryStream(Array(text.utf8)))
    }

    @Test func linesSplitOnLFAndCRLFAndAnOverlongLineIsSkippedWhole() throws {
        let stream = buffered("one\r\ntwo\n\n" + String(repeating: "x", count: 300_000) + "\nlast")
        var lines: [String] = []
        while let line = try stream.readLine(limit: 1000) {
            switch line {
            case .line(let bytes): lines.append(String(decoding: bytes, as: UTF8.self))
            case .tooLong(let length): lines.append("<\(length) bytes>")
            }
        }
        #expect(lines == ["one", "two", "", "<300000 bytes>", "last"])
    }

    @Test func bytesComeOutAsTheyWentInAcrossGrowingFills() throws {
        // Fills start small and double: a pattern that does not repeat at any fill size shows a byte lost,
        // doubled or moved at a fill boundary.
        let bytes = (0..<150_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 9) }
        let stream = BufferedStream(MemoryStream(bytes))
        #expect(try stream.read(exactly: 5000) == Array(bytes[..<5000]))
        try stream.skip(10)
        let (rest, length) = try stream.readToEnd(limit: 1 << 20)
        #expect(rest == Array(bytes[5010...]))
        #expect(length == bytes.count - 5010)
    }

    @Test func readToEndKeepsWhatFitsAndMeasuresWhatDoesNot() throws {
        #expect(try buffered("short").readToEnd(limit: 10).bytes == Array("short".utf8))
        let long = try buffered(String(repeating: "y", count: 200_000)).readToEnd(limit: 100)
        #expect(long.bytes == nil)
        #expect(long.length == 200_000)
    }

    @Test(arguments: [
        ("../x.html", true), ("a/../../x", true), ("/etc/passwd", true), ("\\windows\\x", true), ("C:\\x", true),
        ("site/a.html", false), ("a..b/c.html", false), ("..hidden", false),
    ])
    func pathsOutsideTheArchiveRoot(path: String, escapes: Bool) {
        #expect(Container.escapesRoot(path) == escapes)
    }

    @Test func containersAreToldByTheirFirstBytesAndJSONLinesByName() {
        func kind(_ bytes: [UInt8], _ name: String = "x") -> Container { Container(head: bytes[...], name: name) }
        #expect(kind([0x1F, 0x8B, 0x08]) == .archive)
        #expect(kind(Array("PK".utf8) + [3, 4]) == .archive)
        #expect(kind([0x28, 0xB5, 0x2F, 0xFD]) == .archive)
        #expect(kind(Array(repeating: 0, count: 257) + Array("ustar".utf8)) == .archive)
        #expect(kind(Array("WARC/1.1\r\n".utf8)) == .warc)
        #expect(kind(Array("{\"text\": 1}".utf8), "dump.jsonl.gz") == .jsonLines)
        #expect(kind(Array("{\"text\": 1}".utf8), "rows.ndjson") == .jsonLines)
        #expect(kind(Array("<html>".utf8), "page.html") == .document)
        #expect(Container.strippingCompression("a.warc.gz") == "a.warc")
        #expect(Container.strippingCompression("b.tgz") == "b.tar")
    }

    static let warc = """
        WARC/1.1\r
        WARC-Type: warcinfo\r
        WARC-Record-ID: <urn:uuid:1>\r
        Content-Length: 9\r
        \r
        software:\r
        \r
        WARC/1.0\r
        WARC-Type: response\r
        WARC-Record-ID: <urn:uuid:2>\r
        WARC-Target-URI: <https://example.com/a>\r
        WARC-Date: 2024-01-01T00:00:00Z\r
        Content-Length: 118\r
        \r
        HTTP/1.1 200 OK\r
        Content-Type: text/html; charset="ISO-8859-1"\r
        Transfer-Encoding: chunked\r
        \r
        5\r
        <p>hi\r
        4\r
        </p>\r
        0\r
        \r
        \r
        \r

        """

    @Test func warcRecordsWithTheirHeadersAndBlocks() throws {
        let reader = WARCReader(stream: buffered(Self.warc), maxBlockBytes: 1000)
        let info = try #require(try reader.next())
        #expect(info.type == "warcinfo")
        #expect(info.block == nil)  // only responses and resources are kept
        let response = try #require(try reader.next())
        #expect(response.type == "response")
        #expect(response.id == "<urn:uuid:2>")
        #expect(response.targetURI == "https://example.com/a")
        #expect(response.date == "2024-01-01T00:00:00Z")
        let block = try #require(response.block)
        let http = try #require(HTTPResponse(block))
        #expect(http.status == 200)
        #expect(http.mediaType == "text/html")
        #expect(http.charset == "ISO-8859-1")
        #expect(http.dechunkedBody() == Array("<p>hi</p>".utf8))
        #expect(try reader.next() == nil)
    }

    @Test func aRecordWithoutContentLengthOrVersionLineIsMalformed() {
        let noLength = WARCReader(stream: buffered("WARC/1.1\r\nWARC-Type: response\r\n\r\nbody"), maxBlockBytes: 100)
        #expect(throws: StageError.self) { try noLength.next() }
        let notWARC = WARCReader(stream: buffered("HTTP/1.1 200 OK\r\n\r\n"), maxBlockBytes: 100)
        #expect(throws: StageError.self) { try notWARC.next() }
        let truncated = WARCReader(stream: buffered("WARC/1.1\r\nContent-Length: 500\r\n\r\nshort"), maxBlockBytes: 1000)
        #expect(throws: StageError.self) { try truncated.next() }
    }

    @Test func badChunksAreRefusedNotGuessed() throws {
        let message = Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n".utf8)
        let response = try #require(HTTPResponse(message))
        #expect(response.dechunkedBody() == nil)
        #expect(HTTPResponse(Array("<html>not a response".utf8)) == nil)
    }
}

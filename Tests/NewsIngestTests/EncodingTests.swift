import Foundation
import NewsCore
@testable import NewsIngest
import NewsTestSupport
import Testing

/// Legacy encodings declared rightly, wrongly or not at all: fixtures/html/encodings, written by
/// scripts/gen_encoding_fixtures.py with Python's codecs, with the sentence each page holds.
@Suite struct EncodingTests {
    struct Case: Decodable, CustomTestStringConvertible, Sendable {
        var file = ""
        var text: String
        var warnings: [String]
        var testDescription: String { file }

        private enum CodingKeys: String, CodingKey { case text, warnings }
    }

    static let cases: [Case] = {
        let folder = repoPath("fixtures/html/encodings")
        guard let data = FileManager.default.contents(atPath: folder + "/manifest.json"),
            let manifest = try? JSONDecoder().decode([String: Case].self, from: data)
        else { return [] }
        return manifest.sorted { $0.key < $1.key }.map { file, item in
            var item = item
            item.file = file
            return item
        }
    }()

    func decode(_ bytes: [UInt8], charset: String? = nil) throws -> DecodedArticle {
        try ByteDecoder().process(RawArticle(source: SourceRef(path: "page.html"), bytes: bytes, formatHint: .html, declaredCharset: charset))
    }

    @Test func everyFixtureIsListed() {
        #expect(Self.cases.count >= 25)
    }

    @Test(arguments: cases) func decodesWithoutMojibakeAndFlagsWrongDeclarations(_ fixture: Case) throws {
        let bytes = try #require(FileManager.default.contents(atPath: repoPath("fixtures/html/encodings/" + fixture.file)))
        let decoded = try decode([UInt8](bytes))
        #expect(decoded.content.contains(fixture.text))
        #expect(decoded.warnings.map(\.code) == fixture.warnings)
    }

    @Test func metaCharsetWindows1252IsHonoured() throws {
        let html = Array(#"<html><head><meta charset="windows-1252"></head><body><p>Caf"#.utf8) + [0xE9, 0x20, 0x80, 0x35, 0x93, 0x78, 0x94]
            + Array("</p></body></html>".utf8)
        let article = try decode(html)
        #expect(article.format == .html)
        #expect(article.content.contains("Café €5“x”"))
        #expect(article.warnings.isEmpty)
    }

    @Test func httpEquivCharsetIsFound() throws {
        let html = Array(#"<html><head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1"></head><body>"#.utf8) + [0xE9]
        #expect(try decode(html).content.hasSuffix("é"))
    }

    @Test(arguments: [
        (#"<META CHARSET='ISO-8859-1'>"#, "iso-8859-1"),
        (#"<meta http-equiv=Content-Type content="text/html;charset = Shift_JIS">"#, "shift_jis"),
        (#"<meta name="x"><p>charset=utf-8 in text</p><meta charset="windows-1252">"#, "windows-1252"),
        (#"<script>var charset = "koi8-r";</script>"#, nil),
        (#"<meta charset="">"#, nil),
    ])
    func metaCharsetLabelIsReadFromMetaTagsOnly(_ head: String, _ label: String?) {
        #expect(HTMLCharset.declared(in: Array(head.utf8)[...]) == label)
    }

    @Test(arguments: [
        ("  \n<!DOCTYPE HTML><p>x", ContentFormat.html), ("<HTML><body>", .html), ("<?xml version=\"1.0\"?>", .html),
        ("Some text first, then <BODY> later", .html), ("<!-- comment -->", .html),
        ("Plain words about <b>bold</b> claims", .text), ("", .text),
    ])
    func formatIsSniffedFromTheOpening(_ opening: String, _ format: ContentFormat) {
        #expect(ByteDecoder.sniffFormat(Array(opening.utf8)[...]) == format)
    }

    @Test func httpCharsetOutranksTheMetaTag() throws {
        let gbk: [UInt8] = [0xB0, 0xA2, 0xC0, 0xEF, 0xB0, 0xCD, 0xB0, 0xCD]  // 阿里巴巴
        let page = Array(#"<html><head><meta charset="windows-1252"></head><body><p>"#.utf8) + gbk + Array("</p></body></html>".utf8)
        let decoded = try decode(page, charset: "GBK")
        #expect(decoded.content.contains("阿里巴巴"))
        #expect(decoded.warnings.isEmpty)
    }

    @Test func aFewBadBytesInUTF8StayUTF8() throws {
        // One stray Latin-1 byte in a UTF-8 page is damage, not a different encoding.
        let page = Array("<html><body><p>Zürich, São Paulo and Kraków: ".utf8) + [0xE9] + Array(" café</p></body></html>".utf8)
        let decoded = try decode(page)
        #expect(decoded.content.contains("Zürich, São Paulo and Kraków: \u{FFFD} café"))
        #expect(decoded.warnings.map(\.code) == ["invalid_utf8"])
        #expect(decoded.warnings[0].message.contains("1 invalid UTF-8 sequence(s) replaced with U+FFFD, the first at byte 48"))
    }

    @Test func badBytesInADeclaredLegacyEncodingAreReplacedAndCounted() throws {
        // 0xFF cannot start a Shift_JIS character.
        let page = Array(#"<html><head><meta charset="shift_jis"></head><body><p>"#.utf8) + [0x82, 0xA0, 0xFF] + Array("</p></body></html>".utf8)
        let decoded = try decode(page)
        #expect(decoded.content.contains("あ\u{FFFD}"))
        #expect(decoded.warnings.map(\.code) == ["invalid_bytes"])
    }

    @Test(arguments: ["x-unknown-9", "utf-7-ish"]) func unknownLabelsAreReportedAndTheBytesStillDecoded(label: String) throws {
        let page = Array(#"<html><head><meta charset="\#(label)"></head><body>Héllo</body></html>"#.utf8)
        let decoded = try decode(page)
        #expect(decoded.content.contains("Héllo"))
        #expect(decoded.warnings.map(\.code) == ["unsupported_charset"])
    }
}

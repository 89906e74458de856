import Foundation
import NewsCore
import NewsHTML
import NewsIngest
import NewsTestSupport
import Testing

@Suite struct HTMLCleanerTests {
    init() { HTMLCleaner.initializeParser() }

    /// The default pipeline's boilerplate markers, read from pipelines/html.
    static let markers: [String] = {
        let text = (try? String(contentsOfFile: repoPath("pipelines/html/boilerplate-markers.txt"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }
    }()

    func clean(_ html: String, hint: ContentFormat? = .html) throws -> CleanArticle {
        let decoded = try ByteDecoder().process(RawArticle(source: SourceRef(path: "page.html"), bytes: Array(html.utf8), formatHint: hint))
        return try HTMLCleaner(boilerplateMarkers: Self.markers).clean(decoded)
    }

    static let page = """
        <!DOCTYPE html>
        <html lang="en-GB">
        <head>
          <title>Alibaba to invest $53bn in AI | Example News</title>
          <meta name="description" content="The group plans a record spend.">
          <meta property="og:title" content="Alibaba to invest $53bn in AI">
          <meta property="article:published_time" content="2025-02-24T09:30:00+08:00">
          <link rel="canonical" href="https://news.example.com/alibaba-ai">
          <style>p { color: red }</style>
          <script>var tracking = "Amazon";</script>
        </head>
        <body>
          <header><nav><a href="/">Home</a> <a href="/tech">Tech</a></nav></header>
          <div class="cookie-banner">We use cookies.</div>
          <article>
            <h1>Alibaba to invest $53bn in AI</h1>
            <p>HANGZHOU (Reuters) - Alibaba Group said on Monday it would invest
               more than   380 billion yuan.</p>
            <p>The move follows a meeting with <b>President Xi Jinping</b>.<br>It was widely reported.</p>
            <ul><li>Cloud</li><li>AI models</li></ul>
            <div class="share-buttons">Share on X</div>
            <form><input name="q"><button>Subscribe</button></form>
          </article>
          <aside>Related: Amazon news</aside>
          <footer>© Example News</footer>
        </body>
        </html>
        """

    @Test func keepsArticleParagraphsAndDropsBoilerplate() throws {
        let article = try clean(Self.page)
        #expect(
            article.text == """
                HANGZHOU (Reuters) - Alibaba Group said on Monday it would invest more than 380 billion yuan.

                The move follows a meeting with President Xi Jinping.
                It was widely reported.

                Cloud

                AI models
                """)
        for dropped in ["Home", "cookies", "tracking", "Share on X", "Subscribe", "Related", "©", "color"] {
            #expect(!article.text.contains(dropped), "\(dropped) should have been removed")
        }
    }

    @Test func readsMetadata() throws {
        let article = try clean(Self.page)
        #expect(article.title == "Alibaba to invest $53bn in AI")
        #expect(article.description == "The group plans a record spend.")
        #expect(article.published == "2025-02-24T09:30:00+08:00")
        #expect(article.language == "en")
        #expect(article.source.canonicalURL == "https://news.example.com/alibaba-ai")
    }

    @Test func readsJSONLDWhenMetaTagsAreMissing() throws {
        let html = """
            <html><head><title>Page</title>
            <script type="application/ld+json">
            {"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"Site"},
             {"@type":"NewsArticle","headline":"Amazon to spend $50 billion","datePublished":"2025-11-24",
              "description":"Federal AI push","inLanguage":"en-US","url":"https://example.com/a"}]}
            </script></head><body><p>Amazon said on Monday it would spend $50 billion.</p></body></html>
            """
        let article = try clean(html)
        #expect(article.title == "Amazon to spend $50 billion")
        #expect(article.published == "2025-11-24")
        #expect(article.description == "Federal AI push")
        #expect(article.language == "en")
        #expect(article.source.canonicalURL == "https://example.com/a")
        #expect(article.text == "Amazon said on Monday it would spend $50 billion.")
    }

    @Test(arguments: [
        ("2025-02-24 09:30:00", "2025-02-24T09:30:00"),
        ("2025-02-24T09:30:00Z", "2025-02-24T09:30:00Z"),
        ("2025-02-24", "2025-02-24"),
    ])
    func publishedDatesAreISO8601(value: String, expected: String) throws {
        let article = try clean(#"<html><head><meta name="pubdate" content="\#(value)"></head><body><p>x</p></body></html>"#)
        #expect(article.published == expected)
    }

    @Test func datesThatAreNotISO8601AreNotGuessed() throws {
        let article = try clean(#"<html><head><meta name="date" content="Feb 24, 2025"></head><body><p>x</p></body></html>"#)
        #expect(article.published == nil)
    }

    @Test func absentMetadataStaysNull() throws {
        let article = try clean("<html><body><p>Just a paragraph.</p><time>yesterday</time></body></html>")
        #expect(article.title == nil)
        #expect(article.published == nil)
        #expect(article.language == nil)
        #expect(article.description == nil)
    }

    @Test func decodesEntitiesAndCollapsesWhitespace() throws {
        let article = try clean("<p>AT&amp;T&nbsp;and&#160;Caf&eacute;   \n  news &#x4E2D;&#22269;</p>")
        #expect(article.text == "AT&T and Café news 中国")  // no-break spaces fold like any whitespace
    }

    @Test func malformedHTMLIsRecovered() throws {
        let article = try clean("<html><body><p>First <b>bold<p>Second</div></span><p>Third")
        #expect(article.text == "First bold\n\nSecond\n\nThird")
    }

    @Test func deepNestingIsCutAndFlagged() throws {
        let deep = String(repeating: "<div>", count: 3000) + "deep text" + String(repeating: "</div>", count: 3000)
        let decoded = try ByteDecoder().process(RawArticle(source: SourceRef(path: "d.html"), bytes: Array(("<p>top</p>" + deep).utf8), formatHint: .html))
        let article = try HTMLCleaner(maxDepth: 100).clean(decoded)
        #expect(article.text.hasPrefix("top"))
        #expect(article.warnings.contains { $0.code == "html_too_deep" })
    }

    @Test func prefersTheLargestArticleElement() throws {
        let body = String(repeating: "Main story sentence. ", count: 20)
        let html = "<body><article><p>Teaser</p></article><article><p>\(body)</p></article></body>"
        #expect(try clean(html).text == body.trimmingCharacters(in: [" "]))
    }

    @Test func whitespaceCollapsesIncludingUnicodeSpaces() throws {
        let article = try clean(
            "<html><body><article><p>Alpha&nbsp;&nbsp;beta\u{2003}gamma\n\t delta \u{3000}epsilon, with enough words to be the article.</p>"
                + "<p>Caf\u{E9} au lait<br>next line</p></article></body></html>")
        #expect(article.text == "Alpha beta gamma delta epsilon, with enough words to be the article.\n\nCaf\u{E9} au lait\nnext line")
    }

    @Test func metaContentIsTrimmedAndCollapsed() throws {
        let article = try clean("""
            <html><head><meta name="description" content="  Two
               lines\tof text ">
            <meta property="og:site_name" content="\u{A0}Caf\u{E9}  Times\u{A0}">
            <meta name="author" content="   "></head><body><p>Text of the story, long enough to count.</p></body></html>
            """)
        #expect(article.description == "Two lines of text")
        #expect(article.siteName == "Caf\u{E9} Times")
        #expect(article.authors.isEmpty)
    }

    @Test func aTagWithTooManyAttributesIsRefusedButQuotedEqualsSignsAreNot() throws {
        let body = "<p>Text of the story, long enough to count.</p>"
        let crowded = (1...1_001).map { "a\($0)=1" }.joined(separator: " ")
        #expect(throws: StageError.self) { try clean("<html><body><div \(crowded)>x</div>\(body)</body></html>") }
        // `=` inside quoted values, `<` and `>` too, are not attributes.
        let query = (1...1_500).map { "k\($0)=v" }.joined(separator: "&")
        let quoted = "<a href=\"https://example.com/?\(query)\" title='a<b>c=d'>link</a>"
        #expect(try clean("<html><body>\(quoted)\(body)</body></html>").text.contains("long enough"))
        // Outside tags `=` counts for nothing.
        let prose = String(repeating: "x = y ", count: 2_000)
        #expect(try clean("<html><body><p>\(prose)</p>\(body)</body></html>").text.contains("long enough"))
    }
}

@Suite struct ByteDecoderTests {
    func decode(_ bytes: [UInt8], hint: ContentFormat? = nil) throws -> DecodedArticle {
        try ByteDecoder().process(RawArticle(source: SourceRef(path: "x"), bytes: bytes, formatHint: hint))
    }

    @Test func textWithNoUTF8SequenceAndBadBytesIsWindows1252() throws {
        let article = try decode(Array("caf".utf8) + [0xE9] + Array(" ok ".utf8) + [0xFF, 0xFE])
        #expect(article.content == "café ok ÿþ")
        #expect(article.warnings.map(\.code) == ["charset_guessed"])
        #expect(article.warnings[0].message.contains("3 invalid"))
    }

    @Test func utf8BOMIsDropped() throws {
        let article = try decode([0xEF, 0xBB, 0xBF] + Array("Hello".utf8))
        #expect(article.content == "Hello")
        #expect(article.warnings.isEmpty)
    }

    @Test func utf16WithBOMIsDecoded() throws {
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in "Alibaba 阿里".utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        #expect(try decode(bytes).content == "Alibaba 阿里")
        var big: [UInt8] = [0xFE, 0xFF]
        for unit in "€5".utf16 { big += [UInt8(unit >> 8), UInt8(unit & 0xFF)] }
        #expect(try decode(big).content == "€5")
    }

    @Test func binaryIsAnError() {
        var junk: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00]
        for i in 0..<200 { junk.append(UInt8((i * 37) % 256)) }
        #expect {
            try decode(junk)
        } throws: { error in
            (error as? StageError)?.code == .binaryContent
        }
    }

    @Test func sniffsHTMLWithoutExtension() throws {
        #expect(try decode(Array("  <!DOCTYPE html><html><body>x</body></html>".utf8)).format == .html)
        #expect(try decode(Array("Plain words about <b> tags".utf8)).format == .text)
    }

    @Test func sameBytesGiveSameID() throws {
        let a = try decode(Array("same".utf8)), b = try decode(Array("same".utf8)), c = try decode(Array("other".utf8))
        #expect(a.id == b.id)
        #expect(a.id != c.id)
    }
}

import Foundation
import NewsFetch
import Testing

@Suite struct FeedParserTests {
    func parse(_ xml: String, base: String = "https://news.example.com/feeds/main.xml") throws -> FeedDocument {
        try FeedParser.parse(Array(xml.utf8), baseURL: base)
    }

    /// The error `parse` throws for `bytes`, or nil when it parses.
    func failure(_ bytes: [UInt8]) -> FeedParseError? {
        do throws(FeedParseError) {
            _ = try FeedParser.parse(bytes, baseURL: "https://news.example.com/")
            return nil
        } catch {
            return error
        }
    }

    // MARK: RSS

    static let rss2 = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
        <channel>
          <title>  Example
             News </title>
          <link>https://news.example.com/</link>
          <atom:link rel="self" href="https://news.example.com/feeds/main.xml"/>
          <item>
            <title>Alibaba to invest in AI</title>
            <link>https://news.example.com/alibaba-ai</link>
            <guid isPermaLink="false">tag:example.com,2024:1</guid>
            <pubDate>Wed, 02 Oct 2002 13:00:00 +0100</pubDate>
            <description><![CDATA[<p>The group plans a <b>record</b> spend &amp; more.</p><p>Second&nbsp;paragraph.</p><script>alert("x")</script>]]></description>
          </item>
          <item>
            <title>Permalink only</title>
            <guid>https://news.example.com/permalink-only</guid>
            <pubDate>Tue, 10 Jun 2003 04:00:00 GMT</pubDate>
          </item>
          <item>
            <title>Relative link</title>
            <link>/2024/05/relative?x=1</link>
            <dc:date>2024-05-01T10:00:00Z</dc:date>
          </item>
          <item>
            <title>Relative path, unreadable pubDate</title>
            <link>
              ../stories/rel-path.html
            </link>
            <pubDate>sometime last week</pubDate>
            <dc:date>2024-05-02</dc:date>
            <description>Plain text, no markup.</description>
          </item>
          <item>
            <title>Guid that is not a permalink, no link</title>
            <guid isPermaLink="false">https://news.example.com/not-a-permalink</guid>
          </item>
          <item>
            <title>Script link</title>
            <link>javascript:alert(1)</link>
          </item>
          <item>
            <title>Mail link</title>
            <link>mailto:desk@example.com</link>
          </item>
          <item>
            <title>Duplicate</title>
            <link>https://news.example.com/alibaba-ai</link>
          </item>
        </channel>
        </rss>
        """

    @Test func rss2Items() throws {
        let document = try parse(Self.rss2)
        #expect(document.kind == .rss)
        #expect(document.title == "Example News")
        #expect(document.sitemaps.isEmpty)
        #expect(document.items.map(\.url) == [
            "https://news.example.com/alibaba-ai",
            "https://news.example.com/permalink-only",
            "https://news.example.com/2024/05/relative?x=1",
            "https://news.example.com/stories/rel-path.html",
        ])
        let first = try #require(document.items.first)
        #expect(first.title == "Alibaba to invest in AI")
        #expect(first.id == "tag:example.com,2024:1")
        #expect(first.key == "tag:example.com,2024:1")
        #expect(first.published == "2002-10-02T13:00:00+01:00")
        #expect(first.summary == "The group plans a record spend & more. Second paragraph.")

        let permalink = document.items[1]
        #expect(permalink.id == "https://news.example.com/permalink-only")
        #expect(permalink.published == "2003-06-10T04:00:00Z")
        #expect(permalink.summary == nil)

        let relative = document.items[2]
        #expect(relative.id == nil)
        #expect(relative.key == "https://news.example.com/2024/05/relative?x=1")
        #expect(relative.published == "2024-05-01T10:00:00Z")

        let fallback = document.items[3]
        #expect(fallback.published == "2024-05-02")
        #expect(fallback.summary == "Plain text, no markup.")
    }

    @Test func rss1RDFItems() throws {
        let document = try parse("""
            <?xml version="1.0"?>
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
                     xmlns:dc="http://purl.org/dc/elements/1.1/">
              <channel rdf:about="https://slash.example.org/">
                <title>Slash Example</title>
                <link>https://slash.example.org/</link>
                <items><rdf:Seq><rdf:li rdf:resource="https://slash.example.org/a"/></rdf:Seq></items>
              </channel>
              <item rdf:about="https://slash.example.org/a">
                <title>First story</title>
                <link>https://slash.example.org/a</link>
                <description>Plain &amp; simple.</description>
                <dc:date>2024-05-01T10:00:00+02:00</dc:date>
              </item>
              <item rdf:about="https://slash.example.org/b">
                <title>Second story</title>
              </item>
            </rdf:RDF>
            """)
        #expect(document.kind == .rss)
        #expect(document.title == "Slash Example")
        #expect(document.items.map(\.url) == ["https://slash.example.org/a", "https://slash.example.org/b"])
        #expect(document.items.first?.summary == "Plain & simple.")
        #expect(document.items.first?.published == "2024-05-01T10:00:00+02:00")
        #expect(document.items.last?.title == "Second story")
    }

    @Test func longSummaryIsCutAtAWord() throws {
        let words = String(repeating: "lorem ipsum dolor sit amet ", count: 200)
        let document = try parse("""
            <rss version="2.0"><channel><title>T</title>
            <item><link>https://news.example.com/long</link><description>&lt;p&gt;\(words)&lt;/p&gt;</description></item>
            </channel></rss>
            """)
        let summary = try #require(document.items.first?.summary)
        #expect(summary.count <= 1_000)
        #expect(summary.count > 900)
        #expect(summary.hasSuffix("…"))
        #expect(summary.hasPrefix("lorem ipsum dolor"))
    }

    @Test func escapedMarkupInRSSTitleIsReducedToText() throws {
        let document = try parse("""
            <rss version="2.0"><channel><title>Ben &amp;amp; Jerry&amp;#8217;s</title>
            <item><title>&lt;b&gt;Breaking:&lt;/b&gt; Q&amp;A on rates</title><link>https://news.example.com/q</link></item>
            </channel></rss>
            """)
        #expect(document.title == "Ben & Jerry\u{2019}s")
        #expect(document.items.first?.title == "Breaking: Q&A on rates")
    }

    // MARK: Atom

    static let atom = """
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example.org/">
          <title type="text">Example Blog</title>
          <link rel="self" href="https://blog.example.org/feed.atom"/>
          <entry>
            <title>Alternate wins</title>
            <link rel="edit" href="https://blog.example.org/edit/1"/>
            <link rel="alternate" type="text/html" href="https://blog.example.org/posts/1"/>
            <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
            <published>2024-05-01T10:00:00Z</published>
            <updated>2024-05-03T10:00:00Z</updated>
            <summary type="html">&lt;p&gt;Hello &amp;amp; &lt;em&gt;welcome&lt;/em&gt;&lt;/p&gt;&lt;p&gt;to the blog&lt;/p&gt;</summary>
          </entry>
          <entry xml:base="/archive/2024/">
            <title type="html">Ben &amp;amp; Jerry&amp;#8217;s</title>
            <link rel="enclosure" href="audio.mp3"/>
            <link href="post-2.html"/>
            <id>tag:blog.example.org,2024:2</id>
            <updated>2024-05-02T08:30:00+02:00</updated>
            <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>First.</p><p>Second.</p></div></content>
          </entry>
          <entry>
            <title>Only a self link; the id is the URL</title>
            <link rel="self" href="https://blog.example.org/self/3"/>
            <id>https://blog.example.org/posts/3</id>
            <updated>2024-05-04</updated>
          </entry>
          <entry>
            <title>No usable link</title>
            <link rel="alternate" href="javascript:void(0)"/>
            <id>tag:blog.example.org,2024:4</id>
          </entry>
        </feed>
        """

    @Test func atomEntries() throws {
        // The document's own URL differs from its xml:base: links resolve against xml:base.
        let document = try parse(Self.atom, base: "https://feeds.example.net/blog.atom")
        #expect(document.kind == .atom)
        #expect(document.title == "Example Blog")
        #expect(document.items.map(\.url) == [
            "https://blog.example.org/posts/1",
            "https://blog.example.org/archive/2024/post-2.html",
            "https://blog.example.org/posts/3",
        ])
        let first = document.items[0]
        #expect(first.id == "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a")
        #expect(first.title == "Alternate wins")
        #expect(first.published == "2024-05-01T10:00:00Z")
        #expect(first.summary == "Hello & welcome to the blog")

        let second = document.items[1]
        #expect(second.title == "Ben & Jerry\u{2019}s")
        #expect(second.published == "2024-05-02T08:30:00+02:00")
        #expect(second.summary == "First. Second.")

        #expect(document.items[2].published == "2024-05-04")
        #expect(document.items[2].key == "https://blog.example.org/posts/3")
    }

    @Test func atomRelativeLinkWithoutXMLBaseUsesTheDocumentURL() throws {
        let document = try parse("""
            <feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>
            <entry><title>E</title><link rel="alternate" href="../news/e.html"/><id>e</id></entry>
            </feed>
            """, base: "https://site.example.com/feeds/atom.xml")
        #expect(document.items.map(\.url) == ["https://site.example.com/news/e.html"])
    }

    // MARK: Sitemaps

    @Test func newsSitemap() throws {
        let document = try parse("""
            <?xml version="1.0" encoding="UTF-8"?>
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
                    xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
                    xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
              <url>
                <loc>https://news.example.com/business/article55.html</loc>
                <news:news>
                  <news:publication><news:name>Example Times</news:name><news:language>en</news:language></news:publication>
                  <news:publication_date>2008-12-23</news:publication_date>
                  <news:title>Companies A, B in Merger Talks</news:title>
                </news:news>
                <image:image><image:loc>https://news.example.com/img/55.jpg</image:loc></image:image>
              </url>
              <url>
                <loc>https://news.example.com/business/article56.html</loc>
                <lastmod>2024-05-01T09:15:00+00:00</lastmod>
                <news:news>
                  <news:publication_date>2024-05-01T10:00:00Z</news:publication_date>
                  <news:title>Second   title</news:title>
                </news:news>
              </url>
            </urlset>
            """)
        #expect(document.kind == .sitemap)
        #expect(document.title == nil)
        #expect(document.sitemaps.isEmpty)
        #expect(document.items == [
            FeedItem(url: "https://news.example.com/business/article55.html", title: "Companies A, B in Merger Talks", published: "2008-12-23"),
            FeedItem(url: "https://news.example.com/business/article56.html", title: "Second title", published: "2024-05-01T10:00:00Z"),
        ])
    }

    @Test func plainSitemapWithLastmodDropsDuplicatesAndOtherSchemes() throws {
        let document = try parse("""
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
              <url><loc> https://www.example.com/a </loc><lastmod>2024-05-01</lastmod></url>
              <url><loc>https://www.example.com/b</loc><lastmod>2024-05-02T10:00+01:00</lastmod></url>
              <url><loc>https://www.example.com/a</loc><lastmod>2024-06-01</lastmod></url>
              <url><loc>javascript:alert(1)</loc></url>
              <url><loc>mailto:x@example.com</loc></url>
              <url><loc></loc></url>
              <url><loc>ftp://example.com/file</loc></url>
              <url><loc>https://www.example.com/c</loc><lastmod>0001-01-01</lastmod></url>
            </urlset>
            """, base: "https://www.example.com/sitemap.xml")
        #expect(document.kind == .sitemap)
        #expect(document.items == [
            FeedItem(url: "https://www.example.com/a", published: "2024-05-01"),
            FeedItem(url: "https://www.example.com/b", published: "2024-05-02T10:00:00+01:00"),
            FeedItem(url: "https://www.example.com/c"),
        ])
    }

    @Test func sitemapWithoutNamespace() throws {
        let document = try parse("""
            <?xml version="1.0"?>
            <urlset><url><loc>https://www.example.com/x</loc><lastmod>2024-01-31</lastmod></url></urlset>
            """)
        #expect(document.kind == .sitemap)
        #expect(document.items == [FeedItem(url: "https://www.example.com/x", published: "2024-01-31")])
    }

    @Test func sitemapIndex() throws {
        let document = try parse("""
            <?xml version="1.0" encoding="UTF-8"?>
            <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
              <sitemap><loc>https://www.example.com/sitemap-news.xml</loc><lastmod>2024-05-01</lastmod></sitemap>
              <sitemap><loc>/sitemap-2024-05.xml.gz</loc></sitemap>
              <sitemap><loc>https://www.example.com/sitemap-news.xml</loc></sitemap>
              <sitemap><loc>javascript:void(0)</loc></sitemap>
            </sitemapindex>
            """, base: "https://www.example.com/sitemap_index.xml")
        #expect(document.kind == .sitemapIndex)
        #expect(document.items.isEmpty)
        #expect(document.sitemaps == ["https://www.example.com/sitemap-news.xml", "https://www.example.com/sitemap-2024-05.xml.gz"])
    }

    @Test func atMostTenThousandEntries() throws {
        var xml = #"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">"#
        for index in 0..<10_050 { xml += "<url><loc>https://www.example.com/\(index)</loc></url>" }
        xml += "</urlset>"
        let document = try parse(xml)
        #expect(document.items.count == 10_000)
        #expect(document.items.last?.url == "https://www.example.com/9999")
    }

    // MARK: Dates

    static let rfc822Dates: [(String, String?)] = [
        ("Tue, 10 Jun 2003 04:00:00 GMT", "2003-06-10T04:00:00Z"),
        ("Wed, 02 Oct 2002 13:00:00 +0100", "2002-10-02T13:00:00+01:00"),
        ("Wed, 02 Oct 2002 15:00:00 EST", "2002-10-02T15:00:00-05:00"),
        ("Wed, 02 Oct 2002 15:00:00 PDT", "2002-10-02T15:00:00-07:00"),
        ("Sat, 01 Jun 2024 08:30:00 CDT", "2024-06-01T08:30:00-05:00"),
        ("02 Oct 2002 15:00:00 -0430", "2002-10-02T15:00:00-04:30"),
        ("Wed, 02 Oct 02 08:00:00 EST", "2002-10-02T08:00:00-05:00"),
        ("Fri, 31 Dec 99 23:59:59 +0000", "1999-12-31T23:59:59+00:00"),
        ("Sun, 5 May 2024 9:05 UT", "2024-05-05T09:05:00Z"),
        ("Tuesday, 10 June 2003 04:00:00 Z", "2003-06-10T04:00:00Z"),
        ("Wed, 02 Oct 2002 08:00:00 -0700 (PDT)", "2002-10-02T08:00:00-07:00"),
        ("Thu, 29 Feb 2024 12:00:00 GMT+01:00", "2024-02-29T12:00:00+01:00"),
        ("Wed, 02 Oct 2002 08:00:00 XYZ", "2002-10-02"),
        ("Wed, 02 Oct 2002", "2002-10-02"),
        ("2024-05-01T10:00:00Z", "2024-05-01T10:00:00Z"),
        ("Thu, 30 Feb 2024 10:00:00 GMT", nil),
        ("Wed, 02 Oct 2002 25:00:00 GMT", nil),
        ("Wed, 02 Foo 2002 08:00:00 GMT", nil),
        ("Wed, 02 Oct 2002 08:00:00 +2500", nil),
        ("garbage", nil),
        ("", nil),
    ]

    @Test(arguments: rfc822Dates)
    func rssPubDate(_ pubDate: String, _ expected: String?) throws {
        let document = try parse("""
            <rss version="2.0"><channel><title>T</title>
            <item><link>https://news.example.com/d</link><pubDate>\(pubDate)</pubDate></item>
            </channel></rss>
            """)
        #expect(document.items.first?.published == expected)
    }

    // MARK: Not a feed

    @Test func htmlPageIsAnError() {
        let error = failure(Array("""
            <!DOCTYPE html>
            <html lang="en"><head><title>Home</title></head><body><p>Hello<br>world</p></body></html>
            """.utf8))
        #expect(error?.reason == "not a feed or sitemap: root element <html>")
    }

    @Test func emptyAndNonXMLBytesAreErrors() {
        #expect(failure([])?.reason.hasPrefix("not XML") == true)
        #expect(failure(Array("   \n".utf8))?.reason.hasPrefix("not XML") == true)
        #expect(failure(Array(#"{"version": "https://jsonfeed.org/version/1.1", "items": []}"#.utf8))?.reason.hasPrefix("not XML") == true)
    }

    // MARK: Hostile documents

    @Test func externalEntitiesAreNeverRead() throws {
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
            <rss version="2.0"><channel><title>Channel &xxe;</title>
            <item><title>Item &xxe; title</title><link>https://news.example.com/x</link><description>&xxe;</description></item>
            </channel></rss>
            """
        // Parsing may succeed (the reference left out) or fail; the file's content must never appear.
        guard let document = try? parse(xml) else { return }
        let texts = [document.title] + document.items.flatMap { [$0.title, $0.summary, $0.id] }
        for text in texts.compactMap({ $0 }) {
            #expect(!text.contains("root:"))
        }
        #expect(document.items.first?.title?.hasPrefix("Item") != false)
    }

    static let laughs = """
        <!ENTITY lol "lol">
        <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
        <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
        <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
        <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
        <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
        <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
        <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
        <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
        <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
        """

    static let laughingDocuments = [
        """
        <?xml version="1.0"?>
        <!DOCTYPE rss [\(laughs)]>
        <rss version="2.0"><channel><title>&lol9;</title>
        <item><title>&lol9;</title><link>https://news.example.com/lol</link><description>&lol9;</description></item>
        </channel></rss>
        """,
        """
        <?xml version="1.0"?>
        <!DOCTYPE feed [\(laughs)]>
        <feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://example.com/&lol9;/"><title>&lol9;</title>
        <entry><title type="html">&lol9;</title><link href="https://example.com/&lol9;"/><id>&lol9;</id></entry>
        </feed>
        """,
    ]

    @Test(arguments: laughingDocuments)
    func billionLaughsStaysSmallAndQuick(_ xml: String) {
        let start = ContinuousClock.now
        let document = try? parse(xml)
        #expect(ContinuousClock.now - start < .seconds(5))
        guard let document else { return }
        let texts = [document.title] + document.items.flatMap { [$0.title, $0.summary, $0.id, $0.url] }
        for text in texts.compactMap({ $0 }) {
            #expect(text.count <= 10_000)
        }
    }
}

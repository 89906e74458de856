import Foundation
import NewsCore
import NewsHTML
import NewsIngest
import NewsTestSupport
import Testing

/// The default pipeline's class and id marker lists, read from pipelines/html.
private func markers(_ file: String) -> [String] {
    let text = (try? String(contentsOfFile: repoPath("pipelines/html/" + file), encoding: .utf8)) ?? ""
    return text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }
}

/// The default pipeline's month names (`name<TAB>number`).
private func months() -> [String: Int] {
    Dictionary(markers("month-names.tsv").compactMap { line -> (String, Int)? in
        let columns = line.split(separator: "\t")
        guard columns.count == 2, let month = Int(columns[1]) else { return nil }
        return (String(columns[0]), month)
    }, uniquingKeysWith: { first, _ in first })
}

private let cleaner = HTMLCleaner(
    boilerplateMarkers: markers("boilerplate-markers.txt"), contentMarkers: markers("content-markers.txt"),
    byline: BylineVocabulary(
        monthNames: months(), nameStopWords: Set(markers("byline-stop-words.txt")), nonNames: Set(markers("byline-non-names.txt"))))

private func clean(_ html: String) throws -> CleanArticle {
    HTMLCleaner.initializeParser()
    let decoded = try ByteDecoder().process(
        RawArticle(source: SourceRef(path: "page.html"), bytes: Array(html.utf8), formatHint: .html))
    return try cleaner.clean(decoded)
}

/// Two paragraphs long enough to score as an article.
private let story = """
    <p>Alibaba Group said on Monday it would invest more than 380 billion yuan, about $53 billion, in cloud computing and artificial intelligence over the next three years.</p>
    <p>The spending, the company said, exceeds what it invested in AI and cloud over the past decade, and follows a meeting between its founder, Jack Ma, and President Xi Jinping.</p>
    """

/// Which block holds the article: each strong signal picks it out from page furniture.
@Suite struct ContentSignalTests {
    @Test func paragraphsOutscoreALongerBlockOfLinks() throws {
        let links = (1...40).map { "<a href=\"/s/\($0)\">Another headline number \($0) from the newsroom</a>" }.joined(separator: " ")
        let article = try clean("<body><div>\(links)</div><div>\(story)</div></body>")
        #expect(article.text.hasPrefix("Alibaba Group said on Monday"))
        #expect(!article.text.contains("Another headline"))
    }

    @Test func aContentClassWinsOverAnUnnamedBlockOfTheSameSize() throws {
        let other = story.replacingOccurrences(of: "Alibaba", with: "Tencent")
        // (Deep enough that the other block's wrapper does not score as a sibling worth merging.)
        let article = try clean(
            #"<body><div><section><div class="x">\#(other)</div></section></div><div><section><div class="article-body">\#(story)</div></section></div></body>"#)
        #expect(article.text.hasPrefix("Alibaba Group"))
        #expect(!article.text.contains("Tencent"))
    }

    @Test func paragraphsInTheirOwnBoxesAreJoinedAtTheirCommonAncestor() throws {
        let boxes = (1...5).map {
            "<div class=\"card\"><div class=\"card-content\"><p>Paragraph \($0) of the story, with enough words, commas, and detail to count as text of an article.</p></div></div>"
        }.joined()
        let article = try clean("<body><div id=\"wrap\">\(boxes)</div></body>")
        for n in 1...5 { #expect(article.text.contains("Paragraph \(n) of the story")) }
    }

    @Test func aSiblingParagraphAfterTheContainerIsKept() throws {
        let html = "<body><div><div class=\"story\">\(story)</div><p>Shares of Alibaba rose 5 percent in Hong Kong trading after the announcement on Monday morning, their best day in a month.</p></div></body>"
        let article = try clean(html)
        #expect(article.text.contains("Shares of Alibaba rose 5 percent"))
    }

    @Test func headingsParagraphsAndListsKeepTheirOrder() throws {
        let html = "<body><article>\(story)<h2>What it means</h2><ul><li>More data centres</li><li>Cheaper models</li></ul><p>Analysts said the plan, if carried out, would make Alibaba the largest cloud investor in Asia.</p></article></body>"
        let text = try clean(html).text
        let order = ["Alibaba Group said", "What it means", "More data centres", "Cheaper models", "Analysts said"]
        let positions = order.compactMap { text.range(of: $0)?.lowerBound }
        #expect(positions.count == order.count && positions == positions.sorted(), "\(text)")
    }

    @Test func jsonLDArticleBodyStandsInForAPageRenderedByScript() throws {
        let html = """
            <html><head><script type="application/ld+json">
            {"@context":"https://schema.org","@graph":[{"@type":"WebPage","name":"x"},
             {"@type":"NewsArticle","headline":"Alibaba to invest","articleBody":"Alibaba Group said on Monday it would invest more than 380 billion yuan.\\nThe plan covers three years."}]}
            </script></head><body><div id="app">Loading…</div></body></html>
            """
        #expect(try clean(html).text == "Alibaba Group said on Monday it would invest more than 380 billion yuan.\n\nThe plan covers three years.")
    }

    @Test func jsonLDArticleBodyDoesNotReplaceTheMarkupWhenTheMarkupHasTheText() throws {
        let html = #"<html><head><script type="application/ld+json">{"@type":"NewsArticle","articleBody":"Short summary."}</script></head><body><article>\#(story)</article></body></html>"#
        #expect(try clean(html).text.hasPrefix("Alibaba Group said"))
    }
}

/// What is removed inside and around the article.
@Suite struct BoilerplateClassTests {
    /// Every marker of pipelines/html/boilerplate-markers.txt, as the start of a class word and as an id.
    static let boilerplateMarkers = markers("boilerplate-markers.txt")

    @Test(arguments: boilerplateMarkers) func aBlockNamedAsBoilerplateIsDropped(marker: String) throws {
        let junk = "Furniture text that is not the story, repeated, repeated, repeated, to look like a paragraph."
        for attribute in ["class=\"x-\(marker)s-box\"", "id=\"\(marker)\""] {
            let html = "<body><article>\(story)<div \(attribute)><p>\(junk)</p></div></article></body>"
            let text = try clean(html).text
            #expect(text.contains("Jack Ma"), "\(attribute)")
            #expect(!text.contains("Furniture text"), "\(attribute)")
        }
    }

    @Test func oneNameThatSaysBothContentAndBoilerplateIsBoilerplate() throws {
        let html = "<body><article>\(story)<div class=\"article-related-stories\"><p>Related story with a long enough title to count, and a comma.</p></div></article></body>"
        #expect(!(try clean(html).text.contains("Related story")))
    }

    @Test func separateNamesForContentAndBoilerplateKeepTheBlock() throws {
        // Readability's rule: `article modal-enabled` may be the article.
        let html = "<body><div class=\"article modal-enabled\">\(story)</div></body>"
        #expect(try clean(html).text.contains("Jack Ma"))
    }

    @Test func aBoilerplateNamedWrapperAroundTheWholePageIsKept() throws {
        let html = "<body><div class=\"m-advertisement-off-canvas--pusher\"><article>\(story)</article></div></body>"
        #expect(try clean(html).text.contains("Jack Ma"))
    }

    @Test func anEmbeddedPostInsideASocialWrapperIsKept() throws {
        let html = "<body><article>\(story)<div class=\"social-embed\"><blockquote class=\"twitter-tweet\"><p>Big news from Hangzhou today, a tweet quoted in the story.</p></blockquote></div></article></body>"
        #expect(try clean(html).text.contains("Big news from Hangzhou"))
    }

    @Test func figuresAndCaptionsAreDropped() throws {
        let html = "<body><article>\(story)<figure><img src=\"a.jpg\"><figcaption>Jack Ma in 2019. Photo: Reuters</figcaption></figure></article></body>"
        #expect(!(try clean(html).text.contains("Photo: Reuters")))
    }

    @Test func theHeadlineIsLeftToTheTitleField() throws {
        let html = "<body><article><h1>Alibaba to invest $53bn</h1>\(story)<h2>Second heading stays</h2></article></body>"
        let text = try clean(html).text
        #expect(!text.contains("Alibaba to invest $53bn"))
        #expect(text.contains("Second heading stays"))
    }

    @Test func linkListsAndShortLinkLinesInsideTheArticleAreDropped() throws {
        let html = """
            <body><article>\(story)
            <p>Read more: <a href="/a">Tencent unveils its own plans for AI models</a></p>
            <ul><li><a href="/1">Amazon invests in Anthropic</a></li><li><a href="/2">Baidu cuts prices</a></li></ul>
            <ul><li>Cloud, the first pillar</li><li>Models, the second</li></ul>
            </article></body>
            """
        let text = try clean(html).text
        #expect(!text.contains("Tencent unveils"))
        #expect(!text.contains("Amazon invests"))
        #expect(text.contains("Cloud, the first pillar"))
    }

    @Test func hiddenMarkupIsDropped() throws {
        let html = "<body><article>\(story)<p hidden>Hidden by attribute.</p><div style=\"display: none\">Hidden by style.</div><p style=\"visibility:hidden\">Invisible.</p></article></body>"
        let text = try clean(html).text
        for hidden in ["Hidden by attribute", "Hidden by style", "Invisible"] { #expect(!text.contains(hidden)) }
    }

    @Test(arguments: ["nav", "header", "footer", "aside", "script", "style", "form > button", "noscript", "iframe"])
    func pageFurnitureElementsAreDropped(element: String) throws {
        let tags = element.split(separator: " > ").map(String.init)
        let open = tags.map { "<\($0)>" }.joined(), close = tags.reversed().map { "</\($0)>" }.joined()
        let html = "<body><article>\(story)\(open)Furniture words\(close)</article></body>"
        #expect(!(try clean(html).text.contains("Furniture words")))
    }
}

/// Each metadata field from each of its sources, in order of preference.
@Suite struct MetadataSignalTests {
    func page(head: String, body: String = story) -> String {
        "<html><head>\(head)</head><body><article>\(body)</article></body></html>"
    }

    @Test(arguments: [
        ("<title>Alibaba to invest $53bn | Example News</title><meta property=\"og:site_name\" content=\"Example News\">", "Alibaba to invest $53bn"),
        ("<title>Example News - Alibaba to invest $53bn</title><meta property=\"og:site_name\" content=\"Example News\">", "Alibaba to invest $53bn"),
        ("<title>Alibaba to invest $53bn | Example News | Tech</title><meta property=\"og:site_name\" content=\"Example News\">", "Alibaba to invest $53bn"),
        ("<title>Alibaba to invest $53bn – The Hill</title><link rel=\"canonical\" href=\"https://thehill.com/a/1\">", "Alibaba to invest $53bn"),
        ("<title>Q&amp;A: Alibaba's AI bet - what it means</title>", "Q&A: Alibaba's AI bet - what it means"),
    ])
    func titlesLoseTheSiteName(head: String, expected: String) throws {
        #expect(try clean(page(head: head)).title == expected)
    }

    @Test func aHeadingThatMatchesOnePartOfTheTitleIsTheHeadline() throws {
        let html = "<html><head><title>Tech | Alibaba to invest $53bn</title></head><body><h1>Alibaba to invest $53bn</h1>\(story)</body></html>"
        #expect(try clean(html).title == "Alibaba to invest $53bn")
    }

    @Test func aLogoInTheHeadingIsNotTakenForTheHeadline() throws {
        let html = "<html><head><title>Alibaba to invest $53bn | Example News</title><meta property=\"og:site_name\" content=\"Example News\"></head><body><h1>Example News</h1>\(story)</body></html>"
        #expect(try clean(html).title == "Alibaba to invest $53bn")
    }

    @Test func jsonLDGivesAuthorsModifiedDateAndPublisher() throws {
        let head = """
            <script type="application/ld+json">{"@type":"NewsArticle","headline":"H","datePublished":"2025-02-24T09:30:00Z",
            "dateModified":"2025-02-25T10:00:00Z","author":[{"@type":"Person","name":"Jane Doe"},{"@type":"Person","name":"John Roe"},
            {"@type":"Organization","name":"Example Newsroom"}],"publisher":{"@type":"Organization","name":"Example News"}}</script>
            """
        let article = try clean(page(head: head))
        #expect(article.authors == ["Jane Doe", "John Roe"])
        #expect(article.published == "2025-02-24T09:30:00Z")
        #expect(article.modified == "2025-02-25T10:00:00Z")
        #expect(article.siteName == "Example News")
    }

    @Test(arguments: [
        ("<meta name=\"author\" content=\"By Jane Doe and John Roe\">", "", ["Jane Doe", "John Roe"]),
        ("<meta name=\"byl\" content=\"By JANE DOE, JOHN ROE and ANN LEE\">", "", ["JANE DOE", "JOHN ROE", "ANN LEE"]),
        ("", "<a rel=\"author\" href=\"/jane\">Jane Doe</a>", ["Jane Doe"]),
        ("", "<span itemprop=\"author\">Eric Tucker<br>Associated Press</span>", ["Eric Tucker", "Associated Press"]),
        ("", "<div class=\"byline\">By Jane Doe | November 18, 2019 10:30 a.m. EST</div>", ["Jane Doe"]),
        ("", "<p class=\"author-name\">Ilana Muhlstein, MS, RDN</p>", ["Ilana Muhlstein"]),
        ("", "<div class=\"author\"><label>Name (required)</label></div>", []),
    ] as [(String, String, [String])])
    func authorsFromMetaMarkupAndByline(head: String, byline: String, expected: [String]) throws {
        let article = try clean(page(head: head, body: byline + story))
        #expect(article.authors == expected)
    }

    @Test func theSiteNamedAsItsOwnAuthorIsNotAnAuthor() throws {
        let head = "<meta property=\"og:site_name\" content=\"LinkNaija\"><meta name=\"author\" content=\"LinkNaija\">"
        #expect(try clean(page(head: head)).authors == [])
    }

    @Test(arguments: [
        ("<meta property=\"article:published_time\" content=\"2025-02-24T09:30:00+08:00\">", "", "2025-02-24T09:30:00+08:00"),
        ("", "<time itemprop=\"datePublished\" datetime=\"2025-02-24\">Monday</time>", "2025-02-24"),
        ("", "<time datetime=\"2025-02-24T09:30\">9:30</time>", "2025-02-24T09:30"),
        ("", "<div class=\"date\">Published November 18, 2019</div>", "2019-11-18"),
        ("", "<span class=\"byline\">By Jane Doe, 18 Nov 2019</span>", "2019-11-18"),
        ("", "<span class=\"timestamp\">2019/11/18 10:00</span>", "2019-11-18"),
        ("<meta name=\"date\" content=\"0001-01-01T00:00:00Z\">", "", nil),
        ("", "<div class=\"date\">Updated yesterday</div>", nil),
    ] as [(String, String, String?)])
    func publishedFromMetaTimeAndByline(head: String, byline: String, expected: String?) throws {
        #expect(try clean(page(head: head, body: byline + story)).published == expected)
    }

    @Test func modifiedFromMeta() throws {
        let article = try clean(page(head: "<meta property=\"article:modified_time\" content=\"2025-02-25T08:00:00Z\">"))
        #expect(article.modified == "2025-02-25T08:00:00Z")
        #expect(article.published == nil)
    }

    @Test(arguments: [
        ("<meta property=\"og:site_name\" content=\"Example News\">", "Example News"),
        ("<meta name=\"application-name\" content=\"Example\">", "Example"),
        ("", nil),
    ] as [(String, String?)])
    func siteName(head: String, expected: String?) throws {
        #expect(try clean(page(head: head)).siteName == expected)
    }

    @Test(arguments: [
        ("<html lang=\"pt-BR\">", "pt"),
        ("<html><meta http-equiv=\"content-language\" content=\"de\">", "de"),
        ("<html><meta property=\"og:locale\" content=\"fr_FR\">", "fr"),
        ("<html lang=\"x\">", nil),
    ] as [(String, String?)])
    func declaredLanguage(open: String, expected: String?) throws {
        #expect(try clean(open + "<body>\(story)</body></html>").language == expected)
    }
}

import NewsFetch
import Testing

private func robots(_ text: String, agent: String = "newsflow") -> RobotsRules {
    RobotsRules(parsing: text, userAgent: agent)
}

/// Whether a lone `Disallow: pattern` for everyone blocks `path`, i.e. whether the pattern matches it.
private func patternMatches(_ pattern: String, _ path: String) -> Bool {
    !robots("User-agent: *\nDisallow: \(pattern)\n").allows(path: path)
}

/// Google's robots.txt spec, "URL matching based on path values": pattern, path, whether it matches.
private let googleMatchingExamples: [(String, String, Bool)] = [
    ("/", "/", true),
    ("/", "/anything/below", true),
    ("/*", "/", true),
    ("/*", "/anything/below", true),
    ("/$", "/", true),
    ("/$", "/page.htm", false),

    ("/fish", "/fish", true),
    ("/fish", "/fish.html", true),
    ("/fish", "/fish/salmon.html", true),
    ("/fish", "/fishheads", true),
    ("/fish", "/fishheads/yummy.html", true),
    ("/fish", "/fish.php?id=anything", true),
    ("/fish", "/Fish.asp", false),
    ("/fish", "/catfish", false),
    ("/fish", "/?id=fish", false),
    ("/fish", "/desert/fish", false),

    ("/fish*", "/fish", true),
    ("/fish*", "/fish.html", true),
    ("/fish*", "/fish/salmon.html", true),
    ("/fish*", "/fishheads", true),
    ("/fish*", "/fishheads/yummy.html", true),
    ("/fish*", "/fish.php?id=anything", true),
    ("/fish*", "/Fish.asp", false),
    ("/fish*", "/catfish", false),
    ("/fish*", "/?id=fish", false),
    ("/fish*", "/desert/fish", false),

    ("/fish/", "/fish/", true),
    ("/fish/", "/fish/?id=anything", true),
    ("/fish/", "/fish/salmon.htm", true),
    ("/fish/", "/fish", false),
    ("/fish/", "/fish.html", false),
    ("/fish/", "/animals/fish/", false),
    ("/fish/", "/Fish/Salmon.asp", false),

    ("/*.php", "/index.php", true),
    ("/*.php", "/filename.php", true),
    ("/*.php", "/folder/filename.php", true),
    ("/*.php", "/folder/filename.php?parameters", true),
    ("/*.php", "/folder/any.php.file.html", true),
    ("/*.php", "/filename.php/", true),
    ("/*.php", "/", false),
    ("/*.php", "/windows.PHP", false),

    ("/*.php$", "/filename.php", true),
    ("/*.php$", "/folder/filename.php", true),
    ("/*.php$", "/filename.php?parameters", false),
    ("/*.php$", "/filename.php/", false),
    ("/*.php$", "/filename.php5", false),
    ("/*.php$", "/windows.PHP", false),

    ("/fish*.php", "/fish.php", true),
    ("/fish*.php", "/fishheads/catfish.php?parameters", true),
    ("/fish*.php", "/Fish.PHP", false),
]

/// Percent-encoding, non-ASCII and anchor cases: pattern, path, whether it matches.
private let encodingExamples: [(String, String, Bool)] = [
    // Escapes of unreserved characters are decoded on both sides.
    ("/%7Ejoe", "/~joe", true),
    ("/~joe", "/%7Ejoe", true),
    ("/~joe", "/%7ejoe", true),
    ("/%7ejoe/", "/~joe/index.html", true),
    ("/%41bc", "/Abc", true),
    ("/%41bc", "/abc", false),
    // Escapes of reserved characters stay escaped, with their hex uppercased.
    ("/a%2fb", "/a%2Fb", true),
    ("/a%2Fb", "/a/b", false),
    ("/a/b", "/a%2Fb", false),
    ("/search%3Fq", "/search?q=1", false),
    // Non-ASCII in a pattern is UTF-8 percent-encoded, so it matches the encoded path in either hex case.
    ("/café", "/caf%C3%A9", true),
    ("/café", "/caf%c3%a9/menu", true),
    ("/café", "/café", true),
    ("/café", "/cafe", false),
    ("/ärger*", "/%C3%A4rger", true),
    ("/*ü$", "/m%C3%BC", true),
    ("/*ü$", "/m%C3%BCnchen", false),
    ("/日本", "/%E6%97%A5%E6%9C%AC/news", true),
    // `$` anchors only at the end; elsewhere it is a literal.
    ("/a$", "/a", true),
    ("/a$", "/a/", false),
    ("/a$", "/a?x=1", false),
    ("/a$b", "/a$b/c", true),
    ("/a$b", "/a", false),
    ("/a*$", "/a/anything", true),
    // Several and repeated stars.
    ("/*/b/*/d", "/a/b/c/d/e", true),
    ("/*/b/*/d", "/a/b/c/e", false),
    ("/**x", "/yyx", true),
    ("*.pdf", "/docs/report.pdf", true),
    ("*.pdf", "/docs/report.html", false),
    // A pattern missing its leading slash is taken from the root.
    ("private/", "/private/x", true),
    ("private/", "/public/private/", false),
]

@Suite struct RobotsRulesMatchingTests {
    @Test(arguments: googleMatchingExamples)
    func googleExamples(pattern: String, path: String, matches: Bool) {
        #expect(patternMatches(pattern, path) == matches)
    }

    @Test(arguments: encodingExamples)
    func encodingAndAnchors(pattern: String, path: String, matches: Bool) {
        #expect(patternMatches(pattern, path) == matches)
    }

    @Test func emptyPathMeansRoot() {
        let rules = robots("User-agent: *\nDisallow: /$\n")
        #expect(!rules.allows(path: ""))
        #expect(!rules.allows(path: "/"))
        #expect(rules.allows(path: "/index.html"))
    }

    @Test func queryOnlyPathIsUnderRoot() {
        let rules = robots("User-agent: *\nDisallow: /?\n")
        #expect(!rules.allows(path: "?page=2"))
        #expect(rules.allows(path: "/page"))
    }

    @Test func pathologicalPatternFinishesFast() {
        let rules = robots("User-agent: *\nDisallow: /*a*a*a*a*a*a*a*a*a*a*a*a*b\n")
        let aaa = "/" + String(repeating: "a", count: 20_000)
        #expect(rules.allows(path: aaa))
        #expect(!rules.allows(path: aaa + "b"))
        #expect(!rules.allows(path: aaa + "b/rest"))
        let anchored = robots("User-agent: *\nDisallow: /*a*a*a*a*a*a*a*a*a*a*a*a*b$\n")
        #expect(anchored.allows(path: aaa + "ba"))
        #expect(!anchored.allows(path: aaa + "bab"))
    }

    @Test func manyCallsReuseParsedRules() {
        let rules = robots("User-agent: *\nDisallow: /*.php$\nDisallow: /private/\nAllow: /private/ok\n")
        var allowed = 0
        for index in 0..<5_000 {
            if rules.allows(path: "/section/\(index)/page.html") { allowed += 1 }
            if rules.allows(path: "/section/\(index)/page.php") { allowed += 1 }
        }
        #expect(allowed == 5_000)
    }
}

@Suite struct RobotsRulesPrecedenceTests {
    @Test func longerAllowBeatsShorterDisallow() {
        let rules = robots("User-agent: *\nAllow: /p\nDisallow: /\n")
        #expect(rules.allows(path: "/page"))
        #expect(!rules.allows(path: "/other"))
    }

    @Test func tieGoesToAllow() {
        for text in ["User-agent: *\nAllow: /folder\nDisallow: /folder\n",
                     "User-agent: *\nDisallow: /folder\nAllow: /folder\n"] {
            #expect(robots(text).allows(path: "/folder/page"))
        }
    }

    @Test func longerDisallowWithWildcardBeatsAllow() {
        let rules = robots("User-agent: *\nAllow: /page\nDisallow: /*.html\n")
        #expect(!rules.allows(path: "/page.html"))
        #expect(rules.allows(path: "/page"))
        #expect(rules.allows(path: "/page.php"))
    }

    @Test func anchoredRootAllowWithDisallowAll() {
        let rules = robots("User-agent: *\nAllow: /$\nDisallow: /\n")
        #expect(rules.allows(path: "/"))
        #expect(rules.allows(path: ""))
        #expect(!rules.allows(path: "/page.htm"))
    }

    @Test func orderInTheFileDoesNotMatter() {
        let lines = ["Disallow: /a", "Allow: /a/b", "Disallow: /a/b/c", "Allow: /a/b/c/d"]
        for ordering in [lines, Array(lines.reversed())] {
            let rules = robots("User-agent: *\n" + ordering.joined(separator: "\n"))
            #expect(!rules.allows(path: "/a/x"))
            #expect(rules.allows(path: "/a/b/x"))
            #expect(!rules.allows(path: "/a/b/c/x"))
            #expect(rules.allows(path: "/a/b/c/d/x"))
        }
    }

    @Test func specificityIsCountedInOctetsOfTheEncodedPattern() {
        // "/%7Ea" normalises to "/~a" (3 octets), so the 4-octet disallow wins.
        let decoded = robots("User-agent: *\nAllow: /%7Ea\nDisallow: /~ab\n")
        #expect(!decoded.allows(path: "/~abc"))
        // "/é" is "/%C3%A9" (7 octets) and beats the 5-octet "/%C3*".
        let encoded = robots("User-agent: *\nDisallow: /%C3*\nAllow: /é\n")
        #expect(encoded.allows(path: "/%C3%A9t%C3%A9"))
        #expect(!encoded.allows(path: "/%C3%BC"))
    }

    @Test func emptyDisallowIsNoRule() {
        let rules = robots("User-agent: *\nDisallow:\n")
        #expect(rules.allows(path: "/"))
        #expect(rules.allows(path: "/anything"))
        #expect(rules == .allowAll)
    }

    @Test func emptyAllowIsNoRule() {
        let rules = robots("User-agent: *\nAllow:\nDisallow: /\n")
        #expect(!rules.allows(path: "/anything"))
    }
}

@Suite struct RobotsRulesGroupTests {
    private let twoGroups = """
        User-agent: *
        Disallow: /

        User-agent: newsflow
        Disallow: /private
        """

    @Test func specificGroupBeatsStar() {
        let ours = robots(twoGroups)
        #expect(ours.allows(path: "/public"))
        #expect(!ours.allows(path: "/private/x"))
        let theirs = robots(twoGroups, agent: "otherbot")
        #expect(!theirs.allows(path: "/public"))
    }

    @Test func specificGroupWithoutRulesAllowsEverything() {
        let text = "User-agent: newsflow\nDisallow:\n\nUser-agent: *\nDisallow: /\n"
        #expect(robots(text).allows(path: "/anything"))
        #expect(!robots(text, agent: "otherbot").allows(path: "/anything"))
    }

    @Test func groupsForOurAgentAreMerged() {
        let text = """
            User-agent: newsflow
            Disallow: /a

            User-agent: *
            Disallow: /b

            User-agent: NewsFlow
            Disallow: /c
            Allow: /a/open
            """
        let rules = robots(text)
        #expect(!rules.allows(path: "/a/x"))
        #expect(rules.allows(path: "/b/x"))
        #expect(!rules.allows(path: "/c/x"))
        #expect(rules.allows(path: "/a/open/x"))
    }

    @Test func starGroupsAreMergedWhenNoneIsOurs() {
        let text = "User-agent: *\nDisallow: /a\n\nUser-agent: otherbot\nDisallow: /b\n\nUser-agent: *\nDisallow: /c\n"
        let rules = robots(text)
        #expect(!rules.allows(path: "/a"))
        #expect(rules.allows(path: "/b"))
        #expect(!rules.allows(path: "/c"))
    }

    @Test func noApplicableGroupAllowsEverything() {
        let rules = robots("User-agent: otherbot\nDisallow: /\n")
        #expect(rules.allows(path: "/"))
        #expect(rules == .allowAll)
    }

    @Test func consecutiveUserAgentLinesShareOneGroup() {
        let text = "User-agent: otherbot\nUser-agent: newsflow\nDisallow: /shared\n\nUser-agent: *\nDisallow: /\n"
        let rules = robots(text)
        #expect(!rules.allows(path: "/shared"))
        #expect(rules.allows(path: "/elsewhere"))
    }

    @Test func blankLinesDoNotSplitUserAgentLines() {
        // RFC 9309 groups by line kind, not by blank lines.
        let rules = robots("User-agent: otherbot\n\nUser-agent: newsflow\nDisallow: /x\n")
        #expect(!rules.allows(path: "/x"))
    }

    @Test func userAgentAfterRulesStartsANewGroup() {
        let rules = robots("User-agent: newsflow\nDisallow: /a\nUser-agent: otherbot\nDisallow: /b\n")
        #expect(!rules.allows(path: "/a"))
        #expect(rules.allows(path: "/b"))
    }

    @Test(arguments: [
        ("newsflow", true),
        ("NewsFlow", true),
        ("NEWSFLOW", true),
        ("newsflow/1.0", true),
        ("NewsFlow/2.3 (+https://example.com/bot)", true),
        ("newsflow (compatible)", true),
        ("newsflowbot", false),
        ("news", false),
        ("otherbot/newsflow", false),
        ("", false),
    ])
    func userAgentValues(value: String, applies: Bool) {
        let rules = robots("User-agent: \(value)\nDisallow: /x\n")
        #expect(rules.allows(path: "/x") == !applies)
    }

    @Test func ourTokenMayCarryAVersion() {
        #expect(!robots("User-agent: newsflow\nDisallow: /x\n", agent: "newsflow/1.0").allows(path: "/x"))
    }

    @Test func rulesBeforeAnyUserAgentAreIgnored() {
        let rules = robots("Disallow: /\nUser-agent: *\nDisallow: /x\n")
        #expect(rules.allows(path: "/y"))
        #expect(!rules.allows(path: "/x"))
    }
}

@Suite struct RobotsRulesSyntaxTests {
    @Test func commentsAndOddWhitespace() {
        let text = """
            # A comment line: with a colon
              USER-AGENT :  newsflow   # that's us
            DisAllow:/private#secret
            \tAllow:\t/private/ok\t
            Disallow /nocolon
            Frobnicate: /x
               # indented comment
            disallow   :   /spaced out
            """
        let rules = robots(text)
        #expect(!rules.allows(path: "/private/x"))
        #expect(!rules.allows(path: "/privateer"))
        #expect(rules.allows(path: "/private/ok/x"))
        #expect(rules.allows(path: "/nocolon"))
        #expect(rules.allows(path: "/x"))
        #expect(!rules.allows(path: "/spaced%20out"))
        #expect(rules.allows(path: "/spaced"))
    }

    @Test func crlfLineEnds() {
        let rules = robots("User-agent: *\r\nDisallow: /a\r\nAllow: /a/b\r\n\r\nSitemap: https://example.com/s.xml\r\n")
        #expect(!rules.allows(path: "/a/x"))
        #expect(rules.allows(path: "/a/b"))
        #expect(rules.sitemaps == ["https://example.com/s.xml"])
    }

    @Test func crLineEnds() {
        let rules = robots("User-agent: *\rDisallow: /a$\rAllow: /")
        #expect(!rules.allows(path: "/a"))
        #expect(rules.allows(path: "/ab"))
    }

    @Test func mixedLineEnds() {
        let rules = robots("User-agent: otherbot\nDisallow: /\r\nUser-agent: newsflow\rDisallow: /a\n\rDisallow: /b")
        #expect(!rules.allows(path: "/a"))
        #expect(!rules.allows(path: "/b"))
        #expect(rules.allows(path: "/c"))
    }

    @Test func byteOrderMark() {
        let rules = robots("\u{FEFF}User-agent: *\nDisallow: /a\n")
        #expect(!rules.allows(path: "/a"))
        #expect(rules.allows(path: "/b"))
    }

    @Test func parsesOnlyTheFirst500KiB() {
        let head = "User-agent: *\nDisallow: /early\n"
        let filler = "#" + String(repeating: "x", count: 600 * 1024) + "\n"
        let rules = robots(head + filler + "Disallow: /late\n")
        #expect(!rules.allows(path: "/early"))
        #expect(rules.allows(path: "/late"))
    }

    @Test func lineCutByTheLimitIsDropped() {
        let head = "User-agent: *\n"
        let cut = "Disallow: /"
        // The 500 KiB limit falls right after "Disallow: /", which alone would forbid everything.
        let fillerLength = 500 * 1024 - head.utf8.count - cut.utf8.count
        let filler = "#" + String(repeating: "x", count: fillerLength - 2) + "\n"
        let rules = robots(head + filler + cut + "private-area\n")
        #expect(rules.allows(path: "/public"))
        #expect(rules.allows(path: "/private-area"))
    }

    @Test func lineEndingExactlyAtTheLimitIsKept() {
        let head = "User-agent: *\n"
        let line = "Disallow: /private"
        let fillerLength = 500 * 1024 - head.utf8.count - line.utf8.count
        let filler = "#" + String(repeating: "x", count: fillerLength - 2) + "\n"
        let rules = robots(head + filler + line + "\nDisallow: /later\n")
        #expect(!rules.allows(path: "/private"))
        #expect(rules.allows(path: "/later"))
    }
}

@Suite struct RobotsRulesExtrasTests {
    @Test func crawlDelayOfOurGroup() {
        let rules = robots("User-agent: newsflow\nCrawl-delay: 2.5\nDisallow: /x\n")
        #expect(rules.crawlDelay == 2.5)
    }

    @Test func crawlDelayFieldNameIsCaseInsensitive() {
        #expect(robots("User-agent: *\nCRAWL-DELAY: 10\n").crawlDelay == 10)
    }

    @Test func crawlDelayFromStarGroupOnlyWhenItApplies() {
        let text = "User-agent: *\nCrawl-delay: 5\n\nUser-agent: newsflow\nDisallow: /x\n"
        #expect(robots(text).crawlDelay == nil)
        #expect(robots(text, agent: "otherbot").crawlDelay == 5)
    }

    @Test(arguments: ["soon", "-1", "", "nan", "inf", "2.5s"])
    func invalidCrawlDelayIsNil(value: String) {
        #expect(robots("User-agent: *\nCrawl-delay: \(value)\nDisallow: /x\n").crawlDelay == nil)
    }

    @Test func absentCrawlDelayIsNil() {
        #expect(robots("User-agent: *\nDisallow: /x\n").crawlDelay == nil)
    }

    @Test func mergedGroupsKeepTheLongestCrawlDelay() {
        let text = "User-agent: newsflow\nCrawl-delay: 1\n\nUser-agent: newsflow\nCrawl-delay: 3\nCrawl-delay: oops\n"
        #expect(robots(text).crawlDelay == 3)
    }

    @Test func sitemapsAreCollectedFromEverywhere() {
        let text = """
            Sitemap: https://example.com/first.xml
            User-agent: otherbot
            Disallow: /
            SITEMAP: https://example.com/second.xml # a comment
            User-agent: newsflow
            Disallow: /x
            sitemap:https://example.com/third.xml
            Sitemap:
            """
        let expected = ["https://example.com/first.xml", "https://example.com/second.xml",
                        "https://example.com/third.xml"]
        #expect(robots(text).sitemaps == expected)
        #expect(robots(text, agent: "someone").sitemaps == expected)
    }

    @Test func allowAllAndDisallowAll() {
        #expect(RobotsRules.allowAll.allows(path: "/"))
        #expect(RobotsRules.allowAll.allows(path: "/any/thing?x=1"))
        #expect(!RobotsRules.disallowAll.allows(path: "/"))
        #expect(!RobotsRules.disallowAll.allows(path: ""))
        #expect(!RobotsRules.disallowAll.allows(path: "/any/thing?x=1"))
        #expect(RobotsRules.allowAll.crawlDelay == nil && RobotsRules.allowAll.sitemaps.isEmpty)
        #expect(RobotsRules.disallowAll.crawlDelay == nil && RobotsRules.disallowAll.sitemaps.isEmpty)
    }

    @Test func parsedEquivalentsCompareEqual() {
        #expect(robots("") == .allowAll)
        #expect(robots("User-agent: *\nDisallow: /\n") == .disallowAll)
        #expect(robots("User-agent: *\nDisallow: /\n") != .allowAll)
        #expect(robots("User-agent: *\nDisallow: /a\n") == robots("user-agent:*\r\ndisallow:/a"))
    }

    @Test func robotsTxtIsAlwaysAllowed() {
        #expect(RobotsRules.disallowAll.allows(path: "/robots.txt"))
        let rules = robots("User-agent: *\nDisallow: /robots.txt\nDisallow: /\n")
        #expect(rules.allows(path: "/robots.txt"))
        #expect(rules.allows(path: "/robots.txt?refresh=1"))
        #expect(!rules.allows(path: "/robots.txt.bak"))
        #expect(!rules.allows(path: "/sub/robots.txt"))
    }
}

import Foundation
import NewsTestSupport
import Testing

/// fixtures/fetch/server.py on 127.0.0.1, serving a copy of fixtures/fetch/site (tests rewrite files in it).
final class FixtureServer {
    let process = Process()
    let site: String
    let base: String

    init(hosts: Int = 1) throws {
        let root = try makeTemporaryFolder("fetch-site")
        site = root + "/site"
        // The article pages are links into fixtures/html/pages: copied with the links followed.
        let copy = try runProcess("/bin/cp", ["-RL", repoPath("fixtures/fetch/site"), site])
        try #require(copy.status == 0, "\(copy.stderr)")
        let portFile = root + "/port"
        let python = downstreamPython()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = (python == "/usr/bin/env" ? ["python3"] : [])
            + [repoPath("fixtures/fetch/server.py"), "--root", site, "--hosts", "\(hosts)", "--port-file", portFile, "--quiet"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date(timeIntervalSinceNow: 20)
        while !FileManager.default.fileExists(atPath: portFile), process.isRunning, Date() < deadline { usleep(20_000) }
        let port = try #require(try? String(contentsOfFile: portFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))
        base = "http://127.0.0.1:\(port)"
    }

    deinit {
        process.terminate()
        process.waitUntilExit()
    }

    /// The server's counters: requests per path, the most in flight per host, and the request log.
    func stats() throws -> [String: Any] {
        // Foundation on Linux has no http: loader without FoundationNetworking; the server's Python has one.
        let python = downstreamPython()
        let read = "import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1]).read().decode())"
        let result = try runProcess(python, (python == "/usr/bin/env" ? ["python3"] : []) + ["-c", read, base + "/_stats"])
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    func requests(to path: String) throws -> Int {
        (try stats()["requests"] as? [String: Any])?[path] as? Int ?? 0
    }

    /// Times (seconds since 1970) of the requests to `path`.
    func requestTimes(_ path: String) throws -> [Double] {
        let log = try stats()["log"] as? [[Any]] ?? []
        return log.filter { $0.count > 3 && $0[3] as? String == path }.compactMap { $0[0] as? Double }
    }
}

/// One `newsflow fetch` run into a fresh output file, and what it wrote.
struct FetchResult {
    let process: ProcessResult
    let records: [[String: Any]]
    let errors: [[String: Any]]

    func error(for url: String) -> [String: Any]? {
        errors.first { ($0["source"] as? [String: Any])?["url"] as? String == url }
    }

    func record(for url: String) -> [String: Any]? {
        records.first { ($0["source"] as? [String: Any])?["url"] as? String == url }
    }
}

func fetch(_ arguments: [String], allowPrivate: Bool = true, state: String? = nil) throws -> FetchResult {
    let folder = try makeTemporaryFolder("fetch-out")
    var all = ["fetch", "-o", folder + "/out.jsonl", "--delay", "0", "--workers", "2"] + arguments
    if allowPrivate { all.append("--allow-private") }
    if let state { all += ["--state", state] }
    let result = try runProcess(newsflowBinary(), all, timeLimit: .seconds(120))
    func lines(_ path: String) throws -> [[String: Any]] {
        FileManager.default.fileExists(atPath: path) ? try jsonLines(path) : []
    }
    return FetchResult(process: result, records: try lines(folder + "/out.jsonl"), errors: try lines(folder + "/errors.jsonl"))
}

private func source(_ record: [String: Any]?) -> [String: Any] {
    record?["source"] as? [String: Any] ?? [:]
}

@Suite(.serialized) struct FetchEndToEndTests {
    @Test func fetchedPageGivesTheRecordOfTheSameFile() throws {
        let server = try FixtureServer()
        let url = server.base + "/articles/sondland.html"
        let fetched = try fetch([url])
        #expect(fetched.process.status == 0, "\(fetched.process.stderr)")
        let record = try #require(fetched.record(for: url))
        let folder = try makeTemporaryFolder("fetch-file")
        let batch = try runProcess(newsflowBinary(), ["batch", repoPath("fixtures/html/pages/ap-sondland-hearing.html"), "-o", folder + "/out.jsonl", "--quiet"])
        #expect(batch.status == 0)
        let fromFile = try #require(try jsonLines(folder + "/out.jsonl").first)
        func withoutSource(_ record: [String: Any]) throws -> Data {
            var copy = record
            copy["source"] = nil
            return try JSONSerialization.data(withJSONObject: copy, options: [.sortedKeys])
        }
        #expect(try withoutSource(record) == (try withoutSource(fromFile)))
        let from = source(record)
        #expect(from["http_status"] as? Int == 200)
        #expect(from["content_type"] as? String == "text/html")
        #expect((from["fetched"] as? String)?.hasPrefix("20") == true)
        #expect(from["final_url"] == nil)
    }

    @Test func contentEncodingsAndHeaderCharset() throws {
        let server = try FixtureServer()
        let plain = server.base + "/articles/berlin.html"
        let encoded = ["gzip", "deflate", "br"].map { server.base + "/enc/\($0)/articles/berlin.html" }
        let latin1 = server.base + "/articles/latin1.html"
        let result = try fetch([plain, latin1] + encoded)
        #expect(result.errors.isEmpty, "\(result.errors)")
        let text = try #require(result.record(for: plain)?["text"] as? String)
        for url in encoded { #expect(result.record(for: url)?["text"] as? String == text, "\(url)") }
        // The header says windows-1252 and the page says nothing: é must come out as é.
        let latin1Text = try #require(result.record(for: latin1)?["text"] as? String)
        #expect(latin1Text.contains("Société Générale"))
    }

    @Test func feedsGiveOnlyNewEntriesOnTheNextPoll() throws {
        let server = try FixtureServer()
        let state = try makeTemporaryFolder("fetch-state")
        let feeds = ["--feed", server.base + "/feeds/rss.xml", "--feed", server.base + "/feeds/atom.xml"]
        let first = try fetch(feeds, state: state)
        #expect(first.process.status == 0, "\(first.process.stderr)")
        // rss: sondland, berlin, rocket; atom: titan, berlin again (fetched once).
        let urls = first.records.compactMap { source($0)["url"] as? String }
        #expect(urls == ["sondland", "berlin", "rocket", "titan"].map { server.base + "/articles/\($0).html" })
        #expect(first.errors.isEmpty, "\(first.errors)")
        let feed = try #require(source(first.records[0])["feed"] as? [String: Any])
        #expect(feed["url"] as? String == server.base + "/feeds/rss.xml")
        #expect((feed["title"] as? String)?.isEmpty == false)
        #expect((feed["published"] as? String)?.hasPrefix("20") == true)
        #expect(feed["summary"] is String)

        let second = try fetch(feeds, state: state)
        #expect(second.records.isEmpty && second.errors.isEmpty)
        #expect(try server.requests(to: "/articles/sondland.html") == 1)

        // A new entry appears in the RSS feed: the third poll fetches it and nothing else.
        let rssPath = server.site + "/feeds/rss.xml"
        let rss = try String(contentsOfFile: rssPath, encoding: .utf8)
        let newItem = "<item><title>New</title><link>{{BASE}}/articles/latin1.html</link></item>"
        try rss.replacingOccurrences(of: "<item>", with: newItem + "<item>", options: [], range: rss.range(of: "<item>"))
            .write(toFile: rssPath, atomically: true, encoding: .utf8)
        let third = try fetch(feeds, state: state)
        #expect(third.records.compactMap { source($0)["url"] as? String } == [server.base + "/articles/latin1.html"])
    }

    @Test func unchangedPagesAreNotDownloadedAgain() throws {
        let server = try FixtureServer()
        let state = try makeTemporaryFolder("fetch-state")
        let url = server.base + "/articles/rocket.html"
        #expect(try fetch([url], state: state).records.count == 1)
        let second = try fetch([url], state: state)
        #expect(second.records.isEmpty && second.errors.isEmpty)
        #expect(second.process.stderr.contains("(1 unchanged)"), "\(second.process.stderr)")
        let log = try server.stats()["log"] as? [[Any]] ?? []
        #expect(log.compactMap { $0.count > 4 ? $0[4] as? Int : nil }.contains(304))
    }

    @Test func robotsDisallowIsHonoured() throws {
        let server = try FixtureServer()
        let urls = ["/private/secret.html", "/private/open.html", "/members-only.html"].map { server.base + $0 }
        let result = try fetch(urls)
        #expect(result.error(for: urls[0])?["code"] as? String == "robots_disallowed")
        #expect(result.error(for: urls[2])?["code"] as? String == "robots_disallowed")
        #expect(result.record(for: urls[1]) != nil, "Allow: /private/open.html wins over Disallow: /private/")
        #expect(try server.requests(to: "/private/secret.html") == 0)
        #expect(try server.requests(to: "/robots.txt") == 1)
    }

    @Test func sitemapIndexGzipAndNewsSitemap() throws {
        let server = try FixtureServer()
        let result = try fetch(["--sitemap", server.base + "/sitemaps/index.xml"])
        let urls = Set(result.records.compactMap { source($0)["url"] as? String })
        #expect(urls == Set(["rocket", "titan"].map { server.base + "/articles/\($0).html" }))
        // The news sitemap also lists /private/secret.html, which robots.txt disallows.
        #expect(result.error(for: server.base + "/private/secret.html")?["code"] as? String == "robots_disallowed")
    }

    @Test func redirectsAreFollowedAndLoopsStopped() throws {
        let server = try FixtureServer()
        let chain = server.base + "/redirect/3/articles/rocket.html"
        let loop = server.base + "/loop/a"
        let long = server.base + "/redirect/8/articles/rocket.html"
        // /redirect/N/ takes N + 1 hops: 4 is within the default of 5, 5 is one too many.
        let atLimit = server.base + "/redirect/4/articles/rocket.html?limit"
        let overLimit = server.base + "/redirect/5/articles/rocket.html?over"
        let result = try fetch([chain, loop, long, atLimit, overLimit])
        #expect(result.record(for: atLimit) != nil)
        #expect(result.error(for: overLimit)?["code"] as? String == "redirect_failed")
        #expect(source(result.record(for: chain))["final_url"] as? String == server.base + "/articles/rocket.html")
        let loopError = try #require(result.error(for: loop))
        #expect(loopError["code"] as? String == "redirect_failed")
        #expect((loopError["message"] as? String)?.contains("loop") == true)
        #expect(result.error(for: long)?["code"] as? String == "redirect_failed")
    }

    @Test func errorStatusesBecomeErrorRecords() throws {
        let server = try FixtureServer()
        let missing = server.base + "/status/404", broken = server.base + "/status/500"
        let flaky = server.base + "/flaky/k/1/articles/berlin.html"
        let result = try fetch([missing, broken, flaky, server.base + "/articles/rocket.html", "--max-attempts", "2"])
        #expect(result.process.status == 0)
        let notFound = try #require(result.error(for: missing))
        #expect(notFound["code"] as? String == "http_status" && notFound["stage"] as? String == "fetch")
        #expect(source(notFound)["http_status"] as? Int == 404)
        #expect(source(result.error(for: broken))["http_status"] as? Int == 500)
        #expect(try server.requests(to: "/status/404") == 1, "a 404 is not retried")
        #expect(try server.requests(to: "/status/500") == 2, "a 500 is retried up to --max-attempts")
        #expect(result.record(for: flaky) != nil, "a 503 then a 200 gives the page")
        #expect(result.records.count == 2)
    }

    @Test func retryAfterIsWaitedFor() throws {
        let server = try FixtureServer()
        let url = server.base + "/retry-after/k/2/articles/berlin.html"
        let result = try fetch([url])
        #expect(result.record(for: url) != nil, "\(result.errors)")
        let times = try server.requestTimes("/retry-after/k/2/articles/berlin.html")
        #expect(times.count == 2)
        if times.count == 2 { #expect(times[1] - times[0] >= 1.9) }
    }

    @Test func slowServersTimeOut() throws {
        let server = try FixtureServer()
        let silent = server.base + "/slow/10/articles/berlin.html"
        let stalling = server.base + "/slow-body/10/articles/berlin.html"
        let started = Date()
        let result = try fetch([silent, stalling, "--read-timeout", "1", "--timeout", "3", "--max-attempts", "1"])
        #expect(Date().timeIntervalSince(started) < 9)
        #expect(result.error(for: silent)?["code"] as? String == "timeout")
        #expect(result.error(for: stalling)?["code"] as? String == "timeout")
        // The total time counts the body too: a stalling body under a long read timeout still ends.
        let began = Date()
        let total = try fetch([stalling + "?total", "--read-timeout", "30", "--timeout", "2", "--max-attempts", "1"])
        #expect(Date().timeIntervalSince(began) < 8)
        #expect(total.error(for: stalling + "?total")?["message"] as? String == "not complete within 2.0 s")
    }

    @Test func interruptStopsPromptlyAndCommitsWhatWasFetched() throws {
        let server = try FixtureServer(hosts: 2)
        let folder = try makeTemporaryFolder("fetch-interrupt")
        // A quick page on a second host, then twenty slow pages one at a time, which would take 100 s.
        let quick = server.base.replacingOccurrences(of: "127.0.0.1", with: "127.0.0.2") + "/articles/berlin.html"
        let urls = [quick] + (0..<20).map { server.base + "/slow/5/articles/rocket.html?n=\($0)" }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: newsflowBinary())
        process.arguments = ["fetch", "-o", folder + "/out.jsonl", "--allow-private", "--delay", "0", "--per-host", "1"] + urls
        process.currentDirectoryURL = packageRoot
        process.standardError = FileHandle.nullDevice
        try process.run()
        usleep(2_000_000)
        let interrupted = Date()
        process.interrupt()
        let deadline = Date(timeIntervalSinceNow: 15)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        let stillRunning = process.isRunning
        if stillRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        #expect(!stillRunning)
        #expect(Date().timeIntervalSince(interrupted) < 6)
        #expect(process.terminationStatus == 130)
        let records = try jsonLines(folder + "/out.jsonl")
        #expect(records.compactMap { source($0)["url"] as? String }.first == urls[0], "the page fetched before the signal is committed")
    }

    @Test func endlessBodyIsCutAtTheLimit() throws {
        let server = try FixtureServer()
        let url = server.base + "/endless"
        let result = try fetch([url, "--max-body-bytes", "2000000"])
        let error = try #require(result.error(for: url))
        #expect(error["code"] as? String == "too_large")
    }

    @Test func privateAddressesAreRefusedWithoutTheFlag() throws {
        let server = try FixtureServer()
        let url = server.base + "/articles/berlin.html"
        let result = try fetch([url, "file:///etc/passwd", "ftp://example.com/a.html"], allowPrivate: false)
        let refused = try #require(result.error(for: url))
        #expect(refused["code"] as? String == "address_refused")
        #expect((refused["message"] as? String)?.contains("loopback") == true)
        #expect(try server.stats()["total"] as? Int == 0, "nothing was sent to the private address")
        #expect(result.error(for: "file:///etc/passwd")?["code"] as? String == "invalid_url")
        #expect(result.error(for: "ftp://example.com/a.html")?["code"] as? String == "invalid_url")
    }

    @Test func perHostConcurrencyIsBounded() throws {
        let server = try FixtureServer()
        let urls = (0..<8).map { server.base + "/slow/0.3/articles/berlin.html?n=\($0)" }
        let result = try fetch(urls + ["--per-host", "2"])
        #expect(result.records.count == 8)
        let most = try #require(server.stats()["max_in_flight"] as? [String: Int])
        #expect(most["127.0.0.1"] == 2)
        #expect(result.process.stderr.contains("at most 2 requests in flight per host"))
    }

    @Test func invalidFeedIsAnErrorRecordAndTheRunGoesOn() throws {
        let server = try FixtureServer()
        let broken = server.base + "/feeds/broken.xml"
        let result = try fetch(["--feed", broken, "--feed", server.base + "/feeds/atom.xml"])
        #expect(result.error(for: broken)?["code"] as? String == "invalid_feed")
        #expect(result.records.count == 2)
    }

    /// `watch --feeds`: each poll's new pages go through the inbox, so a SIGKILL at any point neither loses
    /// nor repeats a record, and the records are those `fetch` makes of the same pages.
    @Test func daemonPollsFeedsAndSurvivesKill() throws {
        let server = try FixtureServer()
        let folder = try DropFolder("watch-feeds")
        let feeds = folder.root + "/feeds.txt"
        try "\(server.base)/feeds/rss.xml\n# a comment\n\(server.base)/feeds/atom.xml\n".write(toFile: feeds, atomically: true, encoding: .utf8)
        let extra = ["--feeds", feeds, "--poll-interval", "0.5", "--allow-private", "--delay", "0"]
        var daemon = try Daemon(inbox: folder.inbox, output: folder.output, extra: extra)
        #expect(try folder.waitUntil(seconds: 60) { try folder.records().count == 4 }, "\(daemon.log)")
        daemon.signal(SIGKILL)
        _ = daemon.exitStatus(within: 10)

        // A new entry while the daemon is down, then killed again soon after a restart, then left to run.
        let rssPath = server.site + "/feeds/rss.xml"
        let rss = try String(contentsOfFile: rssPath, encoding: .utf8)
        let newItem = "<item><title>New</title><link>{{BASE}}/articles/latin1.html</link></item>"
        try rss.replacingOccurrences(of: "<item>", with: newItem + "<item>", options: [], range: rss.range(of: "<item>"))
            .write(toFile: rssPath, atomically: true, encoding: .utf8)
        daemon = try Daemon(inbox: folder.inbox, output: folder.output, extra: extra)
        usleep(150_000)
        daemon.signal(SIGKILL)
        _ = daemon.exitStatus(within: 10)
        daemon = try Daemon(inbox: folder.inbox, output: folder.output, extra: extra)
        #expect(try folder.waitUntil(seconds: 60) { try folder.records().count >= 5 }, "\(daemon.log)")
        usleep(1_500_000)  // a few more polls: nothing new may appear
        daemon.signal(SIGTERM)
        #expect(daemon.exitStatus(within: 30) == 0)

        let records = try folder.records()
        let urls = records.compactMap { source($0)["url"] as? String }
        #expect(urls.count == 5 && Set(urls).count == 5, "\(urls)")
        #expect(Set(urls) == Set(["sondland", "berlin", "rocket", "titan", "latin1"].map { server.base + "/articles/\($0).html" }))
        #expect(try folder.errorRecords().isEmpty)
        #expect(folder.names(in: "failed").isEmpty)

        // The same page through `fetch`: the same record but for when it was fetched.
        let latin1 = server.base + "/articles/latin1.html"
        let fetched = try #require(try fetch(["--feed", server.base + "/feeds/rss.xml"]).record(for: latin1))
        let polled = try #require(records.first { source($0)["url"] as? String == latin1 })
        func normalised(_ record: [String: Any]) throws -> Data {
            var copy = record
            var from = source(record)
            from["fetched"] = nil
            copy["source"] = from
            return try JSONSerialization.data(withJSONObject: copy, options: [.sortedKeys])
        }
        #expect(try normalised(polled) == (try normalised(fetched)))
    }
}

import ArgumentParser
import Foundation
import NewsEmit
import NewsFetch
import NewsIngest
import NewsRuntime
import Newsflow

struct Fetch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fetch articles by URL, or the new entries of RSS/Atom feeds and sitemaps, into JSON Lines records.",
        discussion: """
            Pages become the same records as files, with source.url, source.fetched, source.http_status, \
            source.content_type, source.final_url after redirects, and source.feed for a feed entry (the feed's \
            URL, the entry's id, title, date and summary). Feeds and sitemaps (RSS 2.0, RSS 1.0, Atom 1.0, \
            sitemap and news sitemap, sitemap indexes, .xml.gz) are read first; records follow in request order: \
            URLs as given, then feed entries in feed order.

            Politely: robots.txt is obeyed (and kept a day in --state); at most --per-host requests at once and \
            --delay seconds between starts on one host; 429, 5xx and network errors are retried with backoff and \
            jitter (Retry-After honoured up to --max-wait); pages are fetched with conditional GET. Safely: http \
            and https only; hosts on loopback, private or link-local addresses are refused unless --allow-private; \
            bodies are cut at --max-body-bytes as they stream, after decoding gzip, deflate or br.

            With --state DIR, feed entries fetched once are not fetched again and unchanged pages are not \
            downloaded again; the state is saved after the output is committed. A URL that fails becomes a line of \
            errors.jsonl with its URL, status and reason, and the run goes on.
            """
    )

    @Argument(help: ArgumentHelp("Article URLs.", valueName: "url"))
    var urls: [String] = []

    @Option(name: .customLong("urls"), help: ArgumentHelp("A file of article URLs, one per line (# comments).", valueName: "file"))
    var urlFiles: [String] = []

    @Option(name: .customLong("feed"), help: ArgumentHelp("An RSS or Atom feed URL (repeatable).", valueName: "url"))
    var feeds: [String] = []

    @Option(name: .customLong("sitemap"), help: ArgumentHelp("A sitemap, news sitemap or sitemap index URL (repeatable).", valueName: "url"))
    var sitemaps: [String] = []

    @Option(name: .long, help: ArgumentHelp("Folder for the seen entries, the validators and robots.txt files between runs.", valueName: "dir"))
    var state: String?

    @Option(
        name: [.short, .customLong("output")],
        help: ArgumentHelp("Where records go: - for stdout, a folder (existing, or ending in /) for part files, else a file.", valueName: "path"))
    var output: String = "-"

    @Option(name: .long, help: "Tries per request on 429, 5xx and network errors.")
    var maxAttempts = 3

    @Option(name: .long, help: ArgumentHelp("Pages fetched at once over all hosts.", valueName: "count"))
    var concurrency = 64

    @OptionGroup var fetchArguments: FetchArguments

    @Option(name: .long, help: "Worker threads (default: the number of cores).")
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(name: [.short, .long], help: "No summary.")
    var quiet = false

    @OptionGroup var pipelineOptions: PipelineOptions

    func validate() throws {
        guard !(urls.isEmpty && urlFiles.isEmpty && feeds.isEmpty && sitemaps.isEmpty) else {
            throw ValidationError("nothing to fetch: give URLs, --urls FILE, --feed URL or --sitemap URL")
        }
        for (name, value) in [("--concurrency", concurrency), ("--max-attempts", maxAttempts), ("--workers", workers)] where value < 1 {
            throw ValidationError("\(name) must be at least 1")
        }
    }

    func run() throws {
        let pipeline = try pipelineOptions.load()
        var options = fetchArguments.options(maxBodyBytes: pipeline.ingestLimits.maxArticleBytes)
        options.maxAttempts = maxAttempts
        let fetchState: FetchState
        let output: RecordOutput
        do {
            fetchState = try FetchState(folder: state)
            output = try RecordOutput(target: OutputTarget(argument: self.output), rotateAfterItems: pipeline.definition.emit.rotateRecords)
        } catch {
            report("error: \(error)")
            throw ExitCode(73)  // EX_CANTCREAT
        }
        let request = FetchRequest(urls: urls + (try urlFiles.flatMap { try readURLList($0, option: "--urls") }), feeds: feeds + sitemaps)
        let run = FetchRun(
            pipeline: pipeline, fetcher: Fetcher(options: options, state: fetchState), request: request, workers: workers,
            window: concurrency)
        let stop = StopSignal()
        let trap = SignalTrap(stop: stop) { _ in run.cancel() }
        let (summary, counts, stateFailure) = run.run(output: output, stop: stop)
        withExtendedLifetime(trap) {}
        if !quiet { report(summary.line + "; " + counts.line) }
        if let failure = summary.outputFailure {
            report("error: output failed: \(failure)")
            throw ExitCode(74)  // EX_IOERR
        }
        if let stateFailure {
            report("error: the state was not saved (the next run fetches these entries again): \(stateFailure)")
            throw ExitCode(74)
        }
        if summary.interrupted { throw ExitCode(130) }
    }

    private func report(_ message: String) {
        FileHandle.standardError.write(Data("newsflow: \(message)\n".utf8))
    }
}

/// The URLs in a file, one per line; blank lines and `#` comments skipped.
func readURLList(_ path: String, option: String) throws -> [String] {
    guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read \(option) \(path)") }
    return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
        .map { $0.trimmingCharacters(in: .whitespaces) }
        .filter { !$0.isEmpty && !$0.hasPrefix("#") }
}

/// How to fetch, for `fetch` and for `watch --feeds`.
struct FetchArguments: ParsableArguments {
    @Flag(name: .long, help: "Fetch hosts on loopback, private and link-local addresses.")
    var allowPrivate = false

    @Option(name: .long, help: "User-Agent header; its first word is the robots.txt product token.")
    var userAgent: String?

    @Option(name: .long, help: "Requests in flight at once per host.")
    var perHost = 2

    @Option(name: .long, help: ArgumentHelp("Seconds between request starts on one host.", valueName: "seconds"))
    var delay = 1.0

    @Option(name: .long, help: ArgumentHelp("Seconds to connect.", valueName: "seconds"))
    var connectTimeout = 10.0

    @Option(name: .long, help: ArgumentHelp("Seconds a response may stay silent.", valueName: "seconds"))
    var readTimeout = 20.0

    @Option(name: .long, help: ArgumentHelp("Seconds one request may take in all.", valueName: "seconds"))
    var timeout = 60.0

    @Option(name: .long, help: ArgumentHelp("Largest body after decoding (default: read.max_bytes).", valueName: "bytes"))
    var maxBodyBytes: Int?

    @Option(name: .long, help: "Redirects followed per URL.")
    var maxRedirects = 5

    @Option(name: .long, help: ArgumentHelp("Longest Retry-After or Crawl-delay waited for.", valueName: "seconds"))
    var maxWait = 120.0

    func validate() throws {
        guard perHost >= 1 else { throw ValidationError("--per-host must be at least 1") }
        for (name, value) in [("--delay", delay), ("--max-wait", maxWait)] where value < 0 {
            throw ValidationError("\(name) must not be negative")
        }
        for (name, value) in [("--connect-timeout", connectTimeout), ("--read-timeout", readTimeout), ("--timeout", timeout)] where value <= 0 {
            throw ValidationError("\(name) must be positive")
        }
    }

    /// The options, with `maxBodyBytes` unless --max-body-bytes says otherwise.
    func options(maxBodyBytes defaultMaxBody: Int) -> FetchOptions {
        var options = FetchOptions()
        if let userAgent { options.userAgent = userAgent }
        options.allowPrivate = allowPrivate
        options.perHostConcurrency = perHost
        options.perHostDelay = delay
        options.connectTimeout = connectTimeout
        options.readTimeout = readTimeout
        options.totalTimeout = timeout
        options.maxBodyBytes = maxBodyBytes ?? defaultMaxBody
        options.maxRedirects = maxRedirects
        options.maxWait = maxWait
        return options
    }
}

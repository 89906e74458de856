internal import Foundation
public import NewsCore
public import NewsEmit
public import NewsFetch
public import NewsIngest
public import NewsRuntime
internal import Synchronization

/// What to fetch: pages by URL, and the entries of feeds and sitemaps.
public struct FetchRequest: Sendable {
    public var urls: [String]
    public var feeds: [String]

    public init(urls: [String] = [], feeds: [String] = []) {
        self.urls = urls
        self.feeds = feeds
    }
}

/// What a fetch did besides the records: the counts the summary line adds.
public struct FetchCounts: Sendable {
    /// Pages asked for: the URLs given and the feed entries not seen before.
    public var pages = 0
    /// Pages the server said were unchanged since the last run (304).
    public var unchanged = 0
    /// Feed entries skipped because an earlier run (or another feed in this one) had them.
    public var alreadySeen = 0
    /// Most requests in flight at once on any one host.
    public var mostInFlightPerHost = 0

    public var line: String {
        "fetched \(pages) page\(pages == 1 ? "" : "s") (\(unchanged) unchanged), \(alreadySeen) feed entr\(alreadySeen == 1 ? "y" : "ies") already seen, at most \(mostInFlightPerHost) request\(mostInFlightPerHost == 1 ? "" : "s") in flight per host"
    }
}

/// A fetch run: feeds and sitemaps read first (their new entries become pages to fetch), then every page
/// fetched politely and run through the pipeline's stages like a file, records in request order. The state
/// (seen entries, validators, robots.txt) is saved only after the output is committed.
public final class FetchRun: Sendable {
    public let pipeline: Pipeline
    public let fetcher: Fetcher
    public let request: FetchRequest
    public let workers: Int
    public let progress = RunProgress(bytesTotal: 0)
    /// Pages fetched at once (over all hosts); it also bounds the fetched pages waiting for the pipeline.
    public let window: Int

    public init(pipeline: Pipeline, fetcher: Fetcher, request: FetchRequest, workers: Int, window: Int = 64) {
        self.pipeline = pipeline
        self.fetcher = fetcher
        self.request = request
        self.workers = workers
        self.window = max(1, window)
    }

    /// Runs to the end (or until `stop`) and returns the summaries. Fails only when the state cannot be saved.
    public func run(output: RecordOutput, stop: StopSignal) -> (RunSummary, FetchCounts, stateFailure: FetchStateError?) {
        let queue = OrderedHandoff(capacity: window)
        let planner = Task { [self] in await fetchAll(into: queue) }
        var summary = pipeline.run(workers: workers, output: output, stop: stop, progress: progress) { emit in
            var index = 0
            while let item = queue.take(index) {
                index += 1
                if let item, !emit(item) { break }
            }
            queue.close()
        }
        let counts = blockingWait { await planner.value }
        summary.interrupted = summary.interrupted || stop.isStopRequested
        var stateFailure: FetchStateError?
        if summary.outputFailure == nil && !summary.interrupted {
            do throws(FetchStateError) {
                try fetcher.state.save()
            } catch {
                stateFailure = error
            }
        }
        blockingWait { await self.fetcher.shutdown() }
        return (summary, counts, stateFailure)
    }

    /// One page to fetch, and the feed entry that named it.
    private struct PageJob: Sendable {
        var url: String
        var entry: FeedEntryRef?
        /// Keys that mark the entry seen once its outcome is final.
        var seenKeys: [String]
        var feedURL: String?
    }

    /// The async side: feeds, then pages, each result handed over in order. Returns the counts.
    private func fetchAll(into queue: OrderedHandoff) async -> FetchCounts {
        var counts = FetchCounts()
        var index = 0
        var jobs = request.urls.map { PageJob(url: $0, seenKeys: []) }
        var planned = Set(request.urls)
        // Feeds are read concurrently, their results used in the order given.
        let readings = await withTaskGroup(of: (Int, FeedReading).self) { group in
            for (position, feed) in request.feeds.enumerated() {
                group.addTask { [fetcher] in (position, await fetcher.readFeed(feed)) }
            }
            var readings = [FeedReading?](repeating: nil, count: request.feeds.count)
            for await (position, reading) in group { readings[position] = reading }
            return readings.compactMap { $0 }
        }
        for reading in readings {
            for failure in reading.failures {
                guard await queue.put(index, .failed(source(failure), error(failure))) else { return counts }
                index += 1
            }
            for item in reading.items {
                let keys = [item.url] + (item.id.map { [reading.feedURL + "#" + $0] } ?? [])
                if keys.contains(where: fetcher.state.isSeen) || planned.contains(item.url) {
                    counts.alreadySeen += 1
                    continue
                }
                planned.insert(item.url)
                let entry = FeedEntryRef(url: reading.feedURL, id: item.id, title: item.title, published: item.published, summary: item.summary)
                jobs.append(PageJob(url: item.url, entry: entry, seenKeys: keys, feedURL: reading.feedURL))
            }
        }
        counts.pages = jobs.count
        // Each page task says how its fetch ended, for the counts and for what to fetch again next time.
        enum Ending: Sendable { case unchanged, transient(feed: String?), final }
        var endings: [Ending] = []
        await withTaskGroup(of: Ending.self) { group in
            var running = 0
            for job in jobs {
                let position = index
                index += 1
                guard await queue.reserve() else { break }
                // A finished child task is kept until its result is read: read them as they come.
                if running >= window, let ending = await group.next() {
                    endings.append(ending)
                    running -= 1
                }
                running += 1
                group.addTask { [self] in
                    let outcome = await fetcher.fetch(job.url)
                    queue.deliver(position, item(for: outcome, job: job))
                    switch outcome {
                    case .unchanged: return .unchanged
                    case .failed(let failure) where failure.isTransient: return .transient(feed: job.feedURL)
                    default:
                        fetcher.state.markSeen(job.seenKeys)
                        return .final
                    }
                }
            }
            for await ending in group { endings.append(ending) }
        }
        for ending in endings {
            switch ending {
            case .unchanged: counts.unchanged += 1
            // The entry is not marked seen, and its feed is read in full next time (no conditional GET).
            case .transient(let feed?): fetcher.state.forgetValidators(for: feed)
            default: break
            }
        }
        queue.finish(count: index)
        counts.mostInFlightPerHost = await fetcher.observedConcurrency().values.max() ?? 0
        return counts
    }

    /// A fetched page as the pipeline's input, like a file read from disk but with its URL, status and
    /// feed entry as the source; nil for an unchanged page.
    private func item(for outcome: FetchOutcome, job: PageJob) -> IngestedItem? {
        switch outcome {
        case .unchanged:
            return nil
        case .failed(let failure):
            return .failed(source(failure, entry: job.entry), error(failure))
        case .fetched(let page):
            let source = SourceRef(
                url: job.url, fetched: page.fetchedAt, finalURL: page.finalURL == job.url ? nil : page.finalURL,
                httpStatus: page.status, contentType: page.mediaType, feed: job.entry)
            let format: ContentFormat?
            switch page.mediaType {
            case "text/html", "application/xhtml+xml": format = .html
            case "text/plain": format = .text
            case nil: format = nil
            default:
                return .failed(source, StageError(
                    stage: "fetch", code: .unsupportedContent,
                    message: "\(page.mediaType ?? "") is not HTML or text"))
            }
            let supplied = job.entry.map { SuppliedMetadata(title: $0.title, published: $0.published, overridesPage: false) }
            return .article(RawArticle(source: source, bytes: page.body, formatHint: format, declaredCharset: page.charset, supplied: supplied))
        }
    }

    private func source(_ failure: FetchFailure, entry: FeedEntryRef? = nil) -> SourceRef {
        SourceRef(url: failure.url, httpStatus: failure.status, feed: entry)
    }

    private func error(_ failure: FetchFailure) -> StageError {
        StageError(stage: "fetch", code: failure.code, message: failure.reason)
    }
}

/// Hands results from the async fetches to the pipeline's reader thread in index order, holding at most
/// `capacity` results that are reserved and not yet taken.
final class OrderedHandoff: Sendable {
    private struct State {
        var results: [Int: IngestedItem?] = [:]
        var count: Int?
        var closed = false
        var free: Int
        var waiters: [CheckedContinuation<Bool, Never>] = []
    }

    private let state: Mutex<State>
    private let ready = NSCondition()

    init(capacity: Int) {
        state = Mutex(State(free: capacity))
    }

    /// Waits for room for one more result; false once the reader has stopped.
    func reserve() async -> Bool {
        await withCheckedContinuation { continuation in
            let answer: Bool? = state.withLock { state in
                if state.closed { return false }
                if state.free > 0 {
                    state.free -= 1
                    return true
                }
                state.waiters.append(continuation)
                return nil
            }
            if let answer { continuation.resume(returning: answer) }
        }
    }

    /// `reserve`, then `deliver`.
    func put(_ index: Int, _ item: IngestedItem?) async -> Bool {
        guard await reserve() else { return false }
        deliver(index, item)
        return true
    }

    func deliver(_ index: Int, _ item: IngestedItem?) {
        ready.lock()
        state.withLock { $0.results[index] = .some(item) }
        ready.broadcast()
        ready.unlock()
    }

    /// No result has an index at or past `count`.
    func finish(count: Int) {
        ready.lock()
        state.withLock { $0.count = count }
        ready.broadcast()
        ready.unlock()
    }

    /// The result at `index` (an inner nil: nothing to process there), waiting for it; nil after the last.
    func take(_ index: Int) -> IngestedItem?? {
        ready.lock()
        defer { ready.unlock() }
        while true {
            let found: IngestedItem?? = state.withLock { state in
                if let result = state.results.removeValue(forKey: index) { return .some(result) }
                return nil
            }
            if let found {
                release()
                return .some(found)
            }
            if let count = state.withLock({ $0.count }), index >= count { return nil }
            ready.wait()
        }
    }

    /// The reader stopped: waiting fetches are told, and no more are started.
    func close() {
        let waiters = state.withLock { state in
            state.closed = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: false) }
    }

    private func release() {
        let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            if !state.waiters.isEmpty { return state.waiters.removeFirst() }
            state.free += 1
            return nil
        }
        waiter?.resume(returning: true)
    }
}

/// Runs `work` on the cooperative pool and blocks the calling thread (never a pool thread) until it ends.
func blockingWait<Value: Sendable>(_ work: @escaping @Sendable () async -> Value) -> Value {
    let done = DispatchSemaphore(value: 0)
    let result = Mutex<Value?>(nil)
    Task {
        let value = await work()
        result.withLock { $0 = value }
        done.signal()
    }
    done.wait()
    return result.withLock { $0! }
}

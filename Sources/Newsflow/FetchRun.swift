internal import Foundation
internal import NewsCore
public import NewsEmit
public import NewsFetch
internal import NewsIngest
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
    private let unchangedPages = Atomic<Int>(0)
    private let queue: OrderedHandoff
    private let planner = Mutex<Task<FetchCounts, Never>?>(nil)

    public init(pipeline: Pipeline, fetcher: Fetcher, request: FetchRequest, workers: Int, window: Int = 64) {
        self.pipeline = pipeline
        self.fetcher = fetcher
        self.request = request
        self.workers = workers
        self.window = max(1, window)
        queue = OrderedHandoff(capacity: self.window)
    }

    /// Stops at once (SIGINT): fetches in flight are cancelled, the pages already handed to the pipeline
    /// are finished and committed.
    public func cancel() {
        queue.close()
        planner.withLock { $0?.cancel() }
    }

    /// Runs to the end (or until `stop` and `cancel()`) and returns the summaries; `stateFailure` says the
    /// state could not be saved. An interrupted run saves no state: its entries are fetched again next time.
    public func run(output: RecordOutput, stop: StopSignal) -> (RunSummary, FetchCounts, stateFailure: FetchStateError?) {
        let planner = Task { [self] in await fetchAll() }
        self.planner.withLock { $0 = planner }
        var summary = pipeline.run(workers: workers, output: output, stop: stop, progress: progress) { [queue] emit in
            var index = 0
            while let slot = queue.take(index) {
                index += 1
                if case .item(let item) = slot, !emit(item) { break }
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

    /// The async side: feeds, then pages, each result handed over in order. Returns the counts.
    private func fetchAll() async -> FetchCounts {
        var counts = FetchCounts()
        let plan = await FetchPlan.make(urls: request.urls, feeds: request.feeds, fetcher: fetcher)
        counts.alreadySeen = plan.alreadySeen
        counts.pages = plan.jobs.count
        var index = 0
        for failure in plan.failures {
            guard await queue.put(index, .item(.failed(source(failure), error(failure)))) else { return counts }
            index += 1
        }
        await withDiscardingTaskGroup { group in
            for job in plan.jobs {
                let position = index
                index += 1
                // The reservation bounds the fetches in flight and the pages waiting for the pipeline.
                guard await queue.reserve() else { break }
                group.addTask { [self] in
                    let outcome = await fetcher.fetch(job)
                    if case .unchanged = outcome { unchangedPages.add(1, ordering: .relaxed) }
                    queue.deliver(position, slot(for: outcome, job: job))
                }
            }
        }
        counts.unchanged = unchangedPages.load(ordering: .relaxed)
        queue.finish(count: index)
        counts.mostInFlightPerHost = await fetcher.observedConcurrency().values.max() ?? 0
        return counts
    }

    /// A fetched page as the pipeline's input, like a file read from disk but with its URL, status and
    /// feed entry as the source; nothing for an unchanged page.
    private func slot(for outcome: FetchOutcome, job: PageJob) -> OrderedHandoff.Slot {
        switch outcome {
        case .unchanged:
            return .skip
        case .failed(let failure):
            return .item(.failed(source(failure, entry: job.entry), error(failure)))
        case .fetched(let page):
            let row = FetchedPageRow(page, feed: job.entry)
            do throws(StageError) {
                return .item(.article(try row.article()))
            } catch {
                return .item(.failed(row.source, error))
            }
        }
    }

    private func source(_ failure: FetchFailure, entry: FeedEntryRef? = nil) -> SourceRef {
        SourceRef(url: failure.url, httpStatus: failure.status, feed: entry)
    }

    private func error(_ failure: FetchFailure) -> StageError {
        StageError(stage: "fetch", code: failure.code, message: failure.reason)
    }
}

/// One page to fetch, and the feed entry that named it.
struct PageJob: Sendable {
    var url: String
    var entry: FeedEntryRef?
    /// Keys that mark the entry seen once its outcome is final.
    var seenKeys: [String] = []
    var feedURL: String?
}

/// What to fetch after reading the feeds: the URLs given, then the feed entries not seen before (in feed
/// order, each URL once), and the feeds that failed.
struct FetchPlan: Sendable {
    var failures: [FetchFailure] = []
    var jobs: [PageJob] = []
    /// Entries skipped because an earlier run, or another feed in this one, had them.
    var alreadySeen = 0

    static func make(urls: [String], feeds: [String], fetcher: Fetcher) async -> FetchPlan {
        var plan = FetchPlan()
        var planned = Set<String>()
        for url in urls where planned.insert(url).inserted { plan.jobs.append(PageJob(url: url)) }
        // Feeds are read concurrently, their results used in the order given.
        let readings = await withTaskGroup(of: (Int, FeedReading).self) { group in
            for (position, feed) in feeds.enumerated() {
                group.addTask { (position, await fetcher.readFeed(feed)) }
            }
            var readings = [FeedReading?](repeating: nil, count: feeds.count)
            for await (position, reading) in group { readings[position] = reading }
            return readings.compactMap { $0 }
        }
        for reading in readings {
            plan.failures += reading.failures
            // A child sitemap that failed for now is read again only if its root is fetched in full.
            if reading.failures.contains(where: \.isTransient) { fetcher.state.forgetValidators(for: reading.feedURL) }
            for item in reading.items {
                let keys = [item.url] + (item.id.map { [reading.feedURL + "#" + $0] } ?? [])
                if keys.contains(where: fetcher.state.isSeen) || planned.contains(item.url) {
                    plan.alreadySeen += 1
                    continue
                }
                planned.insert(item.url)
                let entry = FeedEntryRef(url: reading.feedURL, id: item.id, title: item.title, published: item.published, summary: item.summary)
                plan.jobs.append(PageJob(url: item.url, entry: entry, seenKeys: keys, feedURL: reading.feedURL))
            }
        }
        return plan
    }
}

extension Fetcher {
    /// Fetches a job's page. A final outcome (a 304 too) marks its feed entry seen; after a transient failure the entry
    /// stays unseen and its feed is read in full (not conditionally) next time, so the entry comes back.
    func fetch(_ job: PageJob) async -> FetchOutcome {
        let outcome = await fetch(job.url)
        switch outcome {
        case .failed(let failure) where failure.isTransient:
            if let feed = job.feedURL { state.forgetValidators(for: feed) }
        default: state.markSeen(job.seenKeys)
        }
        return outcome
    }
}

/// Hands results from the async fetches to the pipeline's reader thread in index order, holding at most
/// `capacity` results that are reserved and not yet taken. One lock (the condition's) guards the state.
final class OrderedHandoff: @unchecked Sendable {
    /// What sits at an index: an item for the pipeline, or nothing to process (an unchanged page).
    enum Slot: Sendable {
        case item(IngestedItem)
        case skip
    }

    private let ready = NSCondition()
    private var results: [Int: Slot] = [:]
    private var count: Int?
    private var closed = false
    private var free: Int
    private var waiters: [CheckedContinuation<Bool, Never>] = []

    init(capacity: Int) {
        free = capacity
    }

    private func locked<Value>(_ body: () -> Value) -> Value {
        ready.lock()
        defer { ready.unlock() }
        return body()
    }

    /// Waits for room for one more result; false once the reader has stopped.
    func reserve() async -> Bool {
        await withCheckedContinuation { continuation in
            let answer: Bool? = locked {
                if closed { return false }
                guard free > 0 else {
                    waiters.append(continuation)
                    return nil
                }
                free -= 1
                return true
            }
            if let answer { continuation.resume(returning: answer) }
        }
    }

    /// `reserve`, then `deliver`.
    func put(_ index: Int, _ slot: Slot) async -> Bool {
        guard await reserve() else { return false }
        deliver(index, slot)
        return true
    }

    func deliver(_ index: Int, _ slot: Slot) {
        locked {
            results[index] = slot
            ready.broadcast()
        }
    }

    /// No result has an index at or past `count`.
    func finish(count: Int) {
        locked {
            self.count = count
            ready.broadcast()
        }
    }

    /// The slot at `index`, waiting for it; nil after the last one or once closed.
    func take(_ index: Int) -> Slot? {
        ready.lock()
        while results[index] == nil, !closed, count.map({ index < $0 }) ?? true { ready.wait() }
        let slot = closed ? nil : results.removeValue(forKey: index)
        var waiter: CheckedContinuation<Bool, Never>?
        if slot != nil {
            if waiters.isEmpty { free += 1 } else { waiter = waiters.removeFirst() }
        }
        ready.unlock()
        waiter?.resume(returning: true)
        return slot
    }

    /// The reader stopped, or the run is cancelled: waiting fetches are told, no more are started, and
    /// `take` returns nil.
    func close() {
        let stranded = locked {
            closed = true
            ready.broadcast()
            defer { waiters = [] }
            return waiters
        }
        for waiter in stranded { waiter.resume(returning: false) }
    }
}

/// Runs `work` on the cooperative pool and blocks the calling thread (never a pool thread) until it ends.
public func blockingWait<Value: Sendable>(_ work: @escaping @Sendable () async -> Value) -> Value {
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

extension FetchedPageRow {
    init(_ page: FetchedPage, feed: FeedEntryRef?) {
        self.init(
            url: page.url, fetched: page.fetchedAt, finalURL: page.finalURL, status: page.status, mediaType: page.mediaType,
            charset: page.charset, body: page.body, feed: feed)
    }
}

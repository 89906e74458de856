internal import Foundation
public import Logging
internal import NewsCore
public import NewsFetch
public import NewsRuntime

/// `watch --feeds`: polls feeds and sitemaps on a schedule and drops each poll's new pages into the inbox
/// as one JSON Lines file of `fetched_page` rows, which the daemon then claims, processes and commits like
/// any other drop. The inbox's guarantees (nothing lost, nothing twice) thus cover fetched pages too.
///
/// A drop is written under a hidden name, then the state is saved with its entries seen and the drop
/// pending (the commit point), then it is renamed in. A crash before the save fetches the entries again; a
/// crash after it is finished by `recover()` at the next start.
public final class FeedPoller: Sendable {
    private let fetcher: Fetcher
    private let feeds: [String]
    private let inbox: String
    private let interval: Double
    private let logger: Logger
    /// Pages fetched at once over all hosts.
    private let concurrency = 16

    public init(fetcher: Fetcher, feeds: [String], inbox: String, interval: Double, logger: Logger) {
        self.fetcher = fetcher
        self.feeds = feeds
        self.inbox = inbox
        self.interval = interval
        self.logger = logger
    }

    /// Polls now and every `interval` seconds until `stop`; returns once the poll in progress has ended.
    public func run(stop: StopSignal) async {
        recover()
        while !stop.isStopRequested {
            await poll()
            let next = Date(timeIntervalSinceNow: interval)
            while !stop.isStopRequested, Date() < next { try? await Task.sleep(nanoseconds: 100_000_000) }
        }
        await fetcher.shutdown()
    }

    /// Finishes the drops a crash left between the state's save and the rename, and removes those that came
    /// ahead of the save (their entries are fetched again).
    func recover() {
        for name in moveInPendingDrops() {
            logger.notice("feed drop finished after a restart", metadata: ["file": "\(name)"])
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: inbox)) ?? []
        for name in names where name.hasPrefix(".feeds-") && name.hasSuffix(".jsonl.tmp") {
            try? FileManager.default.removeItem(atPath: inbox + "/" + name)
        }
    }

    /// Renames the pending drops into the inbox; returns those it moved.
    private func moveInPendingDrops() -> [String] {
        var moved: [String] = []
        for name in fetcher.state.pendingDrops where FileManager.default.fileExists(atPath: hiddenPath(name)) {
            guard rename(hiddenPath(name), inbox + "/" + name) == 0 else {
                // Left pending: the next start tries again.
                logger.error("cannot move a feed drop into the inbox", metadata: ["file": "\(name)", "reason": "\(String(cString: strerror(errno)))"])
                return moved
            }
            moved.append(name)
        }
        let folder = open(inbox, O_RDONLY | O_DIRECTORY)
        if folder >= 0 {
            fsync(folder)  // the renames last
            close(folder)
        }
        fetcher.state.pendingDrops = []
        saveState()
        return moved
    }

    func poll() async {
        let plan = await FetchPlan.make(urls: [], feeds: feeds, fetcher: fetcher)
        for failure in plan.failures {
            logger.warning("feed not read", metadata: ["url": "\(failure.url)", "code": "\(failure.code.rawValue)", "reason": "\(failure.reason)"])
        }
        let rows = await fetchPages(plan.jobs)
        guard !rows.isEmpty else {
            logger.debug("polled: nothing new", metadata: ["feeds": "\(feeds.count)", "already_seen": "\(plan.alreadySeen)"])
            saveState()  // entries that failed for good are seen; robots.txt files are kept
            return
        }
        let name = "feeds-\(Self.stamp())-\(UInt32.random(in: 0...UInt32.max)).jsonl"
        do throws(FetchStateError) {
            try FetchState.writeDurably(Array((rows.map { $0.jsonLine() }.joined(separator: "\n") + "\n").utf8), to: hiddenPath(name))
            fetcher.state.pendingDrops.append(name)
            try fetcher.state.save()
        } catch {
            // Not seen after all: the next poll fetches them again.
            fetcher.state.unmarkSeen(plan.jobs.flatMap(\.seenKeys))
            fetcher.state.pendingDrops.removeAll { $0 == name }
            try? FileManager.default.removeItem(atPath: hiddenPath(name))
            logger.error("feed drop not written; its entries are fetched again next poll", metadata: ["reason": "\(error)"])
            return
        }
        _ = moveInPendingDrops()
        logger.info("polled", metadata: ["feeds": "\(feeds.count)", "new_pages": "\(rows.count)", "already_seen": "\(plan.alreadySeen)", "file": "\(name)"])
    }

    /// The jobs' pages as rows, in job order; failures are logged (transient ones come back next poll).
    private func fetchPages(_ jobs: [PageJob]) async -> [FetchedPageRow] {
        var rows = [FetchedPageRow?](repeating: nil, count: jobs.count)
        await withTaskGroup(of: (Int, FetchedPageRow?).self) { group in
            var running = 0
            for (index, job) in jobs.enumerated() {
                if running >= concurrency, let (done, row) = await group.next() {
                    rows[done] = row
                    running -= 1
                }
                running += 1
                group.addTask { [fetcher, logger] in
                    switch await fetcher.fetch(job) {
                    case .fetched(let page):
                        let row = FetchedPageRow(page, feed: job.entry)
                        guard row.format != nil else {
                            logger.warning("page not HTML or text", metadata: ["url": "\(job.url)", "content_type": "\(page.mediaType ?? "")"])
                            return (index, nil)
                        }
                        return (index, row)
                    case .unchanged: return (index, nil)
                    case .failed(let failure):
                        logger.warning("page not fetched", metadata: [
                            "url": "\(failure.url)", "code": "\(failure.code.rawValue)", "reason": "\(failure.reason)",
                            "retried_next_poll": "\(failure.isTransient)",
                        ])
                        return (index, nil)
                    }
                }
            }
            for await (done, row) in group { rows[done] = row }
        }
        return rows.compactMap { $0 }
    }

    private func hiddenPath(_ name: String) -> String {
        inbox + "/." + name + ".tmp"
    }

    private func saveState() {
        do throws(FetchStateError) {
            try fetcher.state.save()
        } catch {
            logger.error("fetch state not saved", metadata: ["reason": "\(error)"])
        }
    }

    private static func stamp() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss"
        return formatter.string(from: Date())
    }
}

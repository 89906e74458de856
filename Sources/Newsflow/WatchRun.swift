internal import Dispatch
internal import Foundation
public import Logging
internal import NewsCore
public import NewsEmit
public import NewsIngest
public import NewsRuntime
internal import Synchronization
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// How a watch run commits and retries.
public struct WatchOptions: Sendable {
    public var workers = RuntimeOptions.coreCount
    /// Records wait at most this long for a commit while the daemon is busy; an idle daemon commits at once.
    public var commitSeconds = 1.0
    /// A part file is committed once it holds this many records (or `partBytes`), whatever the time.
    public var partRecords = 10_000
    public var partBytes = 64 << 20
    /// Attempts for a file that changes while being read, or cannot be read, before it goes to `failed/`.
    public var maxAttempts = 3
    /// Status in the Prometheus text format, rewritten every second.
    public var statusFile: String?

    public init() {}
}

/// Counters of a watch run, for the status file and the final log line.
public final class WatchStatus: Sendable {
    let claimed = Atomic<Int>(0)
    let committedInputs = Atomic<Int>(0)
    let records = Atomic<Int>(0)
    let errorRecords = Atomic<Int>(0)
    let failedInputs = Atomic<Int>(0)
    let duplicates = Atomic<Int>(0)
    let retries = Atomic<Int>(0)
    let lastError = Mutex<String?>(nil)

    public init() {}

    /// The Prometheus text exposition format.
    func exposition(backlog: Int, inFlight: Int) -> String {
        var text = ""
        func metric(_ name: String, _ type: String, _ help: String, _ value: Int) {
            text += "# HELP newsflow_\(name) \(help)\n# TYPE newsflow_\(name) \(type)\nnewsflow_\(name) \(value)\n"
        }
        metric("claimed_total", "counter", "Inbox files claimed.", claimed.load(ordering: .relaxed))
        metric("committed_inputs_total", "counter", "Inputs whose output is committed.", committedInputs.load(ordering: .relaxed))
        metric("records_total", "counter", "Article records committed.", records.load(ordering: .relaxed))
        metric("error_records_total", "counter", "Error records committed.", errorRecords.load(ordering: .relaxed))
        metric("failed_inputs_total", "counter", "Inputs moved to failed/.", failedInputs.load(ordering: .relaxed))
        metric("duplicates_total", "counter", "Inputs whose content was already committed.", duplicates.load(ordering: .relaxed))
        metric("retries_total", "counter", "Inputs processed again (changed while read, unreadable).", retries.load(ordering: .relaxed))
        metric("backlog", "gauge", "Files in the inbox not yet claimed.", backlog)
        metric("in_flight", "gauge", "Claimed inputs not yet committed.", inFlight)
        let message = lastError.withLock { $0 } ?? ""
        let escaped = message.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
        text += "# HELP newsflow_last_error_info The last error, as a label.\n# TYPE newsflow_last_error_info gauge\n"
        text += "newsflow_last_error_info{message=\"\(escaped)\"} \(message.isEmpty ? 0 : 1)\n"
        return text
    }
}

/// `newsflow watch`: files claimed from an inbox, their items through the pipeline's stages on the staged
/// runtime, each input's records and errors committed together with its content hash, then the input moved
/// to `done/` or `failed/`. Every step before the commit can be repeated after a crash, and the commit log
/// makes a repeated commit a duplicate: so each input's records appear once.
public final class WatchRun: Sendable {
    public let pipeline: Pipeline
    public let inbox: Inbox
    public let output: CommitLog
    public let options: WatchOptions
    public let status = WatchStatus()
    private let logger: Logger
    private let book = TicketBook()

    public init(pipeline: Pipeline, inbox: Inbox, output: CommitLog, options: WatchOptions, logger: Logger) {
        self.pipeline = pipeline
        self.inbox = inbox
        self.output = output
        self.options = options
        self.logger = logger
    }

    /// Runs until `stop`: then claims nothing more, finishes and commits what is in flight, and returns.
    /// An input cut short by the stop stays in `processing/` and is adopted by the next start.
    public func run(stop: StopSignal) throws(InputError) {
        try inbox.start()
        logger.info("watching", metadata: [
            "inbox": "\(inbox.path)", "output": "\(output.folder)", "daemon": "\(inbox.daemonID)",
            "already_committed": "\(output.committedInputs)",
        ])
        let statusTimer = startStatusTimer()
        let committerDone = DispatchSemaphore(value: 0)
        Thread { [self] in
            commitUntilFinished(stop: stop)
            committerDone.signal()
        }.start()

        let runner = StagedRunner(chain: pipeline.chain, options: RuntimeOptions(workers: options.workers, batchSize: 1))
        // The runner gets no stop of its own: a stop ends claiming, and every claimed input is read to its end.
        runner.run(produce: { [self] emit in readClaims(stop: stop, emit: emit) }, deliver: { [self] _, result in
            book.deliver(line(for: result))
        })
        book.finishReading()
        committerDone.wait()
        statusTimer.cancel()
        inbox.stop()
        writeStatus()
        logger.info("stopped", metadata: [
            "committed_inputs": "\(status.committedInputs.load(ordering: .relaxed))",
            "records": "\(status.records.load(ordering: .relaxed))", "failed": "\(status.failedInputs.load(ordering: .relaxed))",
            "duplicates": "\(status.duplicates.load(ordering: .relaxed))",
        ])
    }

    // MARK: - Reading

    /// The reader thread: claims, hashes and unpacks inputs, one after another, until stopped.
    private func readClaims(stop: StopSignal, emit: (IngestedItem) -> Bool) {
        let unpacker = InputUnpacker(limits: pipeline.ingestLimits)
        while !stop.isStopRequested {
            guard let claim = inbox.nextClaim(timeout: 0.2) else { continue }
            status.claimed.add(1, ordering: .relaxed)
            let hash: String
            do {
                hash = try Self.contentHash(of: claim.path)
            } catch {
                retryOrFail(claim, reason: "cannot be read: \(error)")
                continue
            }
            if let earlier = output.committedName(of: hash) {
                reportDuplicate(claim, of: earlier)
                continue
            }
            let ticket = book.open(claim: claim, contentHash: hash)
            var count = 0
            let finished = withoutActuallyEscaping(emit) { emit in
                unpacker.unpack(.file(path: claim.path), reportedPath: claim.droppedPath) { item in
                    guard emit(item) else { return false }
                    count += 1
                    return true
                }
            }
            book.close(ticket, itemCount: count, cutShort: !finished)
        }
    }

    private static func contentHash(of path: String) throws(FileDigestError) -> String {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileDigestError(errno: errno) }
        defer { close(descriptor) }
        return try SHA256.hexDigest(ofDescriptor: descriptor)
    }

    private func line(for result: Result<EncodedRecord, StageFailure>) -> TicketBook.Line {
        switch result {
        case .success(let record):
            return .record(String(decoding: record.line, as: UTF8.self))
        case .failure(let failure):
            let context = failure.failedInput as? any ArticleContext
            let error = ErrorRecord(
                id: context?.contextID, source: context?.contextSource ?? SourceRef(), error: failure.error, pipeline: pipeline.stamp)
            return .error(error.jsonLine(), message: "\(failure.error)")
        }
    }

    // MARK: - Committing

    /// The committer thread: commits completed inputs when the daemon is idle, or when enough records or
    /// time have gathered, until reading has finished and everything is committed.
    private func commitUntilFinished(stop: StopSignal) {
        while let tickets = book.nextCommit(maxSeconds: options.commitSeconds, maxRecords: options.partRecords, maxBytes: options.partBytes) {
            commit(tickets, stop: stop)
        }
    }

    private func commit(_ tickets: [Ticket], stop: StopSignal) {
        var kept: [Ticket] = []
        for ticket in tickets where !ticket.cutShort {
            if inbox.hasChanged(ticket.claim) {
                retryOrFail(ticket.claim, reason: "changed while it was being read; write the file elsewhere and rename it into the inbox")
            } else {
                kept.append(ticket)
            }
        }
        guard !kept.isEmpty else { return }
        let inputs = kept.map { CommitInput(contentHash: $0.contentHash, name: $0.claim.name, records: $0.records, errors: $0.errors) }
        var delay = 0.1
        var outcomes: [CommitOutcome] = []
        while true {
            do throws(EmitError) {
                outcomes = try output.commit(inputs)
                break
            } catch {
                // A full disk or a lost mount: nothing is committed and the inputs stay claimed; try again.
                status.lastError.withLock { $0 = "\(error)" }
                logger.error("commit failed; retrying", metadata: ["reason": "\(error)", "retry_in_s": "\(delay)"])
                Thread.sleep(forTimeInterval: delay)
                delay = min(delay * 2, 30)
            }
        }
        for (ticket, outcome) in zip(kept, outcomes) {
            switch outcome {
            case .duplicate(let earlier):
                reportDuplicate(ticket.claim, of: earlier)
            case .committed(let part):
                status.committedInputs.add(1, ordering: .relaxed)
                status.records.add(ticket.records.count, ordering: .relaxed)
                status.errorRecords.add(ticket.errors.count, ordering: .relaxed)
                if ticket.errors.isEmpty {
                    inbox.finishDone(ticket.claim)
                    logger.debug("committed", metadata: ["input": "\(ticket.claim.name)", "records": "\(ticket.records.count)", "part": "\(part ?? "-")"])
                } else {
                    status.failedInputs.add(1, ordering: .relaxed)
                    status.lastError.withLock { $0 = "\(ticket.claim.name): \(ticket.errorMessages[0])" }
                    var sidecar = Inbox.sidecar(
                        name: ticket.claim.name, droppedPath: ticket.claim.droppedPath, attempt: ticket.claim.attempt,
                        reason: ticket.records.isEmpty
                            ? "no article could be read from it" : "\(ticket.errors.count) of its items could not be read")
                    sidecar["errors"] = ticket.errorMessages
                    sidecar["records_committed"] = ticket.records.count
                    sidecar["errors_committed_to"] = output.folder + "/" + CommitLog.errorsName
                    inbox.finishFailed(ticket.claim, sidecar: sidecar)
                }
            }
        }
    }

    private func reportDuplicate(_ claim: InboxClaim, of earlier: String) {
        status.duplicates.add(1, ordering: .relaxed)
        logger.notice("duplicate drop: same content already committed; not emitted again",
                      metadata: ["input": "\(claim.name)", "committed_as": "\(earlier)"])
        inbox.finishDone(claim)
    }

    private func retryOrFail(_ claim: InboxClaim, reason: String) {
        if claim.attempt < options.maxAttempts {
            status.retries.add(1, ordering: .relaxed)
            logger.notice("trying again", metadata: ["input": "\(claim.name)", "attempt": "\(claim.attempt)", "reason": "\(reason)"])
            inbox.retry(claim)
        } else {
            status.failedInputs.add(1, ordering: .relaxed)
            status.lastError.withLock { $0 = "\(claim.name): \(reason)" }
            inbox.finishFailed(claim, sidecar: Inbox.sidecar(name: claim.name, droppedPath: claim.droppedPath, attempt: claim.attempt, reason: reason))
        }
    }

    // MARK: - Status

    private func startStatusTimer() -> any DispatchSourceTimer {
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "newsflow.status"))
        timer.schedule(deadline: .now(), repeating: 1.0)
        timer.setEventHandler { [self] in writeStatus() }
        timer.resume()
        return timer
    }

    private func writeStatus() {
        guard let path = options.statusFile else { return }
        let text = status.exposition(backlog: inbox.backlog, inFlight: book.inFlight)
        let temporary = path + ".tmp"
        if FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8)) { rename(temporary, path) }
    }
}

/// One claimed input on its way through the stages: its lines as they are delivered.
final class Ticket: @unchecked Sendable {
    // @unchecked: mutated only while the owning `TicketBook`'s condition is locked.
    let claim: InboxClaim
    let contentHash: String
    var expectedItems: Int?
    var cutShort = false
    var delivered = 0
    var records: [String] = []
    var errors: [String] = []
    var errorMessages: [String] = []
    var bytes = 0
    var completedAt: Double?

    init(claim: InboxClaim, contentHash: String) {
        self.claim = claim
        self.contentHash = contentHash
    }

    var isComplete: Bool { expectedItems.map { delivered >= $0 } ?? false }
}

/// The inputs in flight, in claim order. The runner delivers items in the order they were read, so each
/// delivered line belongs to the oldest input still owed items.
final class TicketBook: @unchecked Sendable {
    // @unchecked: all state is read and written while `condition` is locked.
    enum Line {
        case record(String)
        case error(String, message: String)
    }

    private let condition = NSCondition()
    private var tickets: [Ticket] = []
    private var readingFinished = false

    func open(claim: InboxClaim, contentHash: String) -> Ticket {
        let ticket = Ticket(claim: claim, contentHash: contentHash)
        condition.lock()
        tickets.append(ticket)
        condition.unlock()
        return ticket
    }

    func close(_ ticket: Ticket, itemCount: Int, cutShort: Bool) {
        condition.lock()
        ticket.expectedItems = itemCount
        ticket.cutShort = cutShort
        markIfComplete(ticket)
        condition.unlock()
    }

    func deliver(_ line: Line) {
        condition.lock()
        defer { condition.unlock() }
        guard let ticket = tickets.first(where: { !$0.isComplete }) else { return }
        ticket.delivered += 1
        switch line {
        case .record(let text):
            ticket.records.append(text)
            ticket.bytes += text.utf8.count
        case .error(let text, let message):
            ticket.errors.append(text)
            ticket.errorMessages.append(message)
        }
        markIfComplete(ticket)
    }

    private func markIfComplete(_ ticket: Ticket) {
        guard ticket.isComplete, ticket.completedAt == nil else { return }
        ticket.completedAt = Date().timeIntervalSince1970
        condition.broadcast()
    }

    func finishReading() {
        condition.lock()
        readingFinished = true
        condition.broadcast()
        condition.unlock()
    }

    var inFlight: Int {
        condition.lock()
        defer { condition.unlock() }
        return tickets.count
    }

    /// Waits for completed inputs worth a commit: everything in flight is complete (the daemon is idle), or
    /// enough records, bytes or time have gathered. Nil once reading has finished and nothing is left.
    func nextCommit(maxSeconds: Double, maxRecords: Int, maxBytes: Int) -> [Ticket]? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            let ready = tickets.prefix(while: \.isComplete)
            if ready.isEmpty, readingFinished, tickets.isEmpty { return nil }
            if !ready.isEmpty {
                let records = ready.reduce(0) { $0 + $1.records.count }
                let bytes = ready.reduce(0) { $0 + $1.bytes }
                let oldest = ready.compactMap(\.completedAt).min() ?? 0
                let waited = Date().timeIntervalSince1970 - oldest
                if ready.count == tickets.count || records >= maxRecords || bytes >= maxBytes || waited >= maxSeconds {
                    tickets.removeFirst(ready.count)
                    return Array(ready)
                }
                _ = condition.wait(until: Date(timeIntervalSince1970: oldest + maxSeconds))
            } else {
                _ = condition.wait(until: Date(timeIntervalSinceNow: 0.5))
            }
        }
    }
}

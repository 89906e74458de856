internal import Dispatch
internal import Foundation
public import NewsCore
public import NewsEmit
public import NewsIngest
public import NewsRuntime
internal import Synchronization

/// What a run did, for the one-line summary.
public struct RunSummary: Sendable {
    public var articles = 0
    public var errors = 0
    public var entities = 0
    public var money = 0
    /// Bytes of the articles (decompressed), for throughput.
    public var bytesRead = 0
    public var skipped = SkipCounts()
    public var elapsedSeconds = 0.0
    public var interrupted = false
    public var resumedAfter: ItemPosition?
    public var outputFailure: EmitError?

    /// `12 articles, 1 error, 340 entities, 25 money amounts in 0.41 s (29 articles/s, 1.2 MB/s)`
    public var line: String {
        func plural(_ count: Int, _ word: String, _ plural: String? = nil) -> String {
            "\(count) \(count == 1 ? word : plural ?? word + "s")"
        }
        var text = [plural(articles, "article"), plural(errors, "error"), plural(entities, "entity", "entities"),
                    plural(money, "money amount")].joined(separator: ", ")
        if skipped.total > 0 {
            let reasons = [(skipped.nonHTML, "not HTML or text"), (skipped.status, "not status 2xx"), (skipped.revisit, skipped.revisit == 1 ? "revisit" : "revisits")]
                .filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }
            text += ", \(plural(skipped.total, "WARC record")) skipped (" + reasons.joined(separator: ", ") + ")"
        }
        text += " in " + String(format: "%.2f s", elapsedSeconds)
        if elapsedSeconds > 0, articles > 0 {
            text += String(format: " (%.0f articles/s, %.1f MB/s)", Double(articles) / elapsedSeconds,
                           Double(bytesRead) / 1_000_000 / elapsedSeconds)
        }
        if let resumedAfter { text += "; resumed after input \(resumedAfter.input + 1), item \(resumedAfter.ordinal + 1)" }
        if interrupted { text += "; interrupted: in-flight articles finished and committed, the rest not read (--resume continues)" }
        return text
    }
}

/// Counters a progress display reads while the run goes on.
public final class RunProgress: Sendable {
    /// Bytes of the inputs consumed, as stored (compressed archives count compressed bytes).
    let bytesDone = Atomic<Int>(0)
    let articles = Atomic<Int>(0)
    let errors = Atomic<Int>(0)
    /// Total size of the inputs; 0 when unknown (stdin).
    public let bytesTotal: Int

    init(bytesTotal: Int) {
        self.bytesTotal = bytesTotal
    }
}

/// Where each item the runner numbered came from, from the reader (which numbers) to the writer (which
/// checkpoints positions).
final class PositionTable: Sendable {
    private let positions = Mutex<[Int: ItemPosition]>([:])

    func set(_ sequence: Int, _ position: ItemPosition) {
        positions.withLock { $0[sequence] = position }
    }

    func take(_ sequence: Int) -> ItemPosition? {
        positions.withLock { $0.removeValue(forKey: sequence) }
    }
}

extension Pipeline {
    /// Runs what `produce` emits through the stages on `workers` threads, writes records and error
    /// records to `output` in emission order and commits it; the summary counts what was written. `positions`
    /// (when the producer fills it) lets the output checkpoint for `--resume`. An output failure stops the run.
    func run(
        workers: Int, output: RecordOutput, stop: StopSignal, progress: RunProgress, positions: PositionTable? = nil,
        produce: @escaping @Sendable (_ emit: (IngestedItem) -> Bool) -> Void
    ) -> RunSummary {
        let started = DispatchTime.now()
        var summary = RunSummary()
        let runner = StagedRunner(chain: chain, options: RuntimeOptions(workers: workers))
        runner.run(stop: stop, produce: produce, deliver: { sequence, result in
            guard summary.outputFailure == nil else { return }
            let position = positions?.take(sequence)
            do throws(EmitError) {
                switch result {
                case .success(let record):
                    summary.articles += 1
                    summary.entities += record.entities
                    summary.money += record.money
                    summary.bytesRead += record.inputBytes
                    progress.articles.add(1, ordering: .relaxed)
                    try output.writeRecord(record.line, at: position)
                case .failure(let failure):
                    summary.errors += 1
                    progress.errors.add(1, ordering: .relaxed)
                    let context = failure.failedInput as? any ArticleContext
                    let error = ErrorRecord(
                        id: context?.contextID, source: context?.contextSource ?? SourceRef(), error: failure.error,
                        pipeline: stamp)
                    try output.writeError(error.jsonLine(), at: position)
                }
            } catch {
                summary.outputFailure = error
                stop.requestStop()
            }
        })
        summary.interrupted = stop.isStopRequested && summary.outputFailure == nil
        if summary.outputFailure == nil {
            do throws(EmitError) {
                try output.finish(complete: !summary.interrupted)
            } catch {
                summary.outputFailure = error
            }
        }
        summary.elapsedSeconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        return summary
    }
}

/// A batch run: inputs unpacked into items (files, archive members, WARC records, rows), the items through
/// the pipeline's stages on the staged runtime, records to the output in input order.
public struct BatchRun: Sendable {
    public let pipeline: Pipeline
    public let inputs: [InputItem]
    public let workers: Int
    public let limits: IngestLimits
    public let progress: RunProgress
    /// Size and modification time of each input (stdin: zeros), read once for progress and the run key.
    private let inputFiles: [(size: Int, modified: Double)]

    public init(pipeline: Pipeline, inputs: [InputItem], workers: Int, limits: IngestLimits? = nil) {
        self.pipeline = pipeline
        self.inputs = inputs
        self.workers = workers
        self.limits = limits ?? pipeline.ingestLimits
        inputFiles = inputs.map(Self.sizeAndModification)
        progress = RunProgress(bytesTotal: inputFiles.reduce(0) { $0 + $1.size })
    }

    /// Identifies what a run reads and how: the pipeline, the limits and every input's path, size and
    /// modification time. A resumed run must have the same key, or positions would point at other items.
    public var runKey: String {
        var description = "\(pipeline.stamp.name)@\(pipeline.stamp.version) \(limits.maxArticleBytes) \(limits.maxArchiveBytes)"
        for (input, file) in zip(inputs, inputFiles) {
            switch input {
            case .standardInput: description += "\n-"
            case .file(let path): description += "\n\(path) \(file.size) \(file.modified)"
            }
        }
        return articleID(for: Array(description.utf8))
    }

    /// Runs to the end (or until `stop`), commits the output and returns the summary. Items at or before the
    /// output's resume position are read past without being processed. Output failures (a full disk) stop
    /// the run: nothing more is read, and the summary says why.
    public func run(output: RecordOutput, stop: StopSignal) -> RunSummary {
        // The runner numbers items in the order they are emitted; positions say where each came from.
        let positions = PositionTable()
        let skipped = Mutex(SkipCounts())
        let resumeAfter = output.resumeAfter
        var summary = pipeline.run(workers: workers, output: output, stop: stop, progress: progress, positions: positions) { [self] emit in
            skipped.withLock { $0 = unpackAll(resumeAfter: resumeAfter, positions: positions, emit: emit) }
        }
        summary.resumedAfter = resumeAfter
        summary.skipped = skipped.withLock { $0 }
        return summary
    }

    /// The reader thread's work: every input unpacked in order, each item given its position and emitted,
    /// except those a resumed run has already committed.
    private func unpackAll(
        resumeAfter: ItemPosition?, positions: PositionTable, emit: (IngestedItem) -> Bool
    ) -> SkipCounts {
        let unpacker = InputUnpacker(limits: limits)
        var sequence = 0
        var inputsDone = 0
        for (index, input) in inputs.enumerated() {
            defer {
                inputsDone += inputFiles[index].size
                progress.bytesDone.store(inputsDone, ordering: .relaxed)
            }
            if let resumeAfter, index < resumeAfter.input { continue }
            var ordinal = 0
            unpacker.onProgress = { [progress, inputsDone] consumed in
                progress.bytesDone.store(inputsDone + consumed, ordering: .relaxed)
            }
            let finished = withoutActuallyEscaping(emit) { emit in
                unpacker.unpack(input) { item in
                    let position = ItemPosition(input: index, ordinal: ordinal)
                    ordinal += 1
                    if let resumeAfter, position <= resumeAfter { return true }
                    positions.set(sequence, position)
                    guard emit(item) else { return false }
                    sequence += 1
                    return true
                }
            }
            if !finished { break }
        }
        return unpacker.skipped
    }

    private static func sizeAndModification(of input: InputItem) -> (size: Int, modified: Double) {
        guard case .file(let path) = input, let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
            return (0, 0)
        }
        return (attributes[.size] as? Int ?? 0, (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)
    }
}

internal import Dispatch
internal import Foundation
internal import NewsCore
public import NewsEmit
public import NewsIngest
public import NewsRuntime

/// What a run did, for the one-line summary.
public struct RunSummary: Sendable {
    public var articles = 0
    public var errors = 0
    public var entities = 0
    public var money = 0
    public var bytesRead = 0
    public var elapsedSeconds = 0.0
    public var interrupted = false
    public var outputFailure: EmitError?

    /// `12 articles, 1 error, 340 entities, 25 money amounts in 0.41 s`
    public var line: String {
        func plural(_ count: Int, _ word: String, _ plural: String? = nil) -> String {
            "\(count) \(count == 1 ? word : plural ?? word + "s")"
        }
        var text = [plural(articles, "article"), plural(errors, "error"), plural(entities, "entity", "entities"),
                    plural(money, "money amount")].joined(separator: ", ")
        text += " in " + String(format: "%.2f s", elapsedSeconds)
        if elapsedSeconds > 0, articles > 0 {
            text += String(format: " (%.0f articles/s, %.1f MB/s)", Double(articles) / elapsedSeconds,
                           Double(bytesRead) / 1_000_000 / elapsedSeconds)
        }
        if interrupted { text += "; interrupted: in-flight articles finished and flushed, the rest not read" }
        return text
    }
}

/// A batch run: inputs through the pipeline's stages on the staged runtime, records to the output in input order.
public struct BatchRun {
    public let pipeline: Pipeline
    public let inputs: [InputItem]
    public let workers: Int

    public init(pipeline: Pipeline, inputs: [InputItem], workers: Int) {
        self.pipeline = pipeline
        self.inputs = inputs
        self.workers = workers
    }

    /// Runs to the end (or until `stop`), commits the output files and returns the summary.
    /// Output failures (a full disk) stop the run: nothing more is read, and the summary says why.
    public func run(output: RecordOutput, stop: StopSignal) -> RunSummary {
        let started = DispatchTime.now()
        var summary = RunSummary()
        let runner = StagedRunner(chain: pipeline.chain, options: RuntimeOptions(workers: workers))
        runner.run(inputs, stop: stop) { _, input, result in
            guard summary.outputFailure == nil else { return }
            do throws(EmitError) {
                switch result {
                case .success(let record):
                    summary.articles += 1
                    summary.entities += record.entities
                    summary.money += record.money
                    summary.bytesRead += record.inputBytes
                    try output.writeRecord(record.line)
                case .failure(let failure):
                    summary.errors += 1
                    let context = failure.failedInput as? any ArticleContext
                    let error = ErrorRecord(
                        id: context?.contextID, source: context?.contextSource ?? Self.source(of: input),
                        error: failure.error, pipeline: pipeline.stamp)
                    try output.writeError(error.jsonLine())
                }
            } catch {
                summary.outputFailure = error
                stop.requestStop()
            }
        }
        if summary.outputFailure == nil {
            do throws(EmitError) {
                try output.finish()
            } catch {
                summary.outputFailure = error
            }
        }
        summary.interrupted = stop.isStopRequested && summary.outputFailure == nil
        summary.elapsedSeconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        return summary
    }

    static func source(of input: InputItem) -> SourceRef {
        switch input {
        case .file(let path): return SourceRef(path: path)
        case .standardInput: return SourceRef(path: "-")
        }
    }
}

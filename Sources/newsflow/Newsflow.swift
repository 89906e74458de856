import ArgumentParser
import Foundation
import Logging
#if canImport(Glibc)
/// glibc's mallopt(3); <malloc.h> is not part of Swift's Glibc module.
@_silgen_name("mallopt") func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
/// M_ARENA_MAX from <malloc.h>.
let mallocArenaMax: Int32 = -8
#endif
import NewsCore
import NewsEmit
import NewsFetch
import NewsHTML
import NewsIngest
import NewsRuntime
import Newsflow

@main
struct NewsflowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "newsflow",
        abstract: "Streaming news ingestion and entity extraction: one JSON record per article.",
        subcommands: [Batch.self, Fetch.self, Watch.self, Extract.self, ExtractHTML.self, Annotate.self]
    )
}

/// The files the command-line inputs name (folders recursively, in path order); an unusable input is a usage error.
func expandInputs(_ inputs: [String]) throws -> [InputItem] {
    do {
        return try InputEnumerator().expand(inputs)
    } catch {
        throw ValidationError("\(error)")
    }
}

/// Options every command shares.
struct PipelineOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Pipeline definition (YAML).",
            discussion: "Default: $NEWSFLOW_PIPELINE, else pipelines/default.yaml in the current folder or beside the installed binary's repository.",
            valueName: "file"))
    var pipeline: String?

    func load() throws -> Pipeline {
        let path = try resolvedPath()
        #if canImport(Glibc)
        // glibc gives each thread its own malloc arena; with a worker per core the arenas bloat resident
        // memory several times over. A few shared arenas keep it flat at no measured cost.
        _ = mallopt(mallocArenaMax, 4)
        #endif
        HTMLCleaner.initializeParser()
        do {
            return try Pipeline.load(path: path)
        } catch {
            FileHandle.standardError.write(Data("newsflow: error: \(error)\n".utf8))
            throw ExitCode(78)  // EX_CONFIG
        }
    }

    private func resolvedPath() throws -> String {
        if let pipeline { return pipeline }
        if let fromEnvironment = ProcessInfo.processInfo.environment["NEWSFLOW_PIPELINE"] { return fromEnvironment }
        var candidates = ["pipelines/default.yaml"]
        // A binary built in the repository (.build/<config>/newsflow) finds the repository's pipelines.
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = executable.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(folder.appendingPathComponent("pipelines/default.yaml").path)
            folder = folder.deletingLastPathComponent()
        }
        if let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) { return found }
        throw ValidationError("no pipeline definition found (looked for pipelines/default.yaml); pass --pipeline FILE")
    }
}

struct Batch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Process files, folders and archives into JSON Lines records.",
        discussion: """
            Inputs mix freely: HTML and text files, folders (recursively, in path order), archives (tar with any \
            compression, zip, 7z), WARC and WARC.gz crawls (2xx HTML and text responses), JSON Lines dumps (.jsonl, \
            .jsonl.gz: rows with "html" or "text" and optional "url", "title", "published") and - for stdin. \
            Archives are streamed, never unpacked to disk; an archive inside an archive is read one level deep.

            Records are written in input order. A bad article or member becomes a line of errors.jsonl (beside \
            the output file, inside the output folder, or on stderr with -o -) and the run goes on. With -o DIR \
            part files are committed as the run goes and a killed run continues with --resume. SIGINT or SIGTERM \
            stops reading, finishes the articles in flight and commits the output; a second signal exits at once.
            """
    )

    @Argument(help: ArgumentHelp("Files, folders, archives, WARC or JSON Lines files; - reads stdin.", valueName: "input"))
    var inputs: [String]

    @Option(
        name: [.short, .customLong("output")],
        help: ArgumentHelp(
            "Where records go: - for stdout, a folder (existing, or ending in /) for part files, else a file.",
            valueName: "path"))
    var output: String = "-"

    @Option(name: .long, help: "Worker threads (default: the number of cores).")
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(name: .long, help: "Continue the run recorded in the output folder after its last committed part.")
    var resume = false

    @Flag(name: .long, help: "Show progress even when stderr is not a terminal.")
    var progress = false

    @Flag(name: [.short, .long], help: "No progress and no summary.")
    var quiet = false

    @Option(name: .long, help: ArgumentHelp("Largest article, member, WARC record or row (default: read.max_bytes).", valueName: "bytes"))
    var maxArticleBytes: Int?

    @Option(name: .long, help: ArgumentHelp("Most bytes one input may expand to (default: read.max_archive_bytes).", valueName: "bytes"))
    var maxArchiveBytes: Int?

    @Option(name: .long, help: ArgumentHelp("Items (records and errors) per part file with -o DIR (default: emit.rotate_records).", valueName: "count"))
    var partSize: Int?

    @OptionGroup var pipelineOptions: PipelineOptions

    func validate() throws {
        guard workers >= 1 else { throw ValidationError("--workers must be at least 1") }
        if progress && quiet { throw ValidationError("--progress and --quiet exclude each other") }
        for (name, value) in [("--max-article-bytes", maxArticleBytes), ("--max-archive-bytes", maxArchiveBytes), ("--part-size", partSize)] {
            if let value, value < 1 { throw ValidationError("\(name) must be at least 1") }
        }
        if resume {
            guard case .folder = OutputTarget(argument: output) else { throw ValidationError("--resume needs an output folder (-o DIR/)") }
        }
    }

    func run() throws {
        let pipeline = try pipelineOptions.load()
        var limits = pipeline.ingestLimits
        if let maxArticleBytes { limits.maxArticleBytes = maxArticleBytes }
        if let maxArchiveBytes { limits.maxArchiveBytes = maxArchiveBytes }
        let batch = BatchRun(pipeline: pipeline, inputs: try expandInputs(inputs), workers: workers, limits: limits)
        let output: RecordOutput
        do {
            output = try RecordOutput(
                target: OutputTarget(argument: self.output), rotateAfterItems: partSize ?? pipeline.definition.emit.rotateRecords,
                runKey: batch.runKey, resume: resume)
        } catch {
            report("error: \(error)")
            throw ExitCode(73)  // EX_CANTCREAT
        }
        if output.isAlreadyComplete {
            if !quiet { report("\(self.output) holds a complete run; nothing to resume") }
            return
        }
        let stop = StopSignal()
        let trap = SignalTrap(stop: stop)
        let display = quiet || !(progress || ProgressDisplay.standardErrorIsTerminal)
            ? nil : ProgressDisplay(progress: batch.progress, inPlace: ProgressDisplay.standardErrorIsTerminal)
        let summary = batch.run(output: output, stop: stop)
        display?.stop()
        withExtendedLifetime(trap) {}
        if !quiet { report(summary.line) }
        if let failure = summary.outputFailure {
            report("error: output failed: \(failure)")
            throw ExitCode(74)  // EX_IOERR
        }
        if summary.interrupted { throw ExitCode(130) }
    }

    private func report(_ message: String) {
        FileHandle.standardError.write(Data("newsflow: \(message)\n".utf8))
    }
}

struct Watch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Watch a drop folder: process every file that lands in it, once, into committed JSON Lines parts.",
        discussion: """
            Producers should write a file elsewhere (or under a name starting with "." or ending .tmp, .part or \
            .crdownload) and rename it into INBOX; a file written in place is taken when it is closed, or when it \
            has not changed for --settle seconds. Each file is claimed by renaming it into INBOX/processing/, \
            processed like a batch input (text, HTML, archives, WARC, JSON Lines), its records committed to \
            OUTDIR/part-*.jsonl and its error records to OUTDIR/errors.jsonl, then moved to INBOX/done/ (or \
            deleted with --delete-done). An input with errors goes to INBOX/failed/ with NAME.error.json beside \
            it; its good records are committed. The same content dropped again is reported and not emitted again.

            Killed at any moment, a restart reprocesses what was claimed and not committed; nothing is lost or \
            written twice. Several daemons may watch one inbox and write one OUTDIR. SIGTERM or SIGINT stops \
            claiming, finishes and commits what is in flight, and exits 0 (75 if --drain-timeout passes first); a \
            second signal exits at once. Logs are JSON lines on stderr.
            """
    )

    @Argument(help: ArgumentHelp("The drop folder.", valueName: "inbox"))
    var inbox: String

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Folder for part files and errors.jsonl.", valueName: "outdir"))
    var output: String

    @Option(name: .long, help: "Worker threads (default: the number of cores).")
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .long, help: ArgumentHelp("Seconds a file found by a scan must stay unchanged before it is taken.", valueName: "seconds"))
    var settle: Double = 2

    @Option(name: .long, help: ArgumentHelp("Seconds between full rescans of the inbox.", valueName: "seconds"))
    var rescan: Double = 5

    @Option(name: .long, help: ArgumentHelp("Longest wait for a commit while busy; an idle daemon commits at once.", valueName: "seconds"))
    var commitInterval: Double = 1

    @Option(name: .long, help: ArgumentHelp("Records per part file at most (default: emit.rotate_records).", valueName: "count"))
    var partSize: Int?

    @Option(name: .long, help: ArgumentHelp("Bytes of records per part file at most.", valueName: "bytes"))
    var partBytes: Int = 64 << 20

    @Option(name: .long, help: ArgumentHelp("Attempts for a file that changes while read or cannot be read.", valueName: "count"))
    var maxAttempts: Int = 3

    @Option(name: .long, help: ArgumentHelp("Seconds to finish in-flight work after SIGTERM/SIGINT.", valueName: "seconds"))
    var drainTimeout: Double = 30

    @Flag(name: .long, help: "Delete inputs once committed instead of moving them to done/.")
    var deleteDone = false

    @Option(name: .long, help: ArgumentHelp("Write counters in the Prometheus text format to this file every second.", valueName: "file"))
    var statusFile: String?

    @Option(name: .long, help: ArgumentHelp("Log level: debug, info, notice, warning, error.", valueName: "level"))
    var logLevel: String = "info"

    @Option(name: .long, help: ArgumentHelp("Poll the feeds and sitemaps listed in this file (one URL per line, # comments); new pages are dropped into the inbox.", valueName: "file"))
    var feeds: String?

    @Option(name: .long, help: ArgumentHelp("Seconds between polls of --feeds.", valueName: "seconds"))
    var pollInterval: Double = 300

    @Option(name: .long, help: ArgumentHelp("Folder for the feed poller's seen entries, validators and robots.txt files (default: INBOX/.fetch-state).", valueName: "dir"))
    var fetchState: String?

    @OptionGroup(title: "Fetching (with --feeds)") var fetchArguments: FetchArguments

    @OptionGroup var pipelineOptions: PipelineOptions

    func validate() throws {
        guard workers >= 1 else { throw ValidationError("--workers must be at least 1") }
        guard maxAttempts >= 1 else { throw ValidationError("--max-attempts must be at least 1") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
        for (name, value) in [("--settle", settle), ("--rescan", rescan), ("--commit-interval", commitInterval), ("--drain-timeout", drainTimeout)] {
            guard value >= 0 else { throw ValidationError("\(name) must not be negative") }
        }
    }

    func run() throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = JSONLogHandler(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "newsflow.watch")
        // Trapped before the slow start (loading the pipeline): a stop asked for then is honoured, not lost.
        let stop = StopSignal()
        let drainTimeout = self.drainTimeout
        let trap = SignalTrap(stop: stop) { signal in
            logger.notice("stopping: no more claims; finishing and committing what is in flight",
                          metadata: ["signal": "\(signal)", "drain_timeout_s": "\(drainTimeout)"])
            DispatchQueue.global().asyncAfter(deadline: .now() + drainTimeout) {
                // Uncommitted inputs stay in processing/ and are adopted by the next start: nothing is lost.
                logger.error("drain timed out; uncommitted inputs stay claimed for the next start")
                Foundation.exit(75)  // EX_TEMPFAIL
            }
        }
        let pipeline = try pipelineOptions.load()
        let daemonID = String(format: "%08x", UInt32.random(in: 0...UInt32.max))
        var inboxOptions = InboxOptions()
        inboxOptions.settleSeconds = settle
        inboxOptions.rescanSeconds = max(0.1, rescan)
        inboxOptions.deleteDone = deleteDone
        var options = WatchOptions()
        options.workers = workers
        options.commitSeconds = commitInterval
        options.partRecords = partSize ?? pipeline.definition.emit.rotateRecords
        options.partBytes = partBytes
        options.maxAttempts = maxAttempts
        options.statusFile = statusFile
        let run: WatchRun
        do {
            let folder = try Inbox(path: inbox, daemonID: daemonID, options: inboxOptions, logger: logger)
            let log = try CommitLog(folder: output, writerID: daemonID)
            run = WatchRun(pipeline: pipeline, inbox: folder, output: log, options: options, logger: logger)
        } catch {
            logger.critical("cannot start", metadata: ["reason": "\(error)"])
            throw ExitCode(73)  // EX_CANTCREAT
        }
        let poller = feeds == nil ? nil : try feedPoller(pipeline: pipeline, logger: logger)
        let polling = poller.map { poller in Task { await poller.run(stop: stop) } }
        do {
            try run.run(stop: stop)
        } catch {
            logger.critical("cannot watch", metadata: ["reason": "\(error)"])
            throw ExitCode(74)
        }
        if let polling {
            polling.cancel()  // a poll in progress ends now; what it had not dropped is fetched next start
            blockingWait { await polling.value }
        }
        withExtendedLifetime(trap) {}
    }

    private func feedPoller(pipeline: Pipeline, logger: Logger) throws -> FeedPoller {
        let urls = try readURLList(feeds ?? "", option: "--feeds")
        // A fetched page travels to the daemon as base64 in a JSON row, which must stay under read.max_bytes.
        let options = fetchArguments.options(maxBodyBytes: pipeline.ingestLimits.maxArticleBytes * 3 / 4 - 64 * 1024)
        let state: FetchState
        do {
            state = try FetchState(folder: fetchState ?? inbox + "/.fetch-state")
        } catch {
            logger.critical("cannot start", metadata: ["reason": "\(error)"])
            throw ExitCode(73)
        }
        return FeedPoller(
            fetcher: Fetcher(options: options, state: state), feeds: urls, inbox: inbox, interval: pollInterval, logger: logger)
    }
}

struct Extract: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read one article (text or HTML) from stdin and print its record.",
        discussion: "HTML is recognised by its opening markup; use --html or --text to say so explicitly."
    )

    @Flag(name: .long, help: "Treat the input as HTML.") var html = false
    @Flag(name: .long, help: "Treat the input as plain text.") var text = false
    @OptionGroup var pipelineOptions: PipelineOptions

    func validate() throws {
        if html && text { throw ValidationError("--html and --text exclude each other") }
    }

    func run() throws {
        let pipeline = try pipelineOptions.load()
        let bytes = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
        let raw = RawArticle(source: SourceRef(path: "-"), bytes: bytes, formatHint: html ? .html : text ? .text : nil)
        do {
            let record = try pipeline.process(raw)
            print(record.jsonLine())
        } catch {
            let record = ErrorRecord(id: articleID(for: bytes), source: raw.source, error: error, pipeline: pipeline.stamp)
            FileHandle.standardError.write(Data((record.jsonLine() + "\n").utf8))
            throw ExitCode(65)  // EX_DATAERR
        }
    }
}

struct ExtractHTML: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract-html",
        abstract: "Extract the article body and metadata of HTML pages into one JSON object keyed by page id.",
        discussion: """
            The page id is the file name without its extensions (`abc.html` → `abc`). Each value holds             "articleBody" and the metadata fields, the format of the article-extraction scorer:             newsflow extract-html PAGES/ -o pred.json && python3 ../shared/eval/html-score.py ground-truth.json pred.json.             A page that cannot be read or parsed gets a null body and a line on stderr.
            """
    )

    @Argument(help: ArgumentHelp("HTML files or folders of them.", valueName: "input"))
    var inputs: [String]

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Where the JSON goes; - for stdout.", valueName: "file"))
    var output: String = "-"

    @OptionGroup var pipelineOptions: PipelineOptions

    func run() throws {
        let pipeline = try pipelineOptions.load()
        let items = try expandInputs(inputs)
        var pages: [String: Any] = [:]
        for item in items {
            guard case .file(let path) = item else { continue }
            let id = String(URL(fileURLWithPath: path).lastPathComponent.split(separator: ".", maxSplits: 1)[0])
            do {
                let page = try pipeline.cleanedPage(item)
                pages[id] = [
                    "articleBody": page.text, "title": page.title ?? NSNull(), "published": page.published ?? NSNull(),
                    "modified": page.modified ?? NSNull(), "authors": page.authors.isEmpty ? NSNull() : page.authors,
                    "siteName": page.siteName ?? NSNull(), "language": page.language ?? NSNull(),
                    "description": page.description ?? NSNull(), "url": page.source.canonicalURL ?? NSNull(),
                ] as [String: Any]
            } catch {
                FileHandle.standardError.write(Data("newsflow: \(path): \(error)\n".utf8))
                pages[id] = ["articleBody": NSNull()]
            }
        }
        let json = try JSONSerialization.data(withJSONObject: pages, options: [.sortedKeys, .withoutEscapingSlashes])
        if output == "-" {
            FileHandle.standardOutput.write(json)
            FileHandle.standardOutput.write(Data("\n".utf8))
        } else if !FileManager.default.createFile(atPath: output, contents: json) {
            throw ValidationError("cannot write \(output)")
        }
    }
}

struct Annotate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Add entities and money to the text of JSON Lines rows (no cleaning).",
        discussion: """
            Reads rows such as {"id": "a1", "text": "..."} from a file or stdin and writes each row back with \
            "entities" and "money" arrays added (offsets in code points, as in records). Other fields pass \
            through. This is the shape the dev-set scorers in ../shared/eval read.
            """
    )

    @Argument(help: ArgumentHelp("JSON Lines file; - for stdin.", valueName: "file"))
    var input: String = "-"

    @Option(name: .long, help: "The field that holds the text.")
    var field: String = "text"

    @OptionGroup var pipelineOptions: PipelineOptions

    func run() throws {
        let pipeline = try pipelineOptions.load()
        let data: Data
        if input == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: input) else {
                throw ValidationError("cannot read \(input)")
            }
            data = contents
        }
        var lineNumber = 0
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            lineNumber += 1
            guard var row = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any],
                let text = row[field] as? String
            else {
                FileHandle.standardError.write(Data("newsflow: \(input):\(lineNumber): not a JSON object with a string \"\(field)\"\n".utf8))
                throw ExitCode(65)
            }
            let found = pipeline.annotate(text: text)
            // The row's other fields pass through; the mentions are written by the record writer, exact values
            // and all, replacing any the row had.
            row["entities"] = nil
            row["money"] = nil
            var line = String(decoding: try JSONSerialization.data(withJSONObject: row, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
            line.removeLast()  // the closing brace
            line += (row.isEmpty ? "" : ",") + ArticleRecord.mentionFields(entities: found.entities, money: found.money) + "}\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
    }
}

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif
public import NewsCore

/// Where records go.
public enum OutputTarget: Sendable, Equatable {
    /// Records on stdout, error records on stderr.
    case standardOutput
    /// One JSON Lines file; errors in `errors.jsonl` beside it.
    case file(path: String)
    /// Rotated part files `part-00000.jsonl`, … and `errors.jsonl` in a folder.
    case folder(path: String)

    /// `-` is stdout; an existing folder or a path ending in `/` is a folder; anything else a file.
    public init(argument: String) {
        if argument == "-" {
            self = .standardOutput
            return
        }
        var isFolder = argument.hasSuffix("/")
        var info = stat()
        if stat(argument, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { isFolder = true }
        if isFolder {
            var path = argument
            while path.count > 1, path.hasSuffix("/") { path.removeLast() }
            self = .folder(path: path)
        } else {
            self = .file(path: argument)
        }
    }
}

/// The sink of a run: takes record lines and error lines in order, commits files as it goes.
/// Not thread-safe: the runtime calls it from its single ordered writer.
///
/// Into a folder, the output is checkpointed: each part file is committed (written, fsync'd, renamed into
/// place) after `rotateAfterItems` items, the error lines of those items are appended to `errors.jsonl` and
/// synced first, and then `.newsflow-run.json` records how far the committed output goes (the position of
/// the last item, the number of parts, the length of `errors.jsonl`). A run killed at any point leaves
/// whole parts, and `resume` picks up after the last checkpoint: later parts and error lines are dropped
/// and written again, so nothing is lost or written twice.
public final class RecordOutput {
    public let target: OutputTarget
    /// Where a resumed run continues: items at or before this position are already in the output.
    public private(set) var resumeAfter: ItemPosition?
    /// True when resuming a run that had already finished: there is nothing left to do.
    public private(set) var isAlreadyComplete = false
    private let rotateAfterItems: Int
    private let runKey: String
    private var part: AtomicFile?
    private var partNumber = 0
    private var itemsInPart = 0
    private var lastPosition: ItemPosition?
    /// `-o FILE`: errors beside it, committed at the end.
    private var errors: AtomicFile?
    /// `-o DIR`: errors appended as parts are committed, and the lines waiting for the next commit.
    private var folderErrors: AppendFile?
    private var pendingErrors: [String] = []
    private let standardOutput = DescriptorWriter(descriptor: STDOUT_FILENO, name: "stdout")
    private let standardError = DescriptorWriter(descriptor: STDERR_FILENO, name: "stderr")

    public static let stateFileName = ".newsflow-run.json"

    /// - Parameters:
    ///   - runKey: identifies the run's inputs and settings; a resume with a different key is refused.
    ///   - resume: continue the run recorded in the folder instead of replacing it.
    public init(target: OutputTarget, rotateAfterItems: Int = 10_000, runKey: String = "", resume: Bool = false) throws(EmitError) {
        self.target = target
        self.rotateAfterItems = max(1, rotateAfterItems)
        self.runKey = runKey
        switch target {
        case .standardOutput:
            break
        case .file(let path):
            try makeFolder(splitPath(path).folder)
            part = try AtomicFile(path: path)
            errors = try AtomicFile(path: splitPath(path).folder + "/errors.jsonl")
        case .folder(let path):
            try makeFolder(path)
            var keptErrorBytes = 0
            if resume, let state = try RunState.load(folder: path) {
                guard state.run == runKey else {
                    throw EmitError(
                        path: path,
                        reason: "was written by a run with other inputs, pipeline or limits; run without --resume to start over")
                }
                resumeAfter = state.after
                isAlreadyComplete = state.complete
                partNumber = state.parts
                keptErrorBytes = state.errorBytes
            }
            try Self.removeParts(in: path, from: partNumber)
            folderErrors = try AppendFile(path: path + "/errors.jsonl", keepingBytes: keptErrorBytes)
            // At once, so a state left by an earlier run never describes this run's (removed) parts.
            try RunState(run: runKey, parts: partNumber, errorBytes: keptErrorBytes, after: resumeAfter, complete: isAlreadyComplete)
                .save(folder: path)
        }
    }

    /// Writes one record line, given as UTF-8 without its newline.
    public func writeRecord(_ line: [UInt8], at position: ItemPosition? = nil) throws(EmitError) {
        switch target {
        case .standardOutput:
            try standardOutput.writeLine(line)
        case .file:
            try part?.writeLine(line)
        case .folder(let path):
            if part == nil {
                part = try AtomicFile(path: path + "/" + Self.partName(partNumber))
                partNumber += 1
            }
            try part?.writeLine(line)
            try itemWritten(at: position)
        }
    }

    public func writeError(_ line: String, at position: ItemPosition? = nil) throws(EmitError) {
        if folderErrors != nil {
            pendingErrors.append(line)
            try itemWritten(at: position)
        } else if let errors {
            try errors.writeLine(Array(line.utf8))
        } else {
            try standardError.writeLine(line)
            try standardError.flush()
        }
    }

    /// Commits every open file. After this, the output is complete on disk. `complete: false` (a stopped
    /// run) commits what was written and leaves the folder resumable.
    public func finish(complete: Bool = true) throws(EmitError) {
        try standardOutput.flush()
        if case .folder = target {
            try checkpoint(complete: complete)
        } else {
            for file in [part, errors].compactMap({ $0 }) {
                try file.commit()
            }
            part = nil
            errors = nil
        }
    }

    private func itemWritten(at position: ItemPosition?) throws(EmitError) {
        if let position { lastPosition = position }
        itemsInPart += 1
        if itemsInPart >= rotateAfterItems { try checkpoint(complete: false) }
    }

    /// Errors synced, then the part renamed into place, then the state: a crash between any two steps
    /// leaves a state that points before the newer files, and a resume rewrites them.
    private func checkpoint(complete: Bool) throws(EmitError) {
        guard case .folder(let path) = target, let folderErrors else { return }
        for line in pendingErrors { try folderErrors.writeLine(line) }
        pendingErrors.removeAll()
        try folderErrors.sync()
        try part?.commit()
        part = nil
        itemsInPart = 0
        let state = RunState(
            run: runKey, parts: partNumber, errorBytes: folderErrors.size, after: lastPosition ?? resumeAfter, complete: complete)
        try state.save(folder: path)
    }

    public static func partName(_ number: Int) -> String {
        let digits = String(number)
        return "part-" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits + ".jsonl"
    }

    /// Part files numbered `first` and up (all of them for a new run), and temporaries a killed run left.
    private static func removeParts(in folder: String, from first: Int) throws(EmitError) {
        var stale: [String] = []
        for name in try folderEntries(folder) {
            if name.hasPrefix("part-"), name.hasSuffix(".jsonl"), let number = Int(name.dropFirst(5).dropLast(6)), number >= first {
                stale.append(name)
            } else if name.hasPrefix("."), name.hasSuffix(".tmp") {
                stale.append(name)
            }
        }
        for name in stale { unlink(folder + "/" + name) }
    }
}

/// Buffered line writes to a file descriptor (stdout, stderr), retrying short writes.
final class DescriptorWriter {
    private let descriptor: Int32
    private let name: String
    private var buffer: [UInt8] = []

    init(descriptor: Int32, name: String) {
        self.descriptor = descriptor
        self.name = name
        buffer.reserveCapacity(1 << 16)
    }

    func writeLine(_ line: String) throws(EmitError) {
        buffer.append(contentsOf: line.utf8)
        try endLine()
    }

    func writeLine(_ line: [UInt8]) throws(EmitError) {
        buffer.append(contentsOf: line)
        try endLine()
    }

    private func endLine() throws(EmitError) {
        buffer.append(0x0A)
        if buffer.count >= 1 << 16 { try flush() }
    }

    func flush() throws(EmitError) {
        var offset = 0
        while offset < buffer.count {
            let written = buffer[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw .posix(name, "write failed")
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

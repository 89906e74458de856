#if canImport(Glibc)
internal import NewsCore
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif
internal import Foundation
internal import Synchronization

/// One input's output, waiting to be committed: its record lines, its error lines, and the hash of its
/// content that makes a second drop of the same bytes a duplicate.
public struct CommitInput: Sendable {
    public var contentHash: String
    public var name: String
    public var records: [String]
    public var errors: [String]

    public init(contentHash: String, name: String, records: [String], errors: [String]) {
        self.contentHash = contentHash
        self.name = name
        self.records = records
        self.errors = errors
    }
}

/// What a commit did with one input.
public enum CommitOutcome: Sendable, Equatable {
    /// Its records are in `part` (nil when it had none) and its errors in `errors.jsonl`.
    case committed(part: String?)
    /// The same content was committed before, under `earlierName`; nothing was written again.
    case duplicate(earlierName: String)
}

/// The daemon's output folder, shared safely by several writers (processes, or machines on a shared file
/// system whose locks work): part files `part-TIME-WRITER-N.jsonl` and `errors.jsonl`, committed under a
/// lock, with a ledger of every committed input by content hash.
///
/// A commit, under an exclusive `flock` on `.newsflow.lock`:
/// 1. records go to a hidden temporary part and error lines to a hidden temporary errors file, both fsync'd;
/// 2. one line appended to `.newsflow-ledger.jsonl` and fsync'd: the commit point, naming the part, the
///    committed length of `errors.jsonl` before this commit, and each input's hash;
/// 3. the part renamed into place, the error lines appended to `errors.jsonl` and fsync'd, the folder fsync'd.
///
/// A crash before step 2 leaves temporaries that the next commit removes (their inputs were never marked
/// committed, so they are processed again). A crash after it is rolled forward by whoever takes the lock
/// next: the ledger's last line is complete, so its part is renamed and its errors appended if they are
/// not yet. A torn ledger line (crash while appending) is cut off. So each input's records appear once,
/// and a committed part is never written again.
public final class CommitLog: Sendable {
    public let folder: String
    /// Names this writer's parts; unique per process start.
    public let writerID: String

    private struct State {
        var committed: [String: String] = [:]  // content hash → the input's name
        var ledgerOffset = 0
        var lastEntry: LedgerEntry?
        var partCounter = 0
    }

    private let state = Mutex(State())
    private let commitLock: Mutex<Void> = Mutex(())
    private let lockDescriptor: Int32

    public static let ledgerName = ".newsflow-ledger.jsonl"
    public static let lockName = ".newsflow.lock"
    public static let errorsName = "errors.jsonl"

    public init(folder: String, writerID: String) throws(EmitError) {
        self.folder = folder
        self.writerID = writerID
        try makeFolder(folder)
        let lockPath = folder + "/" + Self.lockName
        lockDescriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard lockDescriptor >= 0 else { throw .posix(lockPath, "cannot open") }
        try withFolderLock { () throws(EmitError) in try recover() }
    }

    deinit {
        close(lockDescriptor)
    }

    /// How many inputs are committed, by this writer or any other (as of the last commit or recovery).
    public var committedInputs: Int { state.withLock { $0.committed.count } }

    /// The name under which `contentHash` was committed, if it was (as of the last commit or recovery).
    public func committedName(of contentHash: String) -> String? {
        state.withLock { $0.committed[contentHash] }
    }

    /// Commits the inputs' records and errors durably, once each: inputs whose content is already
    /// committed (by anyone) come back as duplicates and write nothing.
    public func commit(_ inputs: [CommitInput]) throws(EmitError) -> [CommitOutcome] {
        try commitLock.withLock { _ throws(EmitError) in
            try withFolderLock { () throws(EmitError) in try commitLocked(inputs) }
        }
    }

    private func commitLocked(_ inputs: [CommitInput]) throws(EmitError) -> [CommitOutcome] {
        try recover()
        var fresh: [CommitInput] = []
        var seen = state.withLock { $0.committed }
        let earlierNames = inputs.map { input -> String? in
            if let earlier = seen[input.contentHash] { return earlier }
            seen[input.contentHash] = input.name
            fresh.append(input)
            return nil
        }
        let records = fresh.flatMap(\.records)
        let errors = fresh.flatMap(\.errors)
        let stem = partStem()
        let part = records.isEmpty ? nil : stem + ".jsonl"
        let outcomes = zip(inputs, earlierNames).map { input, earlier -> CommitOutcome in
            earlier.map { .duplicate(earlierName: $0) } ?? .committed(part: input.records.isEmpty ? nil : part)
        }
        guard !fresh.isEmpty else { return outcomes }

        var entry = LedgerEntry(
            part: part, errorsAt: try fileSize(errorsPath), errorCount: errors.count,
            inputs: fresh.map { LedgerEntry.Input(sha256: $0.contentHash, name: $0.name, records: $0.records.count, errors: $0.errors.count) })
        if let part {
            try writeSynced(records, to: temporaryPath(part))
        }
        if !errors.isEmpty {
            entry.errorsFile = "." + stem + ".errors.tmp"
            try writeSynced(errors, to: folder + "/" + entry.errorsFile!)
        }
        try appendToLedger(entry)
        try rollForward(entry, errorLines: errors)
        state.withLock { state in
            for input in fresh { state.committed[input.contentHash] = input.name }
        }
        return outcomes
    }

    // MARK: - Recovery

    /// Reads ledger lines other writers appended, cuts a torn last line, finishes the last commit if a
    /// crash interrupted it, and removes temporaries of commits that never reached the ledger.
    private func recover() throws(EmitError) {
        let path = folder + "/" + Self.ledgerName
        let offset = state.withLock { $0.ledgerOffset }
        let tail = try readTail(of: path, from: offset)
        var end = offset
        var entries: [LedgerEntry] = []
        let decoder = JSONDecoder()
        for line in tail.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast() {
            do {
                entries.append(try decoder.decode(LedgerEntry.self, from: Data(line)))
            } catch {
                throw EmitError(path: path, reason: "unreadable ledger line at byte \(end): \(error)")
            }
            end += line.count + 1
        }
        if end < offset + tail.count {
            // A line without its newline: a writer died while appending it. That commit never happened.
            guard truncate(path, off_t(end)) == 0 else { throw .posix(path, "cannot cut a torn line") }
        }
        state.withLock { state in
            for entry in entries {
                for input in entry.inputs { state.committed[input.sha256] = input.name }
            }
            state.ledgerOffset = end
            if let last = entries.last { state.lastEntry = last }
        }
        if let last = state.withLock({ $0.lastEntry }) { try rollForward(last) }
        try removeStaleTemporaries()
    }

    /// Step 3 of a commit, each part done only if not done yet; safe to repeat. `errorLines` are the
    /// entry's error lines when the caller has them, else they are read from the entry's errors file.
    private func rollForward(_ entry: LedgerEntry, errorLines: [String]? = nil) throws(EmitError) {
        var changed = false
        if let part = entry.part, !exists(folder + "/" + part) {
            guard rename(temporaryPath(part), folder + "/" + part) == 0 else {
                throw .posix(folder + "/" + part, "cannot put the committed part in place")
            }
            changed = true
        }
        if let errorsFile = entry.errorsFile, exists(folder + "/" + errorsFile) {
            var lines = errorLines ?? []
            if errorLines == nil {
                lines = try readTail(of: folder + "/" + errorsFile, from: 0).split(separator: 0x0A).map { String(decoding: $0, as: UTF8.self) }
            }
            let errors = try AppendFile(path: errorsPath, keepingBytes: entry.errorsAt)
            for line in lines { try errors.writeLine(line) }
            try errors.sync()
            unlink(folder + "/" + errorsFile)
            changed = true
        }
        // Only when something moved: recovery runs before every commit and usually finds nothing to do.
        if changed { syncFolder(of: folder + "/" + Self.ledgerName) }
    }

    private func removeStaleTemporaries() throws(EmitError) {
        for name in try folderEntries(folder) where name.hasPrefix(".part-") && name.hasSuffix(".tmp") {
            unlink(folder + "/" + name)
        }
    }

    // MARK: - Files

    private var errorsPath: String { folder + "/" + Self.errorsName }

    private func temporaryPath(_ part: String) -> String { folder + "/." + part + ".tmp" }

    /// `part-20261121T093012.123Z-WRITER-000042`: sorts by commit time across writers.
    private func partStem() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var time = tm()
        gmtime_r(&seconds, &time)
        let counter = state.withLock { state in
            state.partCounter += 1
            return state.partCounter
        }
        let stamp = String(
            format: "%04d%02d%02dT%02d%02d%02d.%03dZ", time.tm_year + 1900, time.tm_mon + 1, time.tm_mday, time.tm_hour, time.tm_min,
            time.tm_sec, now.tv_nsec / 1_000_000)
        return "part-\(stamp)-\(writerID)-" + String(format: "%06d", counter)
    }

    private func appendToLedger(_ entry: LedgerEntry) throws(EmitError) {
        let path = folder + "/" + Self.ledgerName
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(entry) else { throw EmitError(path: path, reason: "cannot encode a ledger entry") }
        let ledger = try AppendFile(path: path, keepingBytes: state.withLock { $0.ledgerOffset })
        try ledger.writeLine(String(decoding: data, as: UTF8.self))
        try ledger.sync()
        state.withLock { state in
            state.ledgerOffset = ledger.size
            state.lastEntry = entry
        }
    }

    /// The bytes of a file from `offset` on (none if it does not exist).
    private func readTail(of path: String, from offset: Int) throws(EmitError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0, errno == ENOENT, offset == 0 { return [] }
        guard descriptor >= 0 else { throw .posix(path, "cannot open") }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .posix(path, "cannot stat") }
        guard Int(info.st_size) >= offset else {
            throw EmitError(path: path, reason: "is shorter than when this writer last read it; the output folder was changed under the daemon")
        }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size) - offset)
        var done = 0
        while done < bytes.count {
            let count = bytes[done...].withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, off_t(offset + done)) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw .posix(path, "read failed") }
            done += count
        }
        return bytes
    }

    private func writeSynced(_ lines: [String], to path: String) throws(EmitError) {
        let file = try AppendFile(path: path, keepingBytes: 0)
        for line in lines { try file.writeLine(line) }
        try file.sync()
    }

    private func fileSize(_ path: String) throws(EmitError) -> Int {
        var info = stat()
        if stat(path, &info) == 0 { return Int(info.st_size) }
        guard errno == ENOENT else { throw .posix(path, "cannot stat") }
        return 0
    }

    private func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    private func withFolderLock<T>(_ body: () throws(EmitError) -> T) throws(EmitError) -> T {
        while flock(lockDescriptor, LOCK_EX) != 0 {
            guard errno == EINTR else { throw .posix(folder + "/" + Self.lockName, "cannot lock") }
        }
        defer { flock(lockDescriptor, LOCK_UN) }
        return try body()
    }
}

/// One line of the ledger: one commit.
struct LedgerEntry: Codable, Equatable {
    struct Input: Codable, Equatable {
        var sha256: String
        var name: String
        var records: Int
        var errors: Int
    }

    /// The part file holding the records; nil when the inputs had none.
    var part: String?
    /// The length of `errors.jsonl` before this commit's error lines.
    var errorsAt: Int
    var errorCount: Int
    /// The hidden file holding this commit's error lines until they are appended.
    var errorsFile: String?
    var inputs: [Input]

    enum CodingKeys: String, CodingKey {
        case part, inputs
        case errorsAt = "errors_at"
        case errorCount = "error_count"
        case errorsFile = "errors_file"
    }
}

/// Names in a folder, without `.` and `..`.
func folderEntries(_ folder: String) throws(EmitError) -> [String] {
    guard let directory = opendir(folder) else { throw .posix(folder, "cannot open folder") }
    defer { closedir(directory) }
    var names: [String] = []
    while let entry = readdir(directory) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        if name != ".", name != ".." { names.append(name) }
    }
    return names
}

/// Creates a folder and its missing parents.
func makeFolder(_ path: String) throws(EmitError) {
    var info = stat()
    if stat(path, &info) == 0 {
        guard (info.st_mode & S_IFMT) == S_IFDIR else { throw EmitError(path: path, reason: "exists and is not a folder") }
        return
    }
    let parent = splitPath(path).folder
    if parent != path, parent != ".", parent != "/" { try makeFolder(parent) }
    guard mkdir(path, 0o755) == 0 || errno == EEXIST else { throw .posix(path, "cannot create folder") }
}

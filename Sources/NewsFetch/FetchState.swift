public import NewsCore
internal import Foundation
internal import Synchronization

/// What a fetch remembers between runs (`--state DIR`): the feed items already fetched, the validators for
/// conditional GET, robots.txt files, and the daemon's pending drops. Each is one JSON file, replaced durably (temp file, fsync, rename)
/// by `save()`, which the run calls only after its records are committed: a crash before that re-fetches,
/// it never forgets an item whose record was not written.
public final class FetchState: Sendable {
    /// `ETag` and `Last-Modified` of a page, sent back as `If-None-Match` and `If-Modified-Since`.
    struct Validators: Codable, Sendable {
        var etag: String?
        var lastModified: String?
    }

    /// A robots.txt as fetched: its text, or the status that stood for "allow all" / "disallow all".
    struct StoredRobots: Codable, Sendable {
        var fetchedAt: Double
        var status: Int
        var text: String
    }

    /// Seen entries and pending drops share a file: they must change together.
    private struct SeenFile: Codable {
        var entries: [String: Double]
        var pendingDrops: [String]
    }

    private struct Contents: Sendable {
        var seen: [String: Double] = [:]
        var validators: [String: Validators] = [:]
        var robots: [String: StoredRobots] = [:]
        var pendingDrops: [String] = []
    }

    /// The folder, or nil for a run that remembers nothing.
    public let folder: String?
    private let contents: Mutex<Contents>

    /// Loads the state in `folder` (created if missing); nil keeps everything in memory for this run only.
    public init(folder: String?) throws(FetchStateError) {
        self.folder = folder
        var contents = Contents()
        if let folder {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw FetchStateError(path: folder, reason: "cannot create the state folder: \(error.localizedDescription)")
            }
            let seen: SeenFile? = try Self.load(folder + "/seen.json")
            contents.seen = seen?.entries ?? [:]
            contents.pendingDrops = seen?.pendingDrops ?? []
            contents.validators = try Self.load(folder + "/validators.json") ?? [:]
            contents.robots = try Self.load(folder + "/robots.json") ?? [:]
        }
        self.contents = Mutex(contents)
    }

    // MARK: Feed items

    public func isSeen(_ key: String) -> Bool {
        contents.withLock { $0.seen[key] != nil }
    }

    /// Remembers items whose records are written; `save()` makes it last.
    public func markSeen(_ keys: some Sequence<String>) {
        let now = Date().timeIntervalSince1970
        contents.withLock { contents in
            for key in keys where contents.seen[key] == nil { contents.seen[key] = now }
        }
    }

    /// Takes back `markSeen` for entries whose records were not written after all.
    public func unmarkSeen(_ keys: some Sequence<String>) {
        contents.withLock { contents in
            for key in keys { contents.seen[key] = nil }
        }
    }

    // MARK: Conditional GET

    func validators(for url: String) -> Validators? {
        contents.withLock { $0.validators[url] }
    }

    func setValidators(_ validators: Validators?, for url: String) {
        contents.withLock { $0.validators[url] = validators }
    }

    /// The next fetch of `url` is unconditional (a feed whose entries must be read again).
    public func forgetValidators(for url: String) {
        setValidators(nil, for: url)
    }

    // MARK: robots.txt

    func robots(for origin: String) -> StoredRobots? {
        contents.withLock { $0.robots[origin] }
    }

    func setRobots(_ robots: StoredRobots, for origin: String) {
        contents.withLock { $0.robots[origin] = robots }
    }

    // MARK: Drops into an inbox

    /// Files written but maybe not yet renamed into the daemon's inbox: saved with the entries they hold
    /// marked seen, so a crash between the save and the rename is finished at the next start.
    public var pendingDrops: [String] {
        get { contents.withLock { $0.pendingDrops } }
        set { contents.withLock { $0.pendingDrops = newValue } }
    }

    // MARK: Files

    /// Writes the three files; a no-op without a folder.
    public func save() throws(FetchStateError) {
        guard let folder else { return }
        let snapshot = contents.withLock { $0 }
        try Self.store(SeenFile(entries: snapshot.seen, pendingDrops: snapshot.pendingDrops), at: folder + "/seen.json")
        try Self.store(snapshot.validators, at: folder + "/validators.json")
        try Self.store(snapshot.robots, at: folder + "/robots.json")
    }

    private static func load<Value: Decodable>(_ path: String) throws(FetchStateError) -> Value? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        do {
            return try JSONDecoder().decode(Value.self, from: data)
        } catch {
            throw FetchStateError(path: path, reason: "not a state file newsflow can read (\(error)); move it away to start afresh")
        }
    }

    private static func store(_ value: some Encodable, at path: String) throws(FetchStateError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data: Data
        do {
            data = try encoder.encode(value)
        } catch {
            throw FetchStateError(path: path, reason: "cannot encode: \(error)")
        }
        let temporary = path + ".tmp"
        try writeDurably([UInt8](data), to: temporary)
        guard rename(temporary, path) == 0 else { throw .posix(path, "cannot rename into place") }
    }

    /// Writes `bytes` to a new file at `path` and fsyncs it (the caller renames it into place).
    public static func writeDurably(_ bytes: [UInt8], to path: String) throws(FetchStateError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .posix(path, "cannot create") }
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == bytes.count, synced else { throw .posix(path, "cannot write") }
    }
}

/// The state folder cannot be read or written.
public struct FetchStateError: PathFailure {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}

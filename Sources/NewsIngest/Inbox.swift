internal import NewsCore
internal import Dispatch
internal import DequeModule
internal import Foundation
public import Logging
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A file this daemon has claimed: renamed out of the inbox into its own folder under `processing/`, so no
/// other daemon can take it.
public struct InboxClaim: Sendable {
    /// The name it had in the inbox.
    public let name: String
    /// Where it is now.
    public let path: String
    /// Where it was dropped (`INBOX/name`), for records' `source.path`.
    public let droppedPath: String
    /// Processing attempts so far, this one included.
    public internal(set) var attempt: Int
    /// Identity and size when claimed: a file that changes afterwards is caught before its output is committed.
    let identity: FileIdentity
}

struct FileIdentity: Equatable, Sendable {
    var device: UInt64
    var inode: UInt64
    var size: Int
    var modifiedNanoseconds: Int

    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int(info.st_size)
        modifiedNanoseconds = Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec)
    }
}

/// When a file in the inbox counts as complete, and what happens to it afterwards.
public struct InboxOptions: Sendable {
    /// A file found by a scan (not announced by a rename or a close) is claimed once its size and
    /// modification time have not changed for this long.
    public var settleSeconds: Double = 2
    /// Full rescans of the inbox, besides the one at start and those after an inotify overflow.
    public var rescanSeconds: Double = 5
    /// Delete inputs whose output is committed instead of moving them to `done/`.
    public var deleteDone = false

    public init() {}
}

/// A drop folder watched through inotify (read by a Dispatch read source) and rescans.
///
/// - Complete files only: names starting with `.` or ending `.tmp`, `.part`, `.crdownload` are ignored;
///   a file renamed in or closed after writing is ready at once; a file found by a scan is ready when it
///   has settled. Symbolic links, folders and other special files are refused into `failed/`, never followed.
/// - `processing/ID/` holds this daemon's claims under an `flock`ed `.lock`. A daemon that dies releases
///   its lock, and any other daemon (or its own next start) adopts the files it left.
/// - `done/` receives inputs whose output is committed (or they are deleted); `failed/` the inputs that
///   could not be processed, each with `NAME.error.json` beside it.
public final class Inbox: @unchecked Sendable {
    // @unchecked: the mutable state below is touched only while `condition` is locked; inotify and the
    // timers run on `queue`.
    public let path: String
    public let daemonID: String
    public let options: InboxOptions
    private let logger: Logger
    private let processingFolder: String
    private let lockDescriptor: Int32
    private let queue = DispatchQueue(label: "newsflow.inbox")
    private var sources: [any DispatchSourceProtocol] = []

    private let condition = NSCondition()
    private var ready: Deque<String> = []
    private var readyNames: Set<String> = []
    /// Seen by a scan but not settled: size, modification time, and when they last changed.
    private var unsettled: [String: (identity: FileIdentity, since: Double)] = [:]
    /// Adopted from dead daemons or to be tried again: claimed already.
    private var reclaimed: Deque<InboxClaim> = []
    private var claimCounter = 0
    private var stopped = false

    public static let processingName = "processing"
    public static let doneName = "done"
    public static let failedName = "failed"
    private static let lockName = ".lock"

    public init(path: String, daemonID: String, options: InboxOptions, logger: Logger) throws(InputError) {
        self.path = path
        self.daemonID = daemonID
        self.options = options
        self.logger = logger
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw InputError(path: path, reason: "is not a folder")
        }
        processingFolder = path + "/" + Self.processingName + "/" + daemonID
        // The folder is made and locked under a hidden name first: other daemons adopt unlocked folders.
        let unlocked = path + "/" + Self.processingName + "/." + daemonID
        for folder in [path + "/" + Self.processingName, path + "/" + Self.doneName, path + "/" + Self.failedName, unlocked] {
            guard mkdir(folder, 0o755) == 0 || errno == EEXIST else {
                throw .posix(folder, "cannot create folder")
            }
        }
        lockDescriptor = open(unlocked + "/" + Self.lockName, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard lockDescriptor >= 0, flock(lockDescriptor, LOCK_EX | LOCK_NB) == 0, rename(unlocked, processingFolder) == 0 else {
            throw .posix(processingFolder, "cannot create and lock")
        }
    }

    deinit {
        close(lockDescriptor)
    }

    // MARK: - Watching

    /// Adopts what dead daemons left, scans, then watches: inotify events, periodic rescans, settle checks.
    public func start() throws(InputError) {
        let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { throw .posix(path, "inotify") }
        // Renamed in or closed after writing: complete. Created: a link or folder to refuse, or a file to settle.
        guard inotify_add_watch(descriptor, path, UInt32(IN_MOVED_TO | IN_CLOSE_WRITE | IN_CREATE)) >= 0 else {
            close(descriptor)
            throw .posix(path, "inotify watch")
        }
        queue.sync {
            adoptOrphans()
            scan()
        }
        let events = DispatchSource.makeReadSource(fileDescriptor: descriptor, queue: queue)
        events.setEventHandler { [unowned self] in readEvents(descriptor) }
        events.setCancelHandler { close(descriptor) }
        sources.append(events)
        sources.append(timer(every: options.rescanSeconds) { [unowned self] in
            adoptOrphans()
            scan()
        })
        sources.append(timer(every: max(0.05, options.settleSeconds / 4)) { [unowned self] in checkUnsettled() })
        for source in sources { source.resume() }
    }

    /// Stops watching and wakes a waiting `nextClaim`. This daemon's folder goes if nothing is left in it.
    public func stop() {
        queue.sync {
            for source in sources { source.cancel() }
            sources.removeAll()
        }
        if (try? FileManager.default.contentsOfDirectory(atPath: processingFolder)) == [Self.lockName] {
            unlink(processingFolder + "/" + Self.lockName)
            rmdir(processingFolder)
        }
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    private func timer(every seconds: Double, _ handler: @escaping @Sendable () -> Void) -> any DispatchSourceTimer {
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + seconds, repeating: seconds, leeway: .milliseconds(10))
        timer.setEventHandler(handler: handler)
        return timer
    }

    private func readEvents(_ descriptor: Int32) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { return }
            var offset = 0
            var names: [(name: String, complete: Bool)] = []
            var overflowed = false
            buffer.withUnsafeBytes { raw in
                while offset + MemoryLayout<inotify_event>.size <= count {
                    let event = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                    let nameStart = offset + MemoryLayout<inotify_event>.size
                    if event.mask & UInt32(IN_Q_OVERFLOW) != 0 { overflowed = true }
                    if event.len > 0 {
                        let bytes = raw[nameStart..<nameStart + Int(event.len)].prefix(while: { $0 != 0 })
                        let complete = event.mask & UInt32(IN_MOVED_TO | IN_CLOSE_WRITE) != 0
                        names.append((String(decoding: bytes, as: UTF8.self), complete))
                    }
                    offset = nameStart + Int(event.len)
                }
            }
            if overflowed {
                logger.warning("inotify queue overflowed; rescanning the inbox", metadata: ["inbox": "\(path)"])
                scan()
            }
            for (name, complete) in names where !Self.isIgnored(name) { inspect(name, announced: complete) }
        }
    }

    /// Every entry of the inbox, as if just announced (old files) or to settle (recent ones).
    private func scan() {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: path) else {
            logger.error("cannot list the inbox", metadata: ["inbox": "\(path)"])
            return
        }
        let names = entries.filter { !Self.isIgnored($0) && !Self.isOwnFolder($0) }
        // In name order, so files found together are claimed in an order that does not depend on the folder.
        for name in names.sorted() { inspect(name, announced: false) }
    }

    /// Looks at one inbox entry: refuses what is not a regular file, queues what is complete, and watches
    /// the rest until it settles.
    private func inspect(_ name: String, announced: Bool) {
        var info = stat()
        guard lstat(path + "/" + name, &info) == 0 else { return }  // gone: claimed by another daemon
        let kind = info.st_mode & S_IFMT
        guard kind == S_IFREG else {
            if !Self.isOwnFolder(name) {
                refuse(name, reason: kind == S_IFLNK ? "is a symbolic link; links in the inbox are never followed"
                    : kind == S_IFDIR ? "is a folder; drop files or archives" : "is not a regular file")
            }
            return
        }
        let identity = FileIdentity(info)
        let now = Date().timeIntervalSince1970
        condition.lock()
        defer { condition.unlock() }
        guard !readyNames.contains(name) else { return }
        let age = now - Double(identity.modifiedNanoseconds) / 1e9
        if announced || age >= options.settleSeconds {
            markReady(name)
        } else if let seen = unsettled[name], seen.identity == identity {
            return  // still settling
        } else {
            unsettled[name] = (identity, now)
        }
    }

    private func checkUnsettled() {
        condition.lock()
        let names = unsettled.keys.sorted()
        condition.unlock()
        let now = Date().timeIntervalSince1970
        for name in names {
            var info = stat()
            let exists = lstat(path + "/" + name, &info) == 0
            condition.lock()
            if !exists {
                unsettled[name] = nil
            } else if let seen = unsettled[name] {
                if seen.identity != FileIdentity(info) {
                    unsettled[name] = (FileIdentity(info), now)
                } else if now - seen.since >= options.settleSeconds {
                    markReady(name)
                }
            }
            condition.unlock()
        }
    }

    /// With `condition` locked.
    private func markReady(_ name: String) {
        unsettled[name] = nil
        guard readyNames.insert(name).inserted else { return }
        ready.append(name)
        condition.broadcast()
    }

    /// Files dropped but not yet claimed, as far as this daemon knows.
    public var backlog: Int {
        condition.lock()
        defer { condition.unlock() }
        return ready.count + unsettled.count + reclaimed.count
    }

    // MARK: - Claims

    /// The next file to process, claimed; nil after `timeout` seconds with nothing ready, or once stopped.
    public func nextClaim(timeout: Double) -> InboxClaim? {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while true {
            condition.lock()
            while ready.isEmpty, reclaimed.isEmpty, !stopped {
                if !condition.wait(until: deadline) { break }
            }
            if stopped || (ready.isEmpty && reclaimed.isEmpty) {
                condition.unlock()
                return nil
            }
            if let claim = reclaimed.popFirst() {
                condition.unlock()
                return claim
            }
            let name = ready.removeFirst()
            readyNames.remove(name)
            condition.unlock()
            let target = processingPath(for: name)
            // Fails when another daemon was first.
            if rename(path + "/" + name, target) == 0, let claim = identify(name: name, at: target, attempt: 1) { return claim }
        }
    }

    /// A new name in this daemon's folder: `000042-name`, the claim number, then the inbox name.
    private func processingPath(for name: String) -> String {
        condition.lock()
        claimCounter += 1
        let number = claimCounter
        condition.unlock()
        return processingFolder + "/" + String(format: "%06d-", number) + name
    }

    private func enqueueClaimed(_ claim: InboxClaim) {
        condition.lock()
        reclaimed.append(claim)
        condition.broadcast()
        condition.unlock()
    }

    /// The claim for a file now in this daemon's folder; refused if it is not a regular file.
    private func identify(name: String, at target: String, attempt: Int) -> InboxClaim? {
        var info = stat()
        guard lstat(target, &info) == 0 else { return nil }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            fail(at: target, name: name, sidecar: Self.sidecar(name: name, droppedPath: path + "/" + name, attempt: attempt,
                                                           reason: "is not a regular file (replaced after it was listed)"))
            return nil
        }
        return InboxClaim(name: name, path: target, droppedPath: path + "/" + name, attempt: attempt, identity: FileIdentity(info))
    }

    /// True when the claimed file is no longer what was claimed: written to, replaced or removed.
    public func hasChanged(_ claim: InboxClaim) -> Bool {
        var info = stat()
        return lstat(claim.path, &info) != 0 || FileIdentity(info) != claim.identity
    }

    /// Queues a claim to be processed again, as a new attempt with the file as it is now.
    public func retry(_ claim: InboxClaim) {
        guard let again = identify(name: claim.name, at: claim.path, attempt: claim.attempt + 1) else { return }
        enqueueClaimed(again)
    }

    /// Its output is committed: into `done/` (or deleted).
    public func finishDone(_ claim: InboxClaim) {
        if options.deleteDone {
            unlink(claim.path)
        } else {
            move(claim.path, into: path + "/" + Self.doneName, as: claim.name)
        }
    }

    /// It could not be processed: into `failed/`, with `NAME.error.json` saying what, where and why.
    public func finishFailed(_ claim: InboxClaim, sidecar: [String: any Sendable]) {
        fail(at: claim.path, name: claim.name, sidecar: sidecar)
    }

    /// A sidecar body: the input, where it was dropped, the attempt, and why it failed.
    public static func sidecar(name: String, droppedPath: String, attempt: Int, reason: String) -> [String: any Sendable] {
        ["input": name, "dropped_as": droppedPath, "attempts": attempt, "reason": reason,
         "failed_at": ISO8601DateFormatter().string(from: Date())]
    }

    private func fail(at current: String, name: String, sidecar: [String: any Sendable]) {
        let failed = path + "/" + Self.failedName
        let finalName = uniqueName(name, in: failed)
        if let json = try? JSONSerialization.data(withJSONObject: sidecar, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]) {
            let sidecarPath = failed + "/" + finalName + ".error.json"
            let temporary = failed + "/." + finalName + ".error.json.tmp"
            if FileManager.default.createFile(atPath: temporary, contents: json + Data("\n".utf8)) {
                rename(temporary, sidecarPath)
            }
        }
        move(current, into: failed, as: finalName)
        logger.warning("input failed", metadata: ["input": "\(name)", "reason": "\(sidecar["reason"] ?? "")", "moved_to": "\(failed)/\(finalName)"])
    }

    /// A refused inbox entry (a link, a folder): claimed by rename so only one daemon reports it, then failed.
    private func refuse(_ name: String, reason: String) {
        let target = processingPath(for: name)
        guard rename(path + "/" + name, target) == 0 else { return }
        fail(at: target, name: name, sidecar: Self.sidecar(name: name, droppedPath: path + "/" + name, attempt: 1, reason: reason))
    }

    /// Moves without replacing: a name already taken in `folder` gets a number (`a.html` → `a-2.html`).
    private func move(_ source: String, into folder: String, as name: String) {
        let target = folder + "/" + uniqueName(name, in: folder)
        if rename(source, target) != 0 {
            logger.error("cannot move", metadata: ["from": "\(source)", "to": "\(target)", "reason": "\(String(cString: strerror(errno)))"])
        }
    }

    private func uniqueName(_ name: String, in folder: String) -> String {
        var info = stat()
        guard lstat(folder + "/" + name, &info) == 0 else { return name }
        let dot = name.lastIndex(of: ".").flatMap { $0 == name.startIndex ? nil : $0 }
        let stem = dot.map { String(name[..<$0]) } ?? name
        let suffix = dot.map { String(name[$0...]) } ?? ""
        var number = 2
        while lstat(folder + "/" + stem + "-\(number)" + suffix, &info) == 0 { number += 1 }
        return stem + "-\(number)" + suffix
    }

    // MARK: - Recovery

    /// Takes over the claims of daemons that died: their `processing/ID/.lock` is no longer held.
    private func adoptOrphans() {
        let processing = path + "/" + Self.processingName
        guard let folders = try? FileManager.default.contentsOfDirectory(atPath: processing) else { return }
        for folder in folders where folder != daemonID && !folder.hasPrefix(".") {
            let orphan = processing + "/" + folder
            let lock = open(orphan + "/" + Self.lockName, O_RDWR | O_CLOEXEC)
            guard lock >= 0 else { continue }
            defer { close(lock) }
            guard flock(lock, LOCK_EX | LOCK_NB) == 0 else { continue }  // its daemon is alive
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: orphan)) ?? []).filter { $0 != Self.lockName }.sorted()
            for file in files {
                // `000042-name`: the claim number the dead daemon gave it, then the inbox name.
                let name = file.firstIndex(of: "-").map { String(file[file.index(after: $0)...]) } ?? file
                let target = processingPath(for: name)
                guard rename(orphan + "/" + file, target) == 0, let claim = identify(name: name, at: target, attempt: 1) else { continue }
                enqueueClaimed(claim)
                logger.info("adopted a claim left by a stopped daemon", metadata: ["input": "\(name)", "from": "\(folder)"])
            }
            unlink(orphan + "/" + Self.lockName)
            rmdir(orphan)
        }
    }

    // MARK: - Names

    static func isIgnored(_ name: String) -> Bool {
        name.hasPrefix(".") || name.hasSuffix(".tmp") || name.hasSuffix(".part") || name.hasSuffix(".crdownload")
    }

    private static func isOwnFolder(_ name: String) -> Bool {
        name == processingName || name == doneName || name == failedName
    }
}

public import NewsCore
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Output could not be written or committed.
public struct EmitError: PathFailure {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}

/// A file that appears under its final name only when complete: written to a hidden temporary name in the
/// same folder, flushed and fsync'd, then renamed into place and the folder fsync'd. A reader never sees a
/// half-written file, and a crash leaves only the temporary.
final class AtomicFile {
    let finalPath: String
    let temporaryPath: String
    private var file: UnsafeMutablePointer<FILE>?
    private(set) var linesWritten = 0
    /// Bytes written, and how many of them the kernel has been asked to start writing back.
    private var bytesWritten = 0
    private var bytesHandedToWriteback = 0
    /// Dirty pages are handed to the kernel's writeback every this many bytes, so the fsync in `commit`
    /// waits for the last few megabytes instead of the whole part (tens of milliseconds during which the
    /// writer, and through the in-flight window every worker, would stand still).
    static let writebackChunk = 4 << 20

    init(path: String) throws(EmitError) {
        finalPath = path
        let (folder, name) = splitPath(path)
        temporaryPath = folder + "/." + name + ".\(getpid()).tmp"
        guard let file = fopen(temporaryPath, "w") else { throw .posix(temporaryPath, "cannot create") }
        self.file = file
    }

    func writeLine(_ line: [UInt8]) throws(EmitError) {
        guard let file else { throw EmitError(path: finalPath, reason: "write after commit") }
        let written = line.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        guard written == line.count, fputc(0x0A, file) != EOF else { throw .posix(temporaryPath, "write failed") }
        linesWritten += 1
        bytesWritten += line.count + 1
        if bytesWritten - bytesHandedToWriteback >= Self.writebackChunk { try startWriteback(file) }
    }

    /// Flushes the stream and asks the kernel to start writing the new bytes to disk without waiting for
    /// them: on Linux, POSIX_FADV_DONTNEED starts writeback of a range's dirty pages (`sync_file_range`,
    /// which says so plainly, is not in Swift's Glibc module). Advice is only advice, so its result is
    /// ignored: `commit`'s fsync still makes the file durable.
    private func startWriteback(_ file: UnsafeMutablePointer<FILE>) throws(EmitError) {
        guard fflush(file) == 0 else { throw .posix(temporaryPath, "flush failed") }
        _ = posix_fadvise(fileno(file), off_t(bytesHandedToWriteback), off_t(bytesWritten - bytesHandedToWriteback), POSIX_FADV_DONTNEED)
        bytesHandedToWriteback = bytesWritten
    }

    /// Flushes, syncs and renames into place.
    func commit() throws(EmitError) {
        guard let file else { return }
        self.file = nil
        guard fflush(file) == 0 else { throw .posix(temporaryPath, "flush failed") }
        guard fsync(fileno(file)) == 0 else { throw .posix(temporaryPath, "fsync failed") }
        fclose(file)
        guard rename(temporaryPath, finalPath) == 0 else { throw .posix(finalPath, "rename failed") }
        syncFolder(of: finalPath)
    }

    /// Drops the temporary file; nothing appears under the final name.
    func abandon() {
        if let file { fclose(file) }
        file = nil
        unlink(temporaryPath)
    }

    deinit {
        if file != nil { abandon() }
    }
}

func splitPath(_ path: String) -> (folder: String, name: String) {
    guard let slash = path.lastIndex(of: "/") else { return (".", path) }
    let folder = String(path[..<slash])
    return (folder.isEmpty ? "/" : folder, String(path[path.index(after: slash)...]))
}

/// Makes a rename durable: fsync the folder that holds the entry.
func syncFolder(of path: String) {
    let descriptor = open(splitPath(path).folder, O_RDONLY)
    if descriptor >= 0 {
        fsync(descriptor)
        close(descriptor)
    }
}

/// A file that grows by appending, synced on demand: `errors.jsonl` of a checkpointed folder. Opening it
/// cuts it back to the bytes a checkpoint committed.
final class AppendFile {
    let path: String
    private let file: UnsafeMutablePointer<FILE>
    private(set) var size: Int

    init(path: String, keepingBytes: Int) throws(EmitError) {
        self.path = path
        let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .posix(path, "cannot open") }
        var info = stat()
        guard fstat(descriptor, &info) == 0, Int(info.st_size) >= keepingBytes else {
            close(descriptor)
            throw EmitError(path: path, reason: "is shorter than the last checkpoint recorded; run without --resume to start over")
        }
        guard ftruncate(descriptor, off_t(keepingBytes)) == 0, lseek(descriptor, 0, SEEK_END) >= 0,
            let file = fdopen(descriptor, "a")
        else {
            close(descriptor)
            throw .posix(path, "cannot open for appending")
        }
        self.file = file
        size = keepingBytes
    }

    func writeLine(_ line: String) throws(EmitError) {
        var bytes = Array(line.utf8)
        bytes.append(0x0A)
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        guard written == bytes.count else { throw .posix(path, "write failed") }
        size += bytes.count
    }

    func sync() throws(EmitError) {
        guard fflush(file) == 0 else { throw .posix(path, "flush failed") }
        guard fsync(fileno(file)) == 0 else { throw .posix(path, "fsync failed") }
    }

    deinit {
        fclose(file)
    }
}

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

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

/// The sink of a run: takes record lines and error lines in order, commits files when done.
/// Not thread-safe: the runtime calls it from its single ordered writer.
public final class RecordOutput {
    public let target: OutputTarget
    private let rotateAfterRecords: Int
    private var part: AtomicFile?
    private var partNumber = 0
    private var errors: AtomicFile?
    private let standardOutput = DescriptorWriter(descriptor: STDOUT_FILENO, name: "stdout")
    private let standardError = DescriptorWriter(descriptor: STDERR_FILENO, name: "stderr")

    public init(target: OutputTarget, rotateAfterRecords: Int = 10_000) throws(EmitError) {
        self.target = target
        self.rotateAfterRecords = max(1, rotateAfterRecords)
        switch target {
        case .standardOutput:
            break
        case .file(let path):
            try Self.makeFolder(splitPath(path).folder)
            part = try AtomicFile(path: path)
            errors = try AtomicFile(path: splitPath(path).folder + "/errors.jsonl")
        case .folder(let path):
            try Self.makeFolder(path)
            try Self.removeStaleParts(in: path)
            errors = try AtomicFile(path: path + "/errors.jsonl")
        }
    }

    public func writeRecord(_ line: String) throws(EmitError) {
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
            if let current = part, current.linesWritten >= rotateAfterRecords {
                try current.commit()
                part = nil
            }
        }
    }

    public func writeError(_ line: String) throws(EmitError) {
        if let errors {
            try errors.writeLine(line)
        } else {
            try standardError.writeLine(line)
            try standardError.flush()
        }
    }

    /// Commits every open file. After this, the output is complete on disk.
    public func finish() throws(EmitError) {
        try standardOutput.flush()
        for file in [part, errors].compactMap({ $0 }) {
            try file.commit()
        }
        part = nil
        errors = nil
    }

    public static func partName(_ number: Int) -> String {
        let digits = String(number)
        return "part-" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits + ".jsonl"
    }


    private static func makeFolder(_ path: String) throws(EmitError) {
        var info = stat()
        if stat(path, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else { throw EmitError(path: path, reason: "exists and is not a folder") }
            return
        }
        let parent = splitPath(path).folder
        if parent != path, parent != "." , parent != "/" { try makeFolder(parent) }
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else { throw .posix(path, "cannot create folder") }
    }

    /// A new run into a folder replaces the previous run's part files.
    private static func removeStaleParts(in folder: String) throws(EmitError) {
        guard let directory = opendir(folder) else { throw .posix(folder, "cannot open folder") }
        defer { closedir(directory) }
        var stale: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name.hasPrefix("part-"), name.hasSuffix(".jsonl") { stale.append(name) }
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

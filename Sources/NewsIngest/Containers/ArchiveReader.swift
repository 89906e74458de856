internal import CLibArchive
internal import NewsCore

/// An archive read entry by entry through libarchive: tar (with any compression libarchive knows: gzip,
/// bzip2, xz, zstd, lz4…), zip, 7z, and a lone compressed stream (`page.html.gz`, `crawl.warc.gz`), which
/// libarchive's `raw` format presents as one entry. Nothing is unpacked to disk: each entry's data is read
/// as a stream (`ByteStream`) and the next `nextEntry()` skips whatever of it was not read.
final class ArchiveReader: ByteStream {
    struct Entry {
        /// The path the archive gives; untrusted (`../x`, `/etc/x`).
        var path: String
        var isRegularFile: Bool
        /// Uncompressed size, when the archive header states it.
        var size: Int?
    }

    private let archive: OpaquePointer
    /// Keeps a callback source alive while libarchive reads from it.
    private var callbackSource: CallbackSource?
    /// Decompressed bytes read through this reader count against the input's budget.
    private let budget: ByteBudget
    /// After a fatal error libarchive refuses every further call.
    private(set) var hasFailed = false

    /// Opens a file: seekable, so zip's central directory and 7z work.
    init(path: String, budget: ByteBudget) throws(StageError) {
        archive = Self.newArchive()
        self.budget = budget
        try check(archive_read_open_filename(archive, path, 1 << 16), "cannot open archive")
    }

    /// Reads an archive from a stream (stdin, a member of another archive): streamable formats only.
    init(stream: any ByteStream, budget: ByteBudget) throws(StageError) {
        archive = Self.newArchive()
        self.budget = budget
        let source = CallbackSource(stream: stream)
        callbackSource = source
        let status = archive_read_open(
            archive, Unmanaged.passUnretained(source).toOpaque(), nil,
            { archive, client, buffer -> la_ssize_t in
                let source = Unmanaged<CallbackSource>.fromOpaque(client!).takeUnretainedValue()
                do throws(StageError) {
                    let count = try source.stream.read(into: source.block)
                    buffer?.pointee = UnsafeRawPointer(source.block.baseAddress)
                    return la_ssize_t(count)
                } catch {
                    source.failure = error
                    CLibArchive_setError(archive, error.message)
                    return -1
                }
            }, nil)
        try check(status, "cannot open archive")
    }

    private static func newArchive() -> OpaquePointer {
        let archive = archive_read_new()!
        archive_read_support_filter_all(archive)
        archive_read_support_format_tar(archive)
        archive_read_support_format_zip(archive)
        archive_read_support_format_7zip(archive)
        // A lone compressed stream: the format no archive format claims.
        archive_read_support_format_raw(archive)
        return archive
    }

    deinit {
        archive_read_free(archive)
    }

    /// True when the input is a single compressed stream rather than an archive of members.
    var isSingleStream: Bool { archive_format(archive) == ARCHIVE_FORMAT_RAW }

    /// Compressed bytes consumed from the underlying file so far, for progress.
    var compressedBytesRead: Int { Int(archive_filter_bytes(archive, -1)) }

    /// The next entry, nil at the end. A damaged entry header fails the archive: its members cannot be
    /// found any more.
    func nextEntry() throws(StageError) -> Entry? {
        var entry: OpaquePointer?
        let status = archive_read_next_header(archive, &entry)
        if status == ARCHIVE_EOF { return nil }
        if status < ARCHIVE_WARN {
            hasFailed = true
            throw failure("cannot read the next member")
        }
        guard let entry else { return nil }
        let path = archive_entry_pathname_utf8(entry) ?? archive_entry_pathname(entry)
        return Entry(
            path: path.map { String(cString: $0) } ?? "",
            isRegularFile: archive_entry_filetype(entry) == CLibArchive_regularFile(),
            size: archive_entry_size_is_set(entry) != 0 ? Int(archive_entry_size(entry)) : nil)
    }

    /// Reads the current entry's data.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(StageError) -> Int {
        let count = archive_read_data(archive, buffer.baseAddress, buffer.count)
        if count < 0 {
            hasFailed = hasFailed || count == la_ssize_t(ARCHIVE_FATAL)
            throw failure("cannot read member data")
        }
        try budget.consume(count)
        return count
    }

    private func check(_ status: Int32, _ what: String) throws(StageError) {
        if status < ARCHIVE_WARN {
            hasFailed = true
            throw failure(what)
        }
    }

    private func failure(_ what: String) -> StageError {
        // A failure of the stream under the archive (the outer archive of a nested one) keeps its own code.
        if let underlying = callbackSource?.failure { return underlying }
        let detail = archive_error_string(archive).map { String(cString: $0) } ?? "unknown error"
        return StageError(stage: "read", code: .corruptArchive, message: "\(what): \(detail)")
    }
}

/// What libarchive's read callback reads from: a stream and the block it hands back.
private final class CallbackSource {
    let stream: any ByteStream
    let block = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
    var failure: StageError?

    init(stream: any ByteStream) {
        self.stream = stream
    }

    deinit {
        block.deallocate()
    }
}

/// Decompressed bytes one input may expand to, shared by every reader of that input (nested archives
/// included): a small archive that inflates to terabytes stops at the limit.
final class ByteBudget {
    let limit: Int
    private(set) var used = 0

    init(limit: Int) {
        self.limit = limit
    }

    var isExhausted: Bool { used > limit }

    func consume(_ count: Int) throws(StageError) {
        used += count
        if used > limit {
            throw StageError(
                stage: "read", code: .limitExceeded,
                message: "expands past \(limit) bytes (read.max_archive_bytes); the rest is not read")
        }
    }
}

public import NewsCore

/// One item read from an input, before any stage has looked at its content.
public enum IngestedItem: Sendable {
    /// A document: a file, an archive member, a WARC response.
    case article(RawArticle)
    /// A JSON Lines row, still JSON: the `read` stage parses it on a worker.
    case row(RawArticle)
    /// Something that could not be read; it becomes an error record in its place.
    case failed(SourceRef, StageError)
}

/// Limits that keep a hostile input harmless.
public struct IngestLimits: Sendable {
    /// Largest document (file, member, WARC record block, JSON Lines row).
    public var maxArticleBytes: Int
    /// Most bytes one input may expand to, nested archives included.
    public var maxArchiveBytes: Int
    /// Archives inside archives are followed this deep and no deeper.
    public static let maxNesting = 1

    public init(maxArticleBytes: Int, maxArchiveBytes: Int) {
        self.maxArticleBytes = maxArticleBytes
        self.maxArchiveBytes = maxArchiveBytes
    }
}

/// WARC records read but not turned into articles, by reason; the run summary reports them.
public struct SkipCounts: Sendable, Equatable {
    /// Responses whose content type is not HTML or plain text (images, scripts, PDFs).
    public var nonHTML = 0
    /// Responses whose status is not 2xx (redirects, not found).
    public var status = 0
    /// Revisit records: the crawler saw the same payload again and stored none.
    public var revisit = 0

    public init() {}

    public var total: Int { nonHTML + status + revisit }
}

/// Turns one command-line input into the items inside it, streaming: a plain file is one item; an archive
/// (tar in any compression, zip, 7z) gives its members, a WARC its response records, a JSON Lines dump its
/// rows, and a compressed file what it holds. Archives inside an archive are opened one level deep.
///
/// Whatever cannot be read becomes a `.failed` item where it happened, and reading goes on wherever the
/// format allows: after a bad member, with the next member; after a truncated or corrupt stream, nothing
/// more of that input (every item before it was already emitted).
public final class InputUnpacker {
    /// Called with each item in input order; returning false stops reading.
    public typealias Emit = (IngestedItem) -> Bool

    public let limits: IngestLimits
    public private(set) var skipped = SkipCounts()
    /// Called after each item with how many bytes of the current input (as stored, compressed) are consumed.
    public var onProgress: ((Int) -> Void)?

    private var emitItem: Emit = { _ in true }
    private var stopped = false
    private var consumed: () -> Int = { 0 }
    private var budget = ByteBudget(limit: 0)

    public init(limits: IngestLimits) {
        self.limits = limits
    }

    /// Reads `input` to its end, or until `emit` returns false; returns false in that case. Items name
    /// `reportedPath` as their source when given (a claimed file reports where it was dropped).
    public func unpack(_ input: InputItem, reportedPath: String? = nil, emit: @escaping Emit) -> Bool {
        emitItem = emit
        defer { emitItem = { _ in true } }  // `emit` is not kept past the call
        stopped = false
        budget = ByteBudget(limit: limits.maxArchiveBytes)
        let source: SourceRef
        switch input {
        case .standardInput:
            source = SourceRef(path: "-")
            let standardInput = DescriptorStream(descriptor: 0)
            consumed = { standardInput.bytesRead }
            read(BufferedStream(standardInput), name: "-", source: source, depth: 0)
        case .file(let path):
            source = SourceRef(path: reportedPath ?? path)
            do throws(StageError) {
                let file = try DescriptorStream(path: path)
                consumed = { file.bytesRead }
                let stream = BufferedStream(file)
                if try Container(head: stream.peek(Container.sniffLength), name: path) == .archive {
                    // Reopened by libarchive itself, which can seek: zip's central directory, 7z.
                    let archive = try ArchiveReader(path: path, budget: budget)
                    consumed = { archive.compressedBytesRead }
                    readArchive(archive, source: source, memberPrefix: "", name: path, depth: 0)
                } else {
                    read(stream, name: path, source: source, depth: 0)
                }
            } catch {
                fail(source, error)
            }
        }
        return !stopped
    }

    // MARK: - Containers

    /// Reads a stream whose kind is told by its first bytes and its name.
    private func read(_ stream: BufferedStream, name: String, source: SourceRef, depth: Int) {
        do throws(StageError) {
            try read(stream, as: Container(head: stream.peek(Container.sniffLength), name: name), name: name, source: source, depth: depth)
        } catch {
            fail(source, error)
        }
    }

    private func read(_ stream: BufferedStream, as kind: Container, name: String, source: SourceRef, depth: Int) throws(StageError) {
        switch kind {
        case .archive:
            readArchive(try ArchiveReader(stream: stream, budget: budget), source: source,
                        memberPrefix: source.member.map { $0 + "!/" } ?? "", name: name, depth: depth)
        case .warc:
            readWARC(stream, source: source)
        case .jsonLines:
            readRows(stream, source: source)
        case .document:
            let (bytes, length) = try stream.readToEnd(limit: limits.maxArticleBytes)
            guard let bytes else { return fail(source, tooLarge(length)) }
            emit(.article(RawArticle(source: source, bytes: bytes, formatHint: ContentFormat(pathExtension: Container.strippingCompression(name)))))
        }
    }

    private func readArchive(_ archive: ArchiveReader, source: SourceRef, memberPrefix: String, name: String, depth: Int) {
        while !stopped, !archive.hasFailed, !budget.isExhausted {
            let entry: ArchiveReader.Entry
            do throws(StageError) {
                guard let next = try archive.nextEntry() else { return }
                entry = next
            } catch {
                return fail(source, error)
            }
            guard entry.isRegularFile else { continue }  // folders, links, devices: nothing to read
            if archive.isSingleStream {
                // `x.html.gz`, `crawl.warc.gz`: the decompressed stream is the content, under the same source.
                read(BufferedStream(archive), name: Container.strippingCompression(name), source: source, depth: depth)
                continue
            }
            var member = source
            member.member = memberPrefix + entry.path
            guard !Container.escapesRoot(entry.path) else {
                fail(member, StageError(
                    stage: "read", code: .unsafePath,
                    message: "member path \"\(entry.path)\" points outside the archive; not read"))
                continue
            }
            readMember(archive, entry: entry, source: member, depth: depth)
        }
    }

    private func readMember(_ archive: ArchiveReader, entry: ArchiveReader.Entry, source: SourceRef, depth: Int) {
        do throws(StageError) {
            let stream = BufferedStream(archive)
            let kind = try Container(head: stream.peek(Container.sniffLength), name: entry.path)
            if kind == .document {
                if let size = entry.size, size > limits.maxArticleBytes { return fail(source, tooLarge(size)) }
                return try read(stream, as: kind, name: entry.path, source: source, depth: depth)
            }
            guard depth < IngestLimits.maxNesting else {
                return fail(source, StageError(
                    stage: "read", code: .limitExceeded,
                    message: "an archive inside an archive inside an archive; nesting is followed one level deep"))
            }
            try read(stream, as: kind, name: entry.path, source: source, depth: depth + 1)
        } catch {
            fail(source, error)
        }
    }

    private func readWARC(_ stream: BufferedStream, source: SourceRef) {
        let reader = WARCReader(stream: stream, maxBlockBytes: limits.maxArticleBytes)
        while !stopped {
            let record: WARCReader.Record
            do throws(StageError) {
                guard let next = try reader.next() else { return }
                record = next
            } catch {
                return fail(source, error)
            }
            var recordSource = source
            recordSource.record = record.id
            recordSource.url = record.targetURI
            recordSource.fetched = record.date
            switch record.type {
            case "response", "resource":
                guard let block = record.block else {
                    fail(recordSource, tooLarge(record.length))
                    continue
                }
                do throws(StageError) {
                    if let article = try warcDocument(record, block: block, source: recordSource) { emit(.article(article)) }
                } catch {
                    fail(recordSource, error)
                }
            case "revisit":
                skipped.revisit += 1
            default:
                continue  // warcinfo, request, metadata, conversion: no document of their own
            }
        }
    }

    /// The document a response or resource record holds; nil when it is skipped (not 2xx, not HTML or text).
    private func warcDocument(_ record: WARCReader.Record, block: [UInt8], source: SourceRef) throws(StageError) -> RawArticle? {
        guard record.type == "response" else {
            // A resource record's block is the document itself, typed by the record's Content-Type.
            let mediaType = record.headers["content-type"].map(HTTPResponse.mediaType)
            guard let format = Self.articleFormat(mediaType) else {
                skipped.nonHTML += 1
                return nil
            }
            return RawArticle(source: source, bytes: block, formatHint: format,
                              declaredCharset: record.headers["content-type"].flatMap(HTTPResponse.charset))
        }
        guard let response = HTTPResponse(block) else {
            throw StageError(stage: "read", code: .malformedRecord, message: "WARC response without an HTTP status line")
        }
        guard (200..<300).contains(response.status) else {
            skipped.status += 1
            return nil
        }
        guard let format = Self.articleFormat(response.mediaType) else {
            skipped.nonHTML += 1
            return nil
        }
        guard var body = response.dechunkedBody() else {
            throw StageError(stage: "read", code: .malformedRecord, message: "malformed chunked Transfer-Encoding")
        }
        switch response.headers["content-encoding"]?.lowercased() {
        case nil, "identity", "":
            break
        case "gzip", "x-gzip":
            body = try decompress(body)
        case let other?:
            throw StageError(stage: "read", code: .malformedRecord, message: "unsupported Content-Encoding \"\(other)\"")
        }
        return RawArticle(source: source, bytes: body, formatHint: format, declaredCharset: response.charset)
    }

    /// The format a media type promises; nil for media that is not an article. No type at all is sniffed.
    private static func articleFormat(_ mediaType: String?) -> ContentFormat?? {
        switch mediaType {
        case nil: return .some(nil)
        case "text/html", "application/xhtml+xml": return .html
        case "text/plain": return .text
        default: return nil
        }
    }

    /// A gzip-encoded HTTP payload, inflated up to the article limit.
    private func decompress(_ body: [UInt8]) throws(StageError) -> [UInt8] {
        let archive = try ArchiveReader(stream: MemoryStream(body), budget: ByteBudget(limit: limits.maxArticleBytes))
        guard try archive.nextEntry() != nil else { return [] }
        let (bytes, length) = try BufferedStream(archive).readToEnd(limit: limits.maxArticleBytes)
        guard let bytes else { throw tooLarge(length) }
        return bytes
    }

    private func readRows(_ stream: BufferedStream, source: SourceRef) {
        var lineNumber = 0
        while !stopped {
            var rowSource = source
            rowSource.line = lineNumber + 1
            do throws(StageError) {
                guard let line = try stream.readLine(limit: limits.maxArticleBytes) else { return }
                lineNumber += 1
                switch line {
                case .line(let bytes):
                    if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                    emit(.row(RawArticle(source: rowSource, bytes: bytes)))
                case .tooLong(let length):
                    fail(rowSource, tooLarge(length))
                }
            } catch {
                return fail(rowSource, error)
            }
        }
    }

    // MARK: - Emitting

    private func emit(_ item: IngestedItem) {
        guard !stopped else { return }
        if !emitItem(item) { stopped = true }
        onProgress?(consumed())
    }

    private func fail(_ source: SourceRef, _ error: StageError) {
        emit(.failed(source, error))
    }

    private func tooLarge(_ size: Int) -> StageError {
        StageError(
            stage: "read", code: .tooLarge, message: "\(size) bytes, over the limit of \(limits.maxArticleBytes) (read.max_bytes)")
    }
}

/// What a stream holds, told by its first bytes and, for JSON Lines, its name.
enum Container: Equatable {
    case archive
    case warc
    case jsonLines
    case document

    static let sniffLength = 512

    init(head: ArraySlice<UInt8>, name: String) {
        let bytes = Array(head.prefix(Self.sniffLength))
        func starts(_ signature: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + signature.count && Array(bytes[offset..<offset + signature.count]) == signature
        }
        let signatures: [[UInt8]] = [
            [0x1F, 0x8B],  // gzip
            Array("BZh".utf8),  // bzip2
            [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00],  // xz
            [0x28, 0xB5, 0x2F, 0xFD],  // zstd
            [0x04, 0x22, 0x4D, 0x18],  // lz4
            [0x50, 0x4B, 0x03, 0x04], [0x50, 0x4B, 0x05, 0x06],  // zip, empty zip
            [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C],  // 7z
        ]
        if signatures.contains(where: { starts($0) }) || starts(Array("ustar".utf8), at: 257) {
            self = .archive
        } else if starts(Array("WARC/".utf8)) {
            self = .warc
        } else {
            let plain = Self.strippingCompression(name).lowercased()
            self = plain.hasSuffix(".jsonl") || plain.hasSuffix(".ndjson") ? .jsonLines : .document
        }
    }

    /// `a.html.gz` → `a.html`: the name of what a compressed file holds.
    static func strippingCompression(_ name: String) -> String {
        for suffix in [".gz", ".bz2", ".xz", ".zst", ".lz4", ".tgz"] where name.lowercased().hasSuffix(suffix) {
            return String(name.dropLast(suffix.count)) + (suffix == ".tgz" ? ".tar" : "")
        }
        return name
    }

    /// A member path that would land outside the folder an archive is unpacked into.
    static func escapesRoot(_ path: String) -> Bool {
        path.hasPrefix("/") || path.hasPrefix("\\") || path.split(whereSeparator: { $0 == "/" || $0 == "\\" }).contains("..")
            || (path.count >= 2 && path.dropFirst().first == ":")  // C:\…
    }
}

/// Bytes already in memory, as a stream.
final class MemoryStream: ByteStream {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(StageError) -> Int {
        let count = min(buffer.count, bytes.count - offset)
        bytes.withUnsafeBytes { raw in
            buffer.baseAddress!.copyMemory(from: raw.baseAddress! + offset, byteCount: count)
        }
        offset += count
        return count
    }
}

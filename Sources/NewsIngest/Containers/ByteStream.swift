#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif
internal import NewsCore

/// Bytes read front to back: a file, stdin, an archive member's data.
protocol ByteStream: AnyObject {
    /// Reads up to `buffer.count` bytes; 0 at the end of the stream.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(StageError) -> Int
}

/// A file descriptor read with read(2).
final class DescriptorStream: ByteStream {
    let descriptor: Int32
    private(set) var bytesRead = 0
    private let ownsDescriptor: Bool

    /// Opens `path` for reading.
    init(path: String) throws(StageError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw StageError(stage: "read", code: .unreadable, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        self.descriptor = descriptor
        self.ownsDescriptor = true
    }

    /// Reads an already open descriptor (stdin), which stays open.
    init(descriptor: Int32) {
        self.descriptor = descriptor
        self.ownsDescriptor = false
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(StageError) -> Int {
        while true {
            let count = systemRead(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 {
                bytesRead += count
                return count
            }
            if errno == EINTR { continue }
            throw StageError(stage: "read", code: .unreadable, message: "read failed: \(String(cString: strerror(errno)))")
        }
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }
}

#if canImport(Glibc)
private let systemRead = Glibc.read
#elseif canImport(Darwin)
private let systemRead = Darwin.read
#endif

/// A buffer over a stream for the readers that need to look ahead or split: sniffing the first bytes,
/// WARC header lines, JSON Lines rows, a record block of known length.
final class BufferedStream: ByteStream {
    private let base: any ByteStream
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    /// How much the next fill asks for: 4 KB first, doubling up to 64 KB. Most archive members are one small
    /// article, and each fill zeroes its room before reading into it.
    private var chunk = 1 << 12
    private static let largestChunk = 1 << 16

    init(_ base: any ByteStream) {
        self.base = base
    }

    /// Bytes buffered but not yet consumed.
    private var available: Int { buffer.count - start }

    /// Reads more from the base stream; false at its end.
    private func fill() throws(StageError) -> Bool {
        guard !atEnd else { return false }
        if start > 0, start >= buffer.count / 2 {
            buffer.removeFirst(start)
            start = 0
        }
        let old = buffer.count
        let chunk = self.chunk
        self.chunk = min(chunk * 2, Self.largestChunk)
        buffer.append(contentsOf: repeatElement(0, count: chunk))
        var result: Result<Int, StageError> = .success(0)
        buffer.withUnsafeMutableBytes { raw in
            result = Result { () throws(StageError) in try base.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[old...])) }
        }
        let count = try result.get()
        buffer.removeLast(chunk - count)
        if count == 0 { atEnd = true }
        return count > 0
    }

    /// Up to `count` bytes from the current position, without consuming them.
    func peek(_ count: Int) throws(StageError) -> ArraySlice<UInt8> {
        while available < count, try fill() {}
        return buffer[start..<min(buffer.count, start + count)]
    }

    /// The next line without its `\n` (and `\r`), nil at the end. A line longer than `limit` is consumed and
    /// returned as `.tooLong` with its length, so one huge line cannot take the memory.
    func readLine(limit: Int) throws(StageError) -> Line? {
        var discarded = 0
        var scanned = 0
        while true {
            if let newline = buffer[(start + scanned)...].firstIndex(of: 0x0A) {
                defer { start = newline + 1 }
                return line(buffer[start..<newline], discarded: discarded, limit: limit)
            }
            if discarded > 0 || available > limit {
                discarded += available
                start = buffer.count
            }
            scanned = available
            guard try fill() else {
                if available == 0 && discarded == 0 { return nil }
                defer { start = buffer.count }
                return line(buffer[start...], discarded: discarded, limit: limit)
            }
        }
    }

    private func line(_ bytes: ArraySlice<UInt8>, discarded: Int, limit: Int) -> Line {
        let length = discarded + bytes.count
        guard length <= limit else { return .tooLong(length) }
        return .line(Array(bytes.last == 0x0D ? bytes.dropLast() : bytes))
    }

    enum Line {
        case line([UInt8])
        case tooLong(Int)
    }

    /// Exactly `count` bytes; a stream that ends first is truncated.
    func read(exactly count: Int) throws(StageError) -> [UInt8] {
        while available < count {
            guard try fill() else { throw Self.truncated(expected: count, got: available) }
        }
        defer { start += count }
        return Array(buffer[start..<start + count])
    }

    /// Consumes `count` bytes without keeping them.
    func skip(_ count: Int) throws(StageError) {
        var remaining = count
        while remaining > 0 {
            if available == 0, !(try fill()) { throw Self.truncated(expected: count, got: count - remaining) }
            let step = min(remaining, available)
            start += step
            remaining -= step
        }
    }

    /// Everything up to the end, or nil (after consuming it all) when it is longer than `limit`.
    func readToEnd(limit: Int) throws(StageError) -> (bytes: [UInt8]?, length: Int) {
        var discarded = 0
        repeat {
            if discarded > 0 || available > limit {
                discarded += available
                start = buffer.count
            }
        } while try fill()
        if discarded > 0 { return (nil, discarded) }
        defer { start = buffer.count }
        return (Array(buffer[start...]), available)
    }

    func read(into target: UnsafeMutableRawBufferPointer) throws(StageError) -> Int {
        if available == 0, !(try fill()) { return 0 }
        let count = min(target.count, available)
        buffer.withUnsafeBytes { raw in
            target.baseAddress!.copyMemory(from: raw.baseAddress! + start, byteCount: count)
        }
        start += count
        return count
    }

    private static func truncated(expected: Int, got: Int) -> StageError {
        StageError(stage: "read", code: .corruptArchive, message: "stream ends after \(got) of \(expected) expected bytes")
    }
}

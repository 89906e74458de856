internal import CBrotli
internal import CZlib

/// Undoes a `Content-Encoding` chunk by chunk, so the size limit applies to the decoded bytes as they grow
/// (a 1 MB gzip bomb is stopped at the limit, not after it expands to 1 GB).
final class ContentDecoder {
    enum Failure: Error, Sendable {
        case unsupported(String)
        case corrupt(String)
    }

    private enum Engine {
        case identity
        case zlib(UnsafeMutablePointer<z_stream>)
        case brotli(OpaquePointer)
    }

    private let engine: Engine
    private let encoding: String
    /// zlib saw the end of its stream (a body cut short never does).
    private var ended = false

    /// `encoding` is the `Content-Encoding` header's value (`gzip`, `x-gzip`, `deflate`, `br`, `identity`).
    init(encoding: String) throws(Failure) {
        self.encoding = encoding
        switch encoding {
        case "", "identity":
            engine = .identity
        case "gzip", "x-gzip", "deflate":
            engine = .zlib(try Self.makeInflater(windowBits: 15 + 32))
        case "br":
            guard let state = BrotliDecoderCreateInstance(nil, nil, nil) else { throw .corrupt("brotli: out of memory") }
            engine = .brotli(state)
        default:
            throw .unsupported(encoding)
        }
    }

    deinit {
        switch engine {
        case .identity: break
        case .zlib(let stream):
            inflateEnd(stream)
            stream.deallocate()
        case .brotli(let state):
            BrotliDecoderDestroyInstance(state)
        }
    }

    private static func makeInflater(windowBits: Int32) throws(Failure) -> UnsafeMutablePointer<z_stream> {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        guard CZlib_inflateInit2(stream, windowBits) == Z_OK else {
            stream.deallocate()
            throw .corrupt("zlib: cannot initialise")
        }
        return stream
    }

    /// Appends the decoding of `input` to `output`; returns false when `output` would pass `limit` bytes
    /// (what fits is appended).
    func decode(_ input: UnsafeRawBufferPointer, into output: inout [UInt8], limit: Int) throws(Failure) -> Bool {
        switch engine {
        case .identity:
            let room = max(0, limit - output.count)
            output.append(contentsOf: input.prefix(room))
            return input.count <= room
        case .zlib(let stream):
            return try inflate(stream, input, into: &output, limit: limit)
        case .brotli(let state):
            return try unbrotli(state, input, into: &output, limit: limit)
        }
    }

    /// Throws when the stream stopped before its end: a truncated body is not a whole article.
    func finish() throws(Failure) {
        switch engine {
        case .identity: return
        case .zlib: if ended { return }
        case .brotli(let state): if BrotliDecoderIsFinished(state) != 0 { return }
        }
        throw .corrupt("\(encoding): the body ends before the compressed stream does")
    }

    private func inflate(
        _ stream: UnsafeMutablePointer<z_stream>, _ input: UnsafeRawBufferPointer, into output: inout [UInt8], limit: Int
    ) throws(Failure) -> Bool {
        guard let base = input.baseAddress, !input.isEmpty else { return true }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while stream.pointee.avail_in > 0 {
            let status = chunk.withUnsafeMutableBufferPointer { buffer -> Int32 in
                stream.pointee.next_out = buffer.baseAddress
                stream.pointee.avail_out = uInt(buffer.count)
                return CZlib.inflate(stream, Z_NO_FLUSH)
            }
            let produced = chunk.count - Int(stream.pointee.avail_out)
            guard output.count + produced <= limit else {
                output.append(contentsOf: chunk[0..<max(0, limit - output.count)])
                return false
            }
            output.append(contentsOf: chunk[0..<produced])
            switch status {
            case Z_OK, Z_BUF_ERROR: continue
            case Z_STREAM_END:
                ended = true
                return true  // trailing bytes after the stream are ignored, as browsers do
            default:
                let reason = stream.pointee.msg.map { String(cString: $0) } ?? "status \(status)"
                throw .corrupt("\(encoding): \(reason)")
            }
        }
        return true
    }

    private func unbrotli(
        _ state: OpaquePointer, _ input: UnsafeRawBufferPointer, into output: inout [UInt8], limit: Int
    ) throws(Failure) -> Bool {
        var availableIn = input.count
        var nextIn = input.baseAddress?.assumingMemoryBound(to: UInt8.self)
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            var produced = 0
            let result = chunk.withUnsafeMutableBufferPointer { buffer -> BrotliDecoderResult in
                var availableOut = buffer.count
                var nextOut = buffer.baseAddress
                let result = BrotliDecoderDecompressStream(state, &availableIn, &nextIn, &availableOut, &nextOut, nil)
                produced = buffer.count - availableOut
                return result
            }
            guard output.count + produced <= limit else {
                output.append(contentsOf: chunk[0..<max(0, limit - output.count)])
                return false
            }
            output.append(contentsOf: chunk[0..<produced])
            switch result {
            case BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT: continue
            case BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT, BROTLI_DECODER_RESULT_SUCCESS: return true
            default:
                let code = BrotliDecoderGetErrorCode(state)
                throw .corrupt("br: " + String(cString: BrotliDecoderErrorString(code)))
            }
        }
    }
}

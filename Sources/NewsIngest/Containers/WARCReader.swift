internal import Foundation
internal import NewsCore

/// Reads WARC records (ISO 28500, versions 0.17 to 1.1) from a decompressed stream.
///
/// Written here rather than taken from libarchive, whose WARC reader (3.6) refuses WARC/1.1, keeps only the
/// path of each target URI and drops the record id, date and content type. The format is small: header
/// lines up to a blank line, a block of exactly `Content-Length` bytes, two CRLFs.
final class WARCReader {
    struct Record {
        var type: String
        var headers: HeaderFields
        /// The block, or nil when it was over the size limit (it is consumed either way).
        var block: [UInt8]?
        var length: Int

        var id: String? { headers["warc-record-id"] }
        var targetURI: String? { headers["warc-target-uri"]?.trimmingCharacters(in: CharacterSet(charactersIn: "<> \t")) }
        var date: String? { headers["warc-date"] }
    }

    private let stream: BufferedStream
    private let maxBlockBytes: Int
    private static let maxHeaderLine = 64 * 1024

    init(stream: BufferedStream, maxBlockBytes: Int) {
        self.stream = stream
        self.maxBlockBytes = maxBlockBytes
    }

    /// The next record, nil at the end of the stream. Bad framing throws: the records after it cannot be
    /// found reliably.
    func next() throws(StageError) -> Record? {
        // Records are separated by two CRLFs; tolerate any number of blank lines.
        var versionLine: [UInt8] = []
        repeat {
            guard let line = try stream.readLine(limit: Self.maxHeaderLine) else { return nil }
            guard case .line(let bytes) = line else { throw malformed("a header line is over 64 KiB") }
            versionLine = bytes
        } while versionLine.isEmpty
        guard versionLine.starts(with: Array("WARC/".utf8)) else {
            throw malformed("expected a record starting with WARC/, found \"\(String(decoding: versionLine.prefix(40), as: UTF8.self))\"")
        }
        var headers = HeaderFields()
        while true {
            guard let line = try stream.readLine(limit: Self.maxHeaderLine) else { throw malformed("the stream ends inside a record header") }
            guard case .line(let bytes) = line else { throw malformed("a header line is over 64 KiB") }
            if bytes.isEmpty { break }
            headers.add(line: bytes)
        }
        guard let lengthText = headers["content-length"], let length = Int(lengthText), length >= 0 else {
            throw malformed("record \(headers["warc-record-id"] ?? "") has no valid Content-Length")
        }
        let type = headers["warc-type"]?.lowercased() ?? ""
        // Only blocks that can hold an article are kept in memory.
        let wanted = type == "response" || type == "resource"
        let block: [UInt8]?
        if wanted, length <= maxBlockBytes {
            block = try stream.read(exactly: length)
        } else {
            try stream.skip(length)
            block = nil
        }
        return Record(type: type, headers: headers, block: block, length: length)
    }

    private func malformed(_ message: String) -> StageError {
        StageError(stage: "read", code: .malformedRecord, message: "WARC: " + message)
    }
}

/// Header fields of a WARC record or an HTTP message: names compared without case, first value kept.
struct HeaderFields {
    private var fields: [String: String] = [:]

    subscript(name: String) -> String? { fields[name] }

    /// Adds `Name: value`; lines without a colon (and folded continuations) are ignored.
    mutating func add(line: ArraySlice<UInt8>) {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex,
            line.first != UInt8(ascii: " "), line.first != UInt8(ascii: "\t")
        else { return }
        let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
        let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if fields[name] == nil { fields[name] = value }
    }

    mutating func add(line: [UInt8]) { add(line: line[...]) }
}

/// An HTTP/1.x response as a WARC `response` record stores it: status line, headers, payload.
struct HTTPResponse {
    var status: Int
    var headers: HeaderFields
    var body: ArraySlice<UInt8>

    /// Splits the message; nil when it does not start with an HTTP status line.
    init?(_ message: [UInt8]) {
        var lines = message.startIndex
        func nextLine() -> ArraySlice<UInt8>? {
            guard lines < message.endIndex else { return nil }
            let end = message[lines...].firstIndex(of: 0x0A) ?? message.endIndex
            var line = message[lines..<end]
            if line.last == 0x0D { line = line.dropLast() }
            lines = min(message.endIndex, end + 1)
            return line
        }
        guard let statusLine = nextLine(), statusLine.starts(with: Array("HTTP/".utf8)) else { return nil }
        let parts = statusLine.split(separator: UInt8(ascii: " "), maxSplits: 2)
        guard parts.count >= 2, let status = Int(String(decoding: parts[1], as: UTF8.self)) else { return nil }
        self.status = status
        headers = HeaderFields()
        while let line = nextLine(), !line.isEmpty { headers.add(line: line) }
        body = message[lines...]
    }

    /// The media type of `Content-Type`, lowercased, without parameters.
    var mediaType: String? { headers["content-type"].map(Self.mediaType) }

    /// The `charset` parameter of `Content-Type`.
    var charset: String? { headers["content-type"].flatMap(Self.charset) }

    static func mediaType(_ contentType: String) -> String {
        String(contentType.split(separator: ";", maxSplits: 1).first ?? "").trimmingCharacters(in: .whitespaces).lowercased()
    }

    static func charset(_ contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            if pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "charset" {
                return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: " \t\"'"))
            }
        }
        return nil
    }

    /// The payload with `Transfer-Encoding: chunked` undone; nil when the chunks are malformed.
    func dechunkedBody() -> [UInt8]? {
        guard headers["transfer-encoding"]?.lowercased().contains("chunked") == true else { return Array(body) }
        var output: [UInt8] = []
        output.reserveCapacity(body.count)
        var index = body.startIndex
        while index < body.endIndex {
            guard let lineEnd = body[index...].firstIndex(of: 0x0A) else { return nil }
            let sizeText = String(decoding: body[index..<lineEnd], as: UTF8.self)
                .split(separator: ";", maxSplits: 1).first?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            guard let size = Int(sizeText, radix: 16), size >= 0 else { return nil }
            index = lineEnd + 1
            if size == 0 { return output }
            guard body.endIndex - index >= size else { return nil }
            output += body[index..<index + size]
            index += size
            // The CRLF after the chunk data.
            while index < body.endIndex, body[index] == 0x0D || body[index] == 0x0A { index += 1 }
        }
        return output
    }
}

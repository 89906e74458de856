/// Why an article could not be turned into a record. Becomes one line of `errors.jsonl`.
public struct StageError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The input could not be opened or read.
        case unreadable
        /// The input exceeds the configured size limit.
        case tooLarge = "too_large"
        /// The bytes are not text (NUL bytes, a binary signature).
        case binaryContent = "binary_content"
        /// The input breaks a safety limit other than size (a tag with thousands of attributes, an archive
        /// nested in an archive in an archive, an archive that expands past its limit).
        case limitExceeded = "limit_exceeded"
        /// An archive member named outside the archive's root (`../x`, `/etc/x`); never written anywhere.
        case unsafePath = "unsafe_path"
        /// An archive or compressed stream that is truncated or corrupt; what came before it is kept.
        case corruptArchive = "corrupt_archive"
        /// A JSON Lines row that is not an object with a string `html` or `text`.
        case invalidRow = "invalid_row"
        /// A WARC record or HTTP message that does not follow its format.
        case malformedRecord = "malformed_record"
        /// The HTML parser gave up on the document.
        case parseFailed = "parse_failed"
        /// Nothing readable was left after cleaning.
        case emptyContent = "empty_content"
        /// Fetching: a URL that is not http(s) with a host.
        case invalidURL = "invalid_url"
        /// Fetching: the host resolves to a loopback, private or link-local address (`--allow-private`).
        case addressRefused = "address_refused"
        /// Fetching: the site's robots.txt disallows the URL for newsflow.
        case robotsDisallowed = "robots_disallowed"
        /// Fetching: the server answered with an error status (after retries, for 429 and 5xx).
        case httpStatus = "http_status"
        /// Fetching: no connection, a reset, a TLS failure, a body that does not decode.
        case networkError = "network_error"
        /// Fetching: connect, read or total time ran out.
        case timeout
        /// Fetching: a redirect loop, too many redirects, or a redirect without a location.
        case redirectFailed = "redirect_failed"
        /// Fetching: a response newsflow does not read (an image, a PDF, an unknown `Content-Encoding`).
        case unsupportedContent = "unsupported_content"
        /// Fetching: a feed or sitemap that is not RSS, Atom or sitemap XML.
        case invalidFeed = "invalid_feed"
        /// A bug: a stage produced something the next stage did not expect.
        case internalError = "internal_error"
    }

    public var stage: String
    public var code: Code
    public var message: String

    public init(stage: String, code: Code, message: String) {
        self.stage = stage
        self.code = code
        self.message = message
    }

    public var description: String { "\(stage): \(code.rawValue): \(message)" }
}

/// A failed article, with enough context to find the input and understand the failure.
public struct ErrorRecord: Sendable {
    public var id: String?
    public var source: SourceRef
    public var error: StageError
    public var pipeline: PipelineStamp

    public init(id: String?, source: SourceRef, error: StageError, pipeline: PipelineStamp) {
        self.id = id
        self.source = source
        self.error = error
        self.pipeline = pipeline
    }

    public func jsonLine() -> String {
        var json = JSONWriter()
        json.beginObject()
        json.field("id", id)
        json.key("source")
        ArticleRecord.write(source, to: &json)
        json.field("stage", error.stage)
        json.field("code", error.code.rawValue)
        json.field("message", error.message)
        json.key("pipeline")
        ArticleRecord.write(pipeline, to: &json)
        json.endObject()
        return json.output
    }
}

internal import AsyncHTTPClient
internal import Foundation
public import NewsCore
internal import NIOCore
internal import NIOHTTP1

/// A page or document as the server sent it, decoded from its `Content-Encoding`.
public struct FetchedPage: Sendable {
    /// The URL asked for.
    public var url: String
    /// The URL after redirects.
    public var finalURL: String
    public var status: Int
    /// The media type, lower case, without parameters (`text/html`).
    public var mediaType: String?
    /// The `charset` parameter of `Content-Type`.
    public var charset: String?
    /// When the response arrived, ISO 8601 in UTC.
    public var fetchedAt: String
    public var body: [UInt8]
}

/// Why a URL gave no page: the URL, the last status seen and a reason a user can act on.
public struct FetchFailure: Error, Sendable, CustomStringConvertible {
    public var url: String
    public var status: Int?
    public var code: StageError.Code
    public var reason: String

    public var description: String { "\(url): \(reason)" }

    /// Whether trying again later could give another answer (a server error, a timeout), as opposed to an
    /// answer that stands (404, robots.txt, a refused address).
    public var isTransient: Bool {
        switch code {
        case .networkError, .timeout: return true
        case .httpStatus: return status.map(Fetcher.retriedStatuses.contains) ?? true
        default: return false
        }
    }
}

public enum FetchOutcome: Sendable {
    case fetched(FetchedPage)
    /// The server answered 304 to a conditional GET: nothing new since the last fetch.
    case unchanged(url: String)
    case failed(FetchFailure)
}

/// Fetches URLs politely and safely: http and https only, no private addresses unless allowed, robots.txt
/// obeyed, per-host concurrency and spacing, retries with backoff on 429, 5xx and network errors, redirects
/// followed (each hop checked like the first), conditional GET from the state's validators, bodies
/// decoded and cut at the size limit as they stream.
public final class Fetcher: Sendable {
    public let options: FetchOptions
    public let state: FetchState
    private let client: HTTPClient
    private let gate: HostGate
    private let addresses = AddressGuard()
    private let robots: RobotsBook

    public init(options: FetchOptions, state: FetchState) {
        self.options = options
        self.state = state
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,  // followed here, so every hop passes the address and robots checks
            timeout: .init(
                connect: .milliseconds(Int64(options.connectTimeout * 1000)),
                read: .milliseconds(Int64(options.readTimeout * 1000))),
            decompression: .disabled)  // ContentDecoder counts the limit on decoded bytes and reads br too
        configuration.httpVersion = .automatic
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        gate = HostGate(concurrency: options.perHostConcurrency, delay: options.perHostDelay)
        robots = RobotsBook(state: state, lifetime: options.robotsLifetime, token: options.robotsToken)
    }

    /// Closes connections; the fetcher cannot be used afterwards.
    public func shutdown() async {
        try? await client.shutdown()
    }

    /// The most requests that were in flight at once, per host.
    public func observedConcurrency() async -> [String: Int] {
        await gate.mostActive()
    }

    /// GETs `url`, following redirects. With `conditional`, sends the validators remembered for the URL and
    /// remembers the new ones.
    public func fetch(_ url: String, conditional: Bool = true) async -> FetchOutcome {
        await fetch(url, conditional: conditional, checkRobots: options.obeyRobots, maxBytes: options.maxBodyBytes)
    }

    private func fetch(_ url: String, conditional: Bool, checkRobots: Bool, maxBytes: Int) async -> FetchOutcome {
        var current = url
        var chain = [url]
        while true {
            guard let target = Target(current) else {
                return .failed(FetchFailure(url: url, status: nil, code: .invalidURL, reason: Target.problem(with: current)))
            }
            if !options.allowPrivate {
                switch addresses.verdict(for: target.host) {
                case .allowed: break
                case .refused(let reason):
                    return .failed(FetchFailure(url: url, status: nil, code: .addressRefused, reason: reason))
                case .unresolved(let reason):  // a DNS hiccup: tried again next time, not refused for good
                    return .failed(FetchFailure(url: url, status: nil, code: .networkError, reason: reason))
                }
            }
            if checkRobots {
                switch await robots(for: target) {
                case .unavailable(let why):
                    // RFC 9309: an unreachable robots.txt means "disallow all", for now; the entry stays unseen.
                    return .failed(FetchFailure(
                        url: url, status: nil, code: .networkError,
                        reason: "robots.txt of \(target.origin) unavailable (\(why)); nothing fetched there this run"))
                case .rules(let rules) where !rules.allows(path: target.pathAndQuery):
                    return .failed(FetchFailure(
                        url: url, status: nil, code: .robotsDisallowed,
                        reason: "robots.txt of \(target.origin) disallows \(target.pathAndQuery) for \(options.robotsToken)"))
                case .rules: break
                }
            }
            let validators = conditional ? state.validators(for: current) : nil
            let response: Response
            switch await exchangeWithRetries(target, validators: validators, maxBytes: maxBytes) {
            case .success(let success): response = success
            case .failure(var failure):
                failure.url = url
                return .failed(failure)
            }
            switch response.status {
            case 200..<300:
                if conditional { state.setValidators(response.validators, for: current) }
                return .fetched(FetchedPage(
                    url: url, finalURL: current, status: response.status, mediaType: response.mediaType,
                    charset: response.charset, fetchedAt: Self.timestamp(), body: response.body))
            case 304 where validators != nil:
                return .unchanged(url: url)
            case 301, 302, 303, 307, 308:
                guard let location = response.location, let next = URL(string: location, relativeTo: URL(string: current))?.absoluteString else {
                    return .failed(FetchFailure(url: url, status: response.status, code: .redirectFailed, reason: "HTTP \(response.status) without a usable Location"))
                }
                if chain.contains(next) {
                    return .failed(FetchFailure(
                        url: url, status: response.status, code: .redirectFailed,
                        reason: "redirect loop: " + (chain + [next]).joined(separator: " → ")))
                }
                guard chain.count <= options.maxRedirects else {
                    return .failed(FetchFailure(
                        url: url, status: response.status, code: .redirectFailed,
                        reason: "more than \(options.maxRedirects) redirects (last to \(next))"))
                }
                chain.append(next)
                current = next
            default:
                return .failed(FetchFailure(
                    url: url, status: response.status, code: .httpStatus,
                    reason: "HTTP \(response.status) \(HTTPResponseStatus(statusCode: response.status).reasonPhrase)" + (current == url ? "" : " at \(current)")))
            }
        }
    }

    // MARK: One request, retried

    private struct Response {
        var status: Int
        var headers: HTTPHeaders
        var body: [UInt8]

        var location: String? { headers.first(name: "location") }
        var validators: FetchState.Validators? {
            let etag = headers.first(name: "etag"), modified = headers.first(name: "last-modified")
            return etag == nil && modified == nil ? nil : FetchState.Validators(etag: etag, lastModified: modified)
        }
        private var contentType: [Substring] {
            (headers.first(name: "content-type") ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces)[...] }
        }
        var mediaType: String? { contentType.first.map { $0.lowercased() }.flatMap { $0.isEmpty ? nil : $0 } }
        var charset: String? {
            for parameter in contentType.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1)
                if pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "charset" {
                    return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"' "))
                }
            }
            return nil
        }
    }

    /// Statuses worth another try: rate limiting and server trouble.
    static let retriedStatuses: Set<Int> = [429, 500, 502, 503, 504]

    private func exchangeWithRetries(
        _ target: Target, validators: FetchState.Validators?, maxBytes: Int
    ) async -> Result<Response, FetchFailure> {
        var attempt = 0
        while true {
            attempt += 1
            let result = await exchange(target, validators: validators, maxBytes: maxBytes)
            var wait = backoff(attempt: attempt)
            switch result {
            case .success(let response):
                guard Self.retriedStatuses.contains(response.status) else { return result }
                if let asked = response.headers.first(name: "retry-after").flatMap(Self.seconds(retryAfter:)) {
                    guard asked <= options.maxWait else {
                        return .failure(FetchFailure(
                            url: target.url, status: response.status, code: .httpStatus,
                            reason: "HTTP \(response.status), Retry-After \(Int(asked)) s is over the \(Int(options.maxWait)) s this run waits"))
                    }
                    wait = asked
                }
                guard attempt < options.maxAttempts else {
                    return .failure(FetchFailure(
                        url: target.url, status: response.status, code: .httpStatus,
                        reason: "HTTP \(response.status) \(HTTPResponseStatus(statusCode: response.status).reasonPhrase) after \(attempt) attempts"))
                }
                // The whole host waits: a 429 or 503 speaks for the server, not for one URL.
                await gate.hold(target.host, until: Date().timeIntervalSince1970 + wait)
                continue
            case .failure(let failure):
                guard failure.isTransient, attempt < options.maxAttempts else {
                    var final = failure
                    if attempt > 1 { final.reason += " after \(attempt) attempts" }
                    return .failure(final)
                }
            }
            try? await Task.sleep(nanoseconds: UInt64(wait * 1e9))
        }
    }

    private func backoff(attempt: Int) -> Double {
        // Full jitter, but never an immediate retry.
        options.backoffBase + Double.random(in: 0...min(options.backoffCap, options.backoffBase * Double(1 << min(attempt, 20))))
    }

    /// `Retry-After` as seconds from now: delta-seconds or an HTTP date.
    static func seconds(retryAfter value: String) -> Double? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed), seconds >= 0 { return seconds }
        // An HTTP date is an RFC 1123 date: the feed parser's reader turns it into ISO 8601.
        guard let iso = FeedDate.rfc822(trimmed), let date = try? Date(iso, strategy: .iso8601) else { return nil }
        return max(0, date.timeIntervalSinceNow)
    }

    private func exchange(_ target: Target, validators: FetchState.Validators?, maxBytes: Int) async -> Result<Response, FetchFailure> {
        await gate.acquire(target.host)
        let result = await send(target, validators: validators, maxBytes: maxBytes)
        await gate.release(target.host)
        return result
    }

    private func send(_ target: Target, validators: FetchState.Validators?, maxBytes: Int) async -> Result<Response, FetchFailure> {
        var request = HTTPClientRequest(url: target.url)
        request.headers.add(name: "User-Agent", value: options.userAgent)
        request.headers.add(name: "Accept", value: "text/html,application/xhtml+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5")
        request.headers.add(name: "Accept-Encoding", value: "gzip, deflate, br")
        if let etag = validators?.etag { request.headers.add(name: "If-None-Match", value: etag) }
        if let modified = validators?.lastModified { request.headers.add(name: "If-Modified-Since", value: modified) }
        func failure(_ code: StageError.Code, _ reason: String, status: Int? = nil) -> Result<Response, FetchFailure> {
            .failure(FetchFailure(url: target.url, status: status, code: code, reason: reason))
        }
        let deadline = ContinuousClock.now + .milliseconds(Int64(options.totalTimeout * 1000))
        do {
            let response = try await client.execute(request, deadline: .now() + .milliseconds(Int64(options.totalTimeout * 1000)))
            let status = Int(response.status.code)
            guard (200..<300).contains(status) else {
                // Error and redirect bodies are read only to keep the connection reusable, and not far.
                _ = try? await response.body.collect(upTo: 64 * 1024)
                return .success(Response(status: status, headers: response.headers, body: []))
            }
            let encoding = (response.headers.first(name: "content-encoding") ?? "").lowercased().trimmingCharacters(in: .whitespaces)
            if let length = response.headers.first(name: "content-length").flatMap(Int.init), length > maxBytes, encoding.isEmpty {
                return failure(.tooLarge, "body of \(length) bytes is over the limit of \(maxBytes) (fetch.max_body_bytes)", status: status)
            }
            // The client's deadline covers the head only: the body races the rest of the total time.
            let body = try await withThrowingTaskGroup(of: [UInt8]?.self) { group in
                group.addTask { try await Self.readBody(response.body, encoding: encoding, maxBytes: maxBytes) }
                group.addTask {
                    try await Task.sleep(until: deadline)
                    throw HTTPClientError.deadlineExceeded
                }
                defer { group.cancelAll() }
                return try await group.next() ?? nil
            }
            guard let body else {
                return failure(.tooLarge, "body cut at the limit of \(maxBytes) bytes (fetch.max_body_bytes)", status: status)
            }
            return .success(Response(status: status, headers: response.headers, body: body))
        } catch let error as ContentDecoder.Failure {
            switch error {
            case .unsupported(let encoding): return failure(.unsupportedContent, "unsupported Content-Encoding \(encoding)")
            case .corrupt(let reason): return failure(.networkError, "body does not decode: \(reason)")
            }
        } catch let error as HTTPClientError {
            switch error {
            case .connectTimeout: return failure(.timeout, "no connection within \(options.connectTimeout) s")
            case .readTimeout: return failure(.timeout, "server silent for \(options.readTimeout) s")
            case .deadlineExceeded: return failure(.timeout, "not complete within \(options.totalTimeout) s")
            default: return failure(.networkError, "\(error)")
            }
        } catch {
            return failure(.networkError, "\(error)")
        }
    }

    /// The body decoded; nil when it passes `maxBytes`.
    private static func readBody(_ body: HTTPClientResponse.Body, encoding: String, maxBytes: Int) async throws -> [UInt8]? {
        let decoder = try ContentDecoder(encoding: encoding)
        var output: [UInt8] = []
        for try await buffer in body {
            guard try buffer.withUnsafeReadableBytes({ try decoder.decode($0, into: &output, limit: maxBytes) }) else { return nil }
        }
        try decoder.finish()
        return output
    }

    // MARK: robots.txt

    private func robots(for target: Target) async -> RobotsBook.Answer {
        let answer = await robots.answer(for: target.origin) { [self] in
            switch await fetch(target.origin + "/robots.txt", conditional: false, checkRobots: false, maxBytes: 512 * 1024) {
            case .fetched(let page): return .fetched(status: page.status, text: String(decoding: page.body, as: UTF8.self))
            case .unchanged: return .failed("unexpected 304")
            case .failed(let failure):
                // A 4xx other than 429 means "no rules"; anything else (5xx, 429, a timeout, a redirect
                // loop, a file over 512 KiB) means the file is unavailable.
                if let status = failure.status, failure.code == .httpStatus, (400..<500).contains(status), status != 429 {
                    return .fetched(status: status, text: "")
                }
                return .failed(failure.reason)
            }
        }
        if case .rules(let rules) = answer, let delay = rules.crawlDelay {
            await gate.space(target.host, by: min(delay, options.maxWait))
        }
        return answer
    }

    private static func timestamp() -> String {
        Date.now.formatted(.iso8601)  // a value type: no formatter built per page
    }
}

/// A URL newsflow may request: http or https, with a host.
struct Target {
    let url: String
    let host: String
    /// `scheme://host[:port]`, what robots.txt applies to.
    let origin: String
    /// The percent-encoded path (at least `/`) and `?query`, what robots.txt rules match.
    let pathAndQuery: String

    init?(_ url: String) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host?.lowercased(), !host.isEmpty
        else { return nil }
        self.url = url
        self.host = host
        let hostPart = host.contains(":") ? "[\(host)]" : host
        origin = "\(scheme)://\(hostPart)" + (components.port.map { ":\($0)" } ?? "")
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        pathAndQuery = path + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
    }

    static func problem(with url: String) -> String {
        guard let components = URLComponents(string: url) else { return "not a URL: \(url)" }
        guard let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            return "only http and https URLs are fetched, not \(components.scheme.map { "\($0):" } ?? "a URL without a scheme"): \(url)"
        }
        return "no host in \(url)"
    }
}

/// robots.txt rules per origin: from the state when fresh, else fetched once however many requests ask at
/// the same time. RFC 9309: a 2xx gives the rules, a 4xx means none; an unavailable file (5xx, 429, no
/// answer) means "disallow all" for this run and is not remembered, so the next run asks again.
actor RobotsBook {
    enum Download: Sendable {
        case fetched(status: Int, text: String)
        case failed(String)
    }

    enum Answer: Sendable {
        case rules(RobotsRules)
        case unavailable(String)
    }

    private let state: FetchState
    private let lifetime: Double
    private let token: String
    private var answers: [String: Answer] = [:]
    private var pending: [String: Task<Answer, Never>] = [:]

    init(state: FetchState, lifetime: Double, token: String) {
        self.state = state
        self.lifetime = lifetime
        self.token = token
    }

    func answer(for origin: String, download: @escaping @Sendable () async -> Download) async -> Answer {
        if let known = answers[origin] { return known }
        if let task = pending[origin] { return await task.value }
        let now = Date().timeIntervalSince1970
        let stored = state.robots(for: origin)
        if let stored, now - stored.fetchedAt < lifetime {
            let answer = Answer.rules(Self.rules(status: stored.status, text: stored.text, token: token))
            answers[origin] = answer
            return answer
        }
        let token = token, state = state
        let task = Task { () -> Answer in
            switch await download() {
            case .fetched(let status, let text):
                state.setRobots(.init(fetchedAt: now, status: status, text: text), for: origin)
                return .rules(Self.rules(status: status, text: text, token: token))
            case .failed(let reason):
                // An expired copy is better than none (RFC 9309 allows it).
                if let stored { return .rules(Self.rules(status: stored.status, text: stored.text, token: token)) }
                return .unavailable(reason)
            }
        }
        pending[origin] = task
        let answer = await task.value
        answers[origin] = answer
        pending[origin] = nil
        return answer
    }

    private static func rules(status: Int, text: String, token: String) -> RobotsRules {
        (200..<300).contains(status) ? RobotsRules(parsing: text, userAgent: token) : .allowAll
    }
}

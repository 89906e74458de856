/// How `Fetcher` talks to servers. The defaults are polite for news sites; tests and benchmarks against a
/// local server lower the delay.
public struct FetchOptions: Sendable {
    /// Sent on every request; the robots.txt product token is its part before the first `/`.
    public var userAgent = "newsflow/1.0 (+https://github.com/newsflow/newsflow)"
    public var connectTimeout = 10.0
    /// Longest silence while reading a response.
    public var readTimeout = 20.0
    /// Longest one request may take, body included.
    public var totalTimeout = 60.0
    /// Largest body, counted after content decoding; a longer one is cut there and becomes an error.
    public var maxBodyBytes = 10 << 20
    public var maxRedirects = 5
    /// Requests in flight at once per host.
    public var perHostConcurrency = 2
    /// Seconds between request starts on one host.
    public var perHostDelay = 1.0
    /// Tries per request, the first included, on 429, 5xx and network errors.
    public var maxAttempts = 3
    /// Backoff before retry n (from 1) is base + random in [0, min(cap, base · 2ⁿ)] (full jitter, never 0).
    public var backoffBase = 0.5
    public var backoffCap = 30.0
    /// A `Retry-After` longer than this is not waited for (the request fails); a longer `Crawl-delay` is cut to it.
    public var maxWait = 120.0
    /// Fetch hosts on loopback, private and link-local addresses.
    public var allowPrivate = false
    public var obeyRobots = true
    /// robots.txt files are fetched again after this many seconds.
    public var robotsLifetime = 86_400.0

    public init() {}

    /// The robots.txt product token: `newsflow` of `newsflow/1.0 (...)`.
    var robotsToken: String {
        String(userAgent.prefix { $0 != "/" && $0 != " " })
    }
}

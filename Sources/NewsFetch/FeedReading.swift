internal import NewsCore

/// What one feed or sitemap gave: its entries (a sitemap index's children included), and what failed.
public struct FeedReading: Sendable {
    public var feedURL: String
    public var items: [FeedItem] = []
    public var failures: [FetchFailure] = []
    /// The server said 304: nothing new since the last poll.
    public var unchanged = false
}

extension Fetcher {
    /// Sitemap indexes are followed this deep (an index of indexes of sitemaps), and no more children than
    /// this are read from one index.
    static let maxSitemapDepth = 2
    static let maxSitemapChildren = 1_000

    /// Fetches and parses the feed or sitemap at `url` (gzipped sitemaps included), following a sitemap
    /// index to its children.
    public func readFeed(_ url: String) async -> FeedReading {
        var reading = FeedReading(feedURL: url)
        await read(url, depth: 0, into: &reading)
        return reading
    }

    private func read(_ url: String, depth: Int, into reading: inout FeedReading) async {
        let page: FetchedPage
        // Only the root is fetched conditionally: when it changed, every child is read again, so an entry
        // that failed last time under an unchanged child comes back.
        switch await fetch(url, conditional: depth == 0) {
        case .fetched(let fetched): page = fetched
        case .unchanged:
            if depth == 0 { reading.unchanged = true }
            return
        case .failed(let failure):
            reading.failures.append(failure)
            return
        }
        let document: FeedDocument
        do throws(FeedParseError) {
            document = try FeedParser.parse(try gunzippedIfNeeded(page.body), baseURL: page.finalURL)
        } catch {
            reading.failures.append(FetchFailure(url: url, status: page.status, code: .invalidFeed, reason: error.reason))
            return
        }
        reading.items += document.items
        guard !document.sitemaps.isEmpty else { return }
        guard depth < Self.maxSitemapDepth else {
            reading.failures.append(FetchFailure(
                url: url, status: page.status, code: .invalidFeed,
                reason: "sitemap index nested deeper than \(Self.maxSitemapDepth) levels; its children are not read"))
            return
        }
        for child in document.sitemaps.prefix(Self.maxSitemapChildren) {
            await read(child, depth: depth + 1, into: &reading)
        }
    }

    /// Sitemaps are often served as `.xml.gz` files (not as a `Content-Encoding`); the gzip magic tells.
    private func gunzippedIfNeeded(_ bytes: [UInt8]) throws(FeedParseError) -> [UInt8] {
        guard bytes.count > 2, bytes[0] == 0x1F, bytes[1] == 0x8B else { return bytes }
        var output: [UInt8] = []
        let fits: Bool
        do {
            let decoder = try ContentDecoder(encoding: "gzip")
            fits = try bytes.withUnsafeBytes { try decoder.decode($0, into: &output, limit: options.maxBodyBytes) }
            if fits { try decoder.finish() }
        } catch {
            throw FeedParseError(reason: "gzipped sitemap does not decompress: \(error)")
        }
        guard fits else { throw FeedParseError(reason: "gzipped sitemap expands past \(options.maxBodyBytes) bytes") }
        return output
    }
}

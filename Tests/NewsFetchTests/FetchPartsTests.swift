import Foundation
@testable import NewsFetch
import Testing

@Suite struct AddressGuardTests {
    static let ipv4: [(String, String?)] = [
        ("127.0.0.1", "loopback"), ("127.255.1.2", "loopback"), ("10.1.2.3", "private"), ("172.16.0.1", "private"),
        ("172.31.255.255", "private"), ("172.32.0.1", nil), ("192.168.1.1", "private"), ("169.254.169.254", "link-local"),
        ("100.64.0.1", "carrier-grade NAT"), ("0.0.0.0", "reserved"), ("224.0.0.1", "multicast"), ("255.255.255.255", "reserved"),
        ("8.8.8.8", nil), ("93.184.216.34", nil), ("192.0.2.1", nil),
    ]

    @Test(arguments: ipv4) func ipv4Ranges(address: String, expected: String?) {
        let parts = address.split(separator: ".").compactMap { UInt32($0) }
        let value = parts.reduce(UInt32(0)) { $0 << 8 | $1 }
        #expect(AddressGuard.privateRange(ipv4: value) == expected)
    }

    static let ipv6: [(String, String?)] = [
        ("::1", "loopback"), ("::", "unspecified"), ("fe80::1", "link-local"), ("fd12:3456::1", "private"),
        ("fc00::1", "private"), ("ff02::1", "multicast"), ("::ffff:127.0.0.1", "loopback"), ("::ffff:10.0.0.1", "private"),
        ("::ffff:8.8.8.8", nil), ("64:ff9b::a9fe:a9fe", "link-local"), ("2001:4860:4860::8888", nil),
        ("::10.0.0.1", "private"), ("2002:c0a8:0101::1", "private"), ("2002:0808:0808::1", nil), ("fec0::1", "site-local"),
    ]

    @Test(arguments: ipv6) func ipv6Ranges(address: String, expected: String?) throws {
        var raw = in6_addr()
        #expect(inet_pton(AF_INET6, address, &raw) == 1)
        let bytes = withUnsafeBytes(of: raw) { Array($0) }
        #expect(AddressGuard.privateRange(ipv6: bytes) == expected)
    }

    @Test func namesAreResolvedBeforeTheyAreJudged() {
        let guardian = AddressGuard()
        func reason(_ host: String) -> String? {
            if case .refused(let reason) = guardian.verdict(for: host) { return reason }
            return nil
        }
        #expect(reason("localhost")?.contains("loopback") == true)
        #expect(reason("127.0.0.1")?.contains("--allow-private") == true)
        #expect(reason("[::1]")?.contains("loopback") == true)
        // A name that does not resolve may resolve later: not a refusal, and not remembered.
        guard case .unresolved(let why) = guardian.verdict(for: "no-such-host.invalid") else {
            Issue.record("an unresolvable name must not be allowed or refused")
            return
        }
        #expect(why.contains("cannot resolve"))
    }
}

@Suite struct ContentDecoderTests {
    static let text = Array(String(repeating: "Amazon said it would invest $4 billion in Anthropic. ", count: 400).utf8)

    /// gzip checked against the gzip command's output; deflate and br against small streams made by Python's
    /// zlib and brotli modules.
    @Test func gzipFromTheGzipCommand() throws {
        let folder = NSTemporaryDirectory() + "decoder-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: folder + "/a.txt", contents: Data(Self.text)))
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-k", folder + "/a.txt"]
        try gzip.run()
        gzip.waitUntilExit()
        let compressed = try #require(FileManager.default.contents(atPath: folder + "/a.txt.gz"))
        // Fed in small pieces, as a network delivers it.
        let decoder = try ContentDecoder(encoding: "gzip")
        var output: [UInt8] = []
        for start in stride(from: 0, to: compressed.count, by: 100) {
            let piece = compressed[start..<min(start + 100, compressed.count)]
            #expect(try piece.withUnsafeBytes { try decoder.decode($0, into: &output, limit: 1 << 20) })
        }
        #expect(output == Self.text)
        // The same stream with a limit below its size stops there.
        let limited = try ContentDecoder(encoding: "gzip")
        var cut: [UInt8] = []
        #expect(try compressed.withUnsafeBytes { try limited.decode($0, into: &cut, limit: 1000) } == false)
        #expect(cut.count == 1000)
    }

    @Test func deflateKnownStream() throws {
        // zlib.compress(b"hello deflate"): the zlib-wrapped stream RFC 9110 calls deflate.
        let stream: [UInt8] = [
            0x78, 0x9c, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0x57, 0x48, 0x49, 0x4d, 0xcb, 0x49, 0x2c, 0x49, 0x05, 0x00, 0x23, 0x0c,
            0x05, 0x0a,
        ]
        let decoder = try ContentDecoder(encoding: "deflate")
        var output: [UInt8] = []
        #expect(try stream.withUnsafeBytes { try decoder.decode($0, into: &output, limit: 100) })
        #expect(String(decoding: output, as: UTF8.self) == "hello deflate")
    }

    @Test func brotliKnownStream() throws {
        // brotli.compress(b"hello brotli").
        let stream: [UInt8] = [0x8b, 0x05, 0x80, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x20, 0x62, 0x72, 0x6f, 0x74, 0x6c, 0x69, 0x03]
        let decoder = try ContentDecoder(encoding: "br")
        var output: [UInt8] = []
        #expect(try stream.withUnsafeBytes { try decoder.decode($0, into: &output, limit: 100) })
        #expect(String(decoding: output, as: UTF8.self) == "hello brotli")
    }

    @Test func corruptAndUnknownEncodingsAreErrors() throws {
        #expect(throws: ContentDecoder.Failure.self) { try ContentDecoder(encoding: "compress") }
        let decoder = try ContentDecoder(encoding: "gzip")
        var output: [UInt8] = []
        let junk = Array("this is not gzip at all".utf8)
        #expect(throws: ContentDecoder.Failure.self) { try junk.withUnsafeBytes { try decoder.decode($0, into: &output, limit: 100) } }
    }

    @Test func identityCountsTheLimitToo() throws {
        let decoder = try ContentDecoder(encoding: "identity")
        var output: [UInt8] = []
        #expect(try Self.text.withUnsafeBytes { try decoder.decode($0, into: &output, limit: 10) } == false)
        #expect(output.count == 10)
    }
}

@Suite struct HostGateTests {
    @Test func concurrencyPerHostIsBoundedAndStartsAreSpaced() async {
        let gate = HostGate(concurrency: 2, delay: 0.05)
        let started = Date()
        await withTaskGroup(of: Double.self) { group in
            for _ in 0..<6 {
                group.addTask {
                    await gate.acquire("a.example")
                    let at = Date().timeIntervalSince(started)
                    try? await Task.sleep(nanoseconds: 20_000_000)
                    await gate.release("a.example")
                    return at
                }
            }
            var starts: [Double] = []
            for await start in group { starts.append(start) }
            starts.sort()
            // Six starts 50 ms apart: the last no sooner than 250 ms after the first.
            #expect(starts.last! - starts.first! >= 0.24)
        }
        #expect(await gate.mostActive()["a.example"] ?? 0 <= 2)
    }

    @Test func holdDelaysTheNextStart() async {
        let gate = HostGate(concurrency: 1, delay: 0)
        await gate.hold("b.example", until: Date().timeIntervalSince1970 + 0.3)
        let before = Date()
        await gate.acquire("b.example")
        #expect(Date().timeIntervalSince(before) >= 0.28)
        await gate.release("b.example")
        // Other hosts are not held.
        let other = Date()
        await gate.acquire("c.example")
        #expect(Date().timeIntervalSince(other) < 0.1)
    }

    @Test func retryAfterAcceptsSecondsAndDates() {
        #expect(Fetcher.seconds(retryAfter: "120") == 120)
        #expect(Fetcher.seconds(retryAfter: " 0 ") == 0)
        let inTenSeconds = Date(timeIntervalSinceNow: 10)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let seconds = Fetcher.seconds(retryAfter: formatter.string(from: inTenSeconds))
        #expect(seconds.map { $0 > 8 && $0 <= 10 } == true)
        #expect(Fetcher.seconds(retryAfter: "soon") == nil)
    }
}

@Suite struct TargetTests {
    @Test func originsAndPaths() throws {
        let target = try #require(Target("HTTPS://Example.COM:8443/a%20b/c?x=1#frag"))
        #expect(target.host == "example.com")
        #expect(target.origin == "https://example.com:8443")
        #expect(target.pathAndQuery == "/a%20b/c?x=1")
        #expect(Target("http://example.com")?.pathAndQuery == "/")
        #expect(Target("ftp://example.com/a") == nil)
        #expect(Target("file:///etc/passwd") == nil)
        #expect(Target("mailto:a@b.c") == nil)
        #expect(Target.problem(with: "ftp://example.com/a").contains("only http and https"))
    }
}

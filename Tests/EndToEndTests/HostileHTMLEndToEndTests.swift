import Foundation
import NewsTestSupport
import Testing

/// Truncated, deeply nested, huge-attribute, crowded and binary pages: each ends as a record or a clean
/// error record saying what was wrong, and the run ends well within its time limit (a hang or a crash
/// fails the test instead of stalling it).
@Suite(.serialized) struct HostileHTMLEndToEndTests {
    let binary = newsflowBinary()

    static let article = "<p>Alibaba Group said on Monday it would invest more than 380 billion yuan in AI over three years.</p>"

    /// File name → content. Names sort in the order the expectations below list them.
    static func hostilePages() -> [(String, [UInt8])] {
        var pages: [(String, [UInt8])] = []
        func add(_ name: String, _ text: String) { pages.append((name, Array(text.utf8))) }
        let page = "<!DOCTYPE html><html><head><title>Alibaba to invest</title></head><body><article>\(article)\(article)</article></body></html>"
        add("a-truncated-mid-tag.html", String(page.prefix(page.count - 60)))
        add("b-truncated-in-head.html", "<html><head><title>Alibaba to inv")
        add("c-nested-100000-divs.html", "<html><body>" + String(repeating: "<div>", count: 100_000) + "deep" + String(repeating: "</div>", count: 100_000) + "</body></html>")
        add("d-nested-100000-unclosed.html", "<html><body>" + String(repeating: "<div><b><i>", count: 100_000) + "deep")
        add("e-huge-attribute.html", "<html><head><meta name=\"description\" content=\"" + String(repeating: "A", count: 5_000_000) + "\"></head><body><article class=\"" + String(repeating: "x ", count: 500_000) + "\">\(article)</article></body></html>")
        add("f-100000-attributes.html", "<html><body><p " + (0..<100_000).map { "a\($0)=\"\($0)\"" }.joined(separator: " ") + ">Text.</p></body></html>")
        add("g-external-entity.html", "<!DOCTYPE html [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><html><body>\(article)<p>&xxe;</p></body></html>")
        add("h-nested-json-ld.html", "<html><head><script type=\"application/ld+json\">" + String(repeating: "[", count: 100_000) + "</script></head><body>\(article)</body></html>")
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        let noise = (0..<200_000).map { _ -> UInt8 in
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: seed >> 56)
        }
        pages.append(("i-binary.html", noise))
        pages.append(("j-binary-after-html-head.html", Array("<html><body><p>".utf8) + noise))
        return pages
    }

    @Test func everyHostilePageEndsCleanlyWithinTheTimeLimit() throws {
        let input = try makeTemporaryFolder("newsflow-hostile")
        for (name, bytes) in Self.hostilePages() {
            try Data(bytes).write(to: URL(fileURLWithPath: input + "/" + name))
        }
        let output = try makeTemporaryFolder("newsflow-hostile-out") + "/out/"
        let result = try runProcess(binary, ["batch", input, "-o", output, "--workers", "2"], timeLimit: .seconds(120))
        #expect(!result.timedOut, "the batch run hung on hostile input")
        #expect(result.status == 0, "\(result.stderr)")

        let records = try jsonLines(output + "part-00000.jsonl")
        let errors = try jsonLines(output + "errors.jsonl")
        func name(_ line: [String: Any]) -> String {
            ((line["source"] as? [String: Any])?["path"] as? String).map { URL(fileURLWithPath: $0).lastPathComponent } ?? ""
        }
        // Every input is accounted for exactly once.
        #expect((records.map(name) + errors.map(name)).sorted() == Self.hostilePages().map(\.0))

        let recordsByName = Dictionary(uniqueKeysWithValues: records.map { (name($0), $0) })
        let errorsByName = Dictionary(uniqueKeysWithValues: errors.map { (name($0), $0) })
        func text(_ file: String) -> String { recordsByName[file]?["text"] as? String ?? "" }
        func error(_ file: String) -> (code: String, message: String) {
            (errorsByName[file]?["code"] as? String ?? "", errorsByName[file]?["message"] as? String ?? "")
        }

        #expect(text("a-truncated-mid-tag.html").contains("380 billion yuan in AI"))
        #expect(error("b-truncated-in-head.html").code == "empty_content")
        for deep in ["c-nested-100000-divs.html", "d-nested-100000-unclosed.html"] {
            // libxml2 stops at its nesting limit; the error says so.
            #expect(error(deep).code == "empty_content")
            #expect(error(deep).message.contains("html_truncated"), "\(error(deep).message)")
        }
        #expect(text("e-huge-attribute.html").contains("380 billion yuan in AI"))
        #expect(recordsByName["e-huge-attribute.html"]?["description"] is NSNull)
        #expect(error("f-100000-attributes.html").code == "limit_exceeded")
        #expect(!text("g-external-entity.html").contains("root:"))
        #expect(text("h-nested-json-ld.html").contains("380 billion yuan in AI"))
        #expect(error("i-binary.html").code == "binary_content")
        #expect(error("j-binary-after-html-head.html").code == "binary_content")
    }

    /// Every prefix cut of a real page (truncated downloads) and pages with bytes overwritten give a record
    /// or an error record, never a crash.
    @Test func truncatedAndCorruptedCopiesOfARealPageNeverCrash() throws {
        let page = try #require(FileManager.default.contents(atPath: repoPath("fixtures/html/pages/sciencealert-titan-map.html")))
        let input = try makeTemporaryFolder("newsflow-cuts")
        var count = 0
        for cut in stride(from: 0, to: page.count, by: max(1, page.count / 40)) {
            try page.prefix(cut).write(to: URL(fileURLWithPath: input + String(format: "/cut-%06d.html", cut)))
            count += 1
        }
        var corrupted = [UInt8](page)
        for step in 0..<20 {
            for offset in stride(from: step * 97, to: corrupted.count, by: 1 + step * 211) {
                corrupted[offset] = UInt8(truncatingIfNeeded: offset &* 31 &+ step)
            }
            try Data(corrupted).write(to: URL(fileURLWithPath: input + String(format: "/corrupt-%02d.html", step)))
            count += 1
        }
        let output = try makeTemporaryFolder("newsflow-cuts-out") + "/out/"
        let result = try runProcess(binary, ["batch", input, "-o", output], timeLimit: .seconds(120))
        #expect(!result.timedOut)
        #expect(result.status == 0, "\(result.stderr)")
        let written = try jsonLines(output + "part-00000.jsonl").count + jsonLines(output + "errors.jsonl").count
        #expect(written == count)
    }
}

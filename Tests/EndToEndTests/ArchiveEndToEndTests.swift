import Foundation
import NewsTestSupport
import Testing

/// The binary over archives, WARC crawls and JSON Lines dumps written by `scripts/gen_archive_fixtures.py`,
/// whose manifest says which record or error record each member, WARC record and row must give.
@Suite(.serialized) struct ArchiveEndToEndTests {
    let binary = newsflowBinary()

    /// The generated archives and their manifest, made once per test run (read-only after that).
    nonisolated(unsafe) static let fixtures: (folder: String, manifest: [String: Any]) = {
        let folder = try! makeTemporaryFolder("newsflow-archives")
        let result = try! runProcess("/usr/bin/env", ["python3", repoPath("scripts/gen_archive_fixtures.py"), folder])
        precondition(result.status == 0, "gen_archive_fixtures.py failed: \(result.stderr)")
        let data = FileManager.default.contents(atPath: folder + "/manifest.json")!
        return (folder, try! JSONSerialization.jsonObject(with: data) as! [String: Any])
    }()

    static var files: [String: [String: Any]] { fixtures.manifest["files"] as! [String: [String: Any]] }

    /// Runs `batch` into a new folder and returns the records, the error records and stderr.
    func batch(_ inputs: [String], _ options: [String] = [], stdin: Data? = nil) throws -> (records: [[String: Any]], errors: [[String: Any]], stderr: String) {
        let output = try makeTemporaryFolder("newsflow-archive-out") + "/"
        let result = try runProcess(binary, ["batch"] + inputs + ["-o", output] + options, input: stdin)
        #expect(result.status == 0, "\(result.stderr)")
        let parts = try FileManager.default.contentsOfDirectory(atPath: output).filter { $0.hasPrefix("part-") }.sorted()
        return (try parts.flatMap { try jsonLines(output + $0) }, try jsonLines(output + "errors.jsonl"), result.stderr)
    }

    /// What identifies an item inside its file, in a record's `source` or a manifest entry alike.
    static func key(_ fields: [String: Any]) -> String {
        if let record = fields["record"] as? String { return record }
        if let line = fields["line"] as? Int { return "line \(line)" }
        return fields["member"] as? String ?? "<none>"
    }

    @Test(arguments: ["pages.tar.gz", "truncated.tar.gz", "pages.zip", "crawl.warc.gz", "crawl.warc", "rows.jsonl.gz", "rows.jsonl"])
    func everyItemGivesTheRecordOrErrorTheManifestSays(file: String) throws {
        let spec = try #require(Self.files[file])
        let items = try #require(spec["items"] as? [[String: Any]])
        let path = Self.fixtures.folder + "/" + file
        let (records, errors, stderr) = try batch([path], ["--max-article-bytes", "\(Self.fixtures.manifest["max_article_bytes"] as! Int)"])

        let expectedRecords = items.filter { $0["expect"] as? String == "record" }
        let expectedErrors = items.filter { $0["expect"] as? String == "error" }
        #expect(records.map { Self.key($0["source"] as! [String: Any]) } == expectedRecords.map { Self.key($0) })
        #expect(errors.map { $0["code"] as? String } == expectedErrors.map { $0["code"] as? String })
        for (error, expected) in zip(errors, expectedErrors) where expected["member_optional"] as? Bool != true {
            #expect(Self.key(error["source"] as! [String: Any]) == Self.key(expected))
        }
        for error in errors {
            let source = try #require(error["source"] as? [String: Any])
            #expect(source["path"] as? String == path)
            #expect((error["message"] as? String)?.isEmpty == false)
        }
        for (record, expected) in zip(records, expectedRecords) {
            let source = try #require(record["source"] as? [String: Any])
            #expect(source["path"] as? String == path)
            #expect((record["text"] as? String)?.isEmpty == false)
            if let title = expected["title"] as? String { #expect(record["title"] as? String == title) }
            if let published = expected["published"] as? String { #expect(record["published"] as? String == published) }
            if let url = expected["url"] as? String { #expect(source["url"] as? String == url) }
            if let fetched = expected["fetched"] as? String { #expect(source["fetched"] as? String == fetched) }
            for fragment in expected["text_contains"] as? [String] ?? [] {
                #expect((record["text"] as? String)?.contains(fragment) == true, "\(Self.key(source)) lacks \(fragment)")
            }
        }
        #expect(stderr.contains("\(expectedRecords.count) article\(expectedRecords.count == 1 ? "" : "s"), \(expectedErrors.count) error"))
        if let skipped = spec["skipped"] as? [String: Int] {
            let total = skipped.values.reduce(0, +)
            #expect(stderr.contains("\(total) WARC records skipped (\(skipped["non_html"]!) not HTML or text, \(skipped["status"]!) not status 2xx, \(skipped["revisit"]!) revisit"))
        }
    }

    @Test func mixedInputsRunInCommandLineOrderWhateverTheWorkers() throws {
        let folder = Self.fixtures.folder
        let inputs = ["crawl.warc.gz", "pages.zip", "rows.jsonl.gz"].map { folder + "/" + $0 } + [repoPath("seeds")]
        let one = try batch(inputs, ["--workers", "1"])
        let many = try batch(inputs, ["--workers", "4"])
        #expect(one.records.count == 6 + 2 + 3 + 5)
        #expect(one.errors.count == 0 + 2 + 3)
        let paths = one.records.map { ($0["source"] as! [String: Any])["path"] as! String }
        #expect(paths == paths.sorted { inputs.firstIndex(of: $0) ?? 3 < inputs.firstIndex(of: $1) ?? 3 })
        #expect(NSArray(array: one.records).isEqual(to: many.records))
        #expect(NSArray(array: one.errors).isEqual(to: many.errors))
    }

    @Test func anArchiveOnStdinReadsLikeAFile() throws {
        let data = try #require(FileManager.default.contents(atPath: Self.fixtures.folder + "/pages.zip"))
        let (records, errors, _) = try batch(["-"], stdin: data)
        #expect(records.map { Self.key($0["source"] as! [String: Any]) } == ["a.html", "notes/c.txt"])
        #expect(errors.map { $0["code"] as? String } == ["unsafe_path", "empty_content"])
        #expect(records.allSatisfy { ($0["source"] as? [String: Any])?["path"] as? String == "-" })
    }

    @Test func anArchiveThatExpandsPastItsLimitStopsWithOneError() throws {
        let (records, errors, _) = try batch([Self.fixtures.folder + "/pages.tar.gz"], ["--max-archive-bytes", "100000"])
        // page-1 (58 KB) fits; page-2 (47 KB) takes the total past 100 KB, and nothing after it is read.
        #expect(records.map { Self.key($0["source"] as! [String: Any]) } == ["site/page-1.html"])
        #expect(errors.map { $0["code"] as? String } == ["limit_exceeded"])
        #expect((errors.first?["message"] as? String)?.contains("max_archive_bytes") == true)
    }

    /// A tar.gz of `count` distinct short articles, every tenth member empty (an error record).
    static func makeNumberedArchive(count: Int) throws -> String {
        let folder = try makeTemporaryFolder("newsflow-numbered")
        try FileManager.default.createDirectory(atPath: folder + "/items", withIntermediateDirectories: true)
        for index in 0..<count {
            let text = index % 10 == 9 ? "" : "Item \(index). Alibaba Group said on Monday it would invest 380 billion yuan in AI infrastructure in Hangzhou.\n"
            try text.write(toFile: folder + "/items/\(String(format: "%05d", index)).txt", atomically: false, encoding: .utf8)
        }
        let tar = try runProcess("/usr/bin/env", ["tar", "czf", folder + "/items.tar.gz", "--sort=name", "-C", folder, "items"])
        #expect(tar.status == 0, "\(tar.stderr)")
        return folder + "/items.tar.gz"
    }

    static func runState(_ folder: String) -> [String: Any]? {
        FileManager.default.contents(atPath: folder + "/.newsflow-run.json")
            .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
    }

    @Test func aRunKilledTwiceAndResumedHasEveryItemExactlyOnce() throws {
        let count = 800
        let archive = try Self.makeNumberedArchive(count: count)
        let output = try makeTemporaryFolder("newsflow-resume") + "/out/"
        let arguments = ["batch", archive, "-o", output, "--part-size", "40", "--workers", "2"]
        for kill in 1...2 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = arguments + (kill == 1 ? [] : ["--resume"])
            process.standardError = FileHandle.nullDevice
            let partsBefore = Self.runState(output)?["parts"] as? Int ?? 0
            try process.run()
            // SIGKILL once the run has committed a part of its own.
            let deadline = Date().addingTimeInterval(60)
            while (Self.runState(output)?["parts"] as? Int ?? 0) <= partsBefore, process.isRunning, Date() < deadline {
                usleep(5_000)
            }
            #expect(process.isRunning, "the run ended before it could be killed")
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal)
            #expect(Self.runState(output)?["complete"] as? Bool == false)
        }
        let resumed = try runProcess(binary, arguments + ["--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("resumed after"))

        let parts = try FileManager.default.contentsOfDirectory(atPath: output).filter { $0.hasPrefix("part-") }.sorted()
        let members = try parts.flatMap { try jsonLines(output + $0) }.map { ($0["source"] as! [String: Any])["member"] as! String }
        let errorMembers = try jsonLines(output + "errors.jsonl").map { ($0["source"] as! [String: Any])["member"] as! String }
        let expected = (0..<count).map { "items/" + String(format: "%05d", $0) + ".txt" }
        #expect(members.count == count - count / 10)
        #expect(members == expected.enumerated().filter { $0.offset % 10 != 9 }.map(\.element))
        #expect(errorMembers == expected.enumerated().filter { $0.offset % 10 == 9 }.map(\.element))
        #expect(Self.runState(output)?["complete"] as? Bool == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: output).allSatisfy { !$0.hasSuffix(".tmp") })
    }

    @Test func resumingADifferentRunIsRefused() throws {
        let output = try makeTemporaryFolder("newsflow-resume-other") + "/out/"
        #expect(try runProcess(binary, ["batch", repoPath("seeds"), "-o", output]).status == 0)
        let other = try runProcess(binary, ["batch", Self.fixtures.folder + "/pages.zip", "-o", output, "--resume"])
        #expect(other.status == 73)
        #expect(other.stderr.contains("other inputs"))
        let again = try runProcess(binary, ["batch", repoPath("seeds"), "-o", output, "--resume"])
        #expect(again.status == 0)
        #expect(again.stderr.contains("nothing to resume"))
    }
}

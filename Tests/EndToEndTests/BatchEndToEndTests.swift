import Foundation
import NewsTestSupport
import Testing

/// Runs the built binary as a user would.
@Suite(.serialized) struct BatchEndToEndTests {
    let binary = newsflowBinary()

    @Test func seedsMatchTheGoldenRecordsByteForByte() throws {
        let result = try runProcess(binary, ["batch", "seeds", "-o", "-"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").count == 5)
        #expect(result.stderr.contains("5 articles, 0 errors"))
        try assertMatchesGolden(result.stdout, fixture: "fixtures/e2e/seeds/expected.jsonl")
    }

    @Test func htmlPagesMatchTheGoldenRecords() throws {
        let result = try runProcess(binary, ["batch", "fixtures/html/pages", "-o", "-"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("5 articles, 0 errors"))
        try assertMatchesGolden(result.stdout, fixture: "fixtures/html/pages.expected.jsonl")
    }

    @Test func outputIsTheSameWithOneWorkerOrMany() throws {
        let one = try runProcess(binary, ["batch", "seeds", "--workers", "1"])
        let many = try runProcess(binary, ["batch", "seeds", "--workers", "8"])
        #expect(one.status == 0 && many.status == 0)
        #expect(one.stdout == many.stdout)
    }

    /// A folder with good articles, binary junk, invalid UTF-8, an empty file and HTML.
    static func makeMixedFolder() throws -> String {
        let folder = try makeTemporaryFolder("newsflow-mixed")
        try "Alibaba Group said it would invest 380 billion yuan in AI.\n".write(
            toFile: folder + "/a-good.txt", atomically: true, encoding: .utf8)
        var junk = Data([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00])
        junk.append(Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 7) }))
        try junk.write(to: URL(fileURLWithPath: folder + "/b-junk.bin"))
        try Data("Caf".utf8 + [0xE9] + " in Paris raised \u{20AC}".utf8 + [0xFF] + "5 million.".utf8)
            .write(to: URL(fileURLWithPath: folder + "/c-latin1.txt"))
        try Data().write(to: URL(fileURLWithPath: folder + "/d-empty.txt"))
        try FileManager.default.createDirectory(atPath: folder + "/e-sub", withIntermediateDirectories: true)
        try """
            <html lang="en"><head><title>Amazon to invest $50 billion</title></head>
            <body><nav>Menu</nav><article><p>Amazon said on Monday it will invest $50 billion for US government agencies.</p></article></body></html>
            """.write(toFile: folder + "/e-sub/page.html", atomically: true, encoding: .utf8)
        try "hidden".write(toFile: folder + "/.hidden.txt", atomically: true, encoding: .utf8)
        return folder
    }

    @Test func badFilesBecomeErrorRecordsAndGoodOnesAreKept() throws {
        let input = try Self.makeMixedFolder()
        let output = try makeTemporaryFolder("newsflow-out") + "/out/"
        let result = try runProcess(binary, ["batch", input, "-o", output])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("3 articles, 2 errors"))

        let records = try jsonLines(output + "part-00000.jsonl")
        #expect(records.map { ($0["source"] as? [String: Any])?["path"] as? String } == [
            input + "/a-good.txt", input + "/c-latin1.txt", input + "/e-sub/page.html",
        ])
        let latin1 = records[1]
        let warnings = try #require(latin1["warnings"] as? [[String: Any]])
        #expect(warnings.first?["code"] as? String == "invalid_utf8")
        #expect((latin1["text"] as? String)?.contains("Caf\u{FFFD}") == true)
        #expect(records[2]["title"] as? String == "Amazon to invest $50 billion")
        #expect(!((records[2]["text"] as? String) ?? "").contains("Menu"))

        let errors = try jsonLines(output + "errors.jsonl")
        #expect(errors.map { $0["code"] as? String } == ["binary_content", "empty_content"])
        #expect(errors.map { ($0["source"] as? [String: Any])?["path"] as? String } == [input + "/b-junk.bin", input + "/d-empty.txt"])
        #expect(errors.allSatisfy { ($0["message"] as? String)?.isEmpty == false && $0["stage"] is String })
        // Nothing but the committed files is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: output).sorted() == [".newsflow-run.json", "errors.jsonl", "part-00000.jsonl"])
    }

    @Test func errorsGoToStderrWhenRecordsGoToStdout() throws {
        let input = try Self.makeMixedFolder()
        let result = try runProcess(binary, ["batch", input])
        #expect(result.status == 0)
        #expect(result.stdout.split(separator: "\n").count == 3)
        #expect(result.stderr.contains("\"code\":\"binary_content\""))
    }

    @Test func downstreamToolsReadTheOutput() throws {
        let output = try makeTemporaryFolder("newsflow-downstream") + "/"
        let input = try Self.makeMixedFolder()
        let run = try runProcess(binary, ["batch", "seeds", input, "-o", output])
        #expect(run.status == 0, "\(run.stderr)")

        // jq: the canonical organisations across the run.
        let jq = try runProcess(
            "/usr/bin/env", ["jq", "-r", #"[.entities[] | select(.label == "ORG") | .canonical] | unique | .[]"#, output + "part-00000.jsonl"])
        #expect(jq.status == 0, "\(jq.stderr)")
        let organisations = Set(jq.stdout.split(separator: "\n").map(String.init))
        #expect(organisations.isSuperset(of: ["Alibaba Group", "Amazon", "Amazon Web Services"]))
        let count = try runProcess("/usr/bin/env", ["jq", "-s", "length", output + "part-00000.jsonl"])
        #expect(count.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "8")

        // DuckDB and JSON Schema, from Python as a data team would.
        let python = downstreamPython()
        let arguments = (python == "/usr/bin/env" ? ["python3"] : []) + [
            repoPath("scripts/check_downstream.py"), output, repoPath("schema"),
        ]
        let check = try runProcess(python, arguments)
        #expect(check.status == 0, "\(check.stdout)\n\(check.stderr)")
        #expect(check.stdout.contains("\"records\": 8"))
        #expect(check.stdout.contains("\"duckdb_records\": 8"))
        #expect(check.stdout.contains("\"problems\": 0"))
    }

    @Test func extractReadsOneArticleFromStdin() throws {
        let html = "<html><head><title>Tencent results</title></head><body><p>Tencent CEO Pony Ma said profit rose to HK$50 billion.</p></body></html>"
        let result = try runProcess(binary, ["extract"], input: Data(html.utf8))
        #expect(result.status == 0, "\(result.stderr)")
        let record = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(record["title"] as? String == "Tencent results")
        let money = try #require(record["money"] as? [[String: Any]])
        #expect(money.first?["currency"] as? String == "HKD")
    }

    @Test func annotateAddsMentionsAndKeepsOtherFields() throws {
        let rows = #"{"id":"r1","text":"Alibaba will spend $52.44 billion.","entities":[{"stale":true}]}"# + "\n"
        let result = try runProcess(binary, ["annotate"], input: Data(rows.utf8))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout
                == #"{"id":"r1","text":"Alibaba will spend $52.44 billion.","entities":[{"text":"Alibaba","label":"ORG","start":0,"end":7,"canonical":"Alibaba Group"}],"money":[{"text":"$52.44 billion","start":19,"end":33,"value":52440000000,"currency":"USD"}]}"#
                + "\n")
    }

    @Test func stdinIsAnInput() throws {
        let result = try runProcess(binary, ["batch", "-"], input: Data("Jeff Bezos founded Amazon.".utf8))
        #expect(result.status == 0)
        #expect(result.stdout.contains(#""source":{"path":"-"}"#))
    }

}

@Suite struct CommandLineErrorTests {
    let binary = newsflowBinary()

    func pipelineVariant(_ edit: (String) -> String) throws -> String {
        let original = try String(contentsOfFile: repoPath("pipelines/default.yaml"), encoding: .utf8)
        let path = repoPath("pipelines/.test-\(UUID().uuidString).yaml")
        try edit(original).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func unknownKeyIsAClearErrorBeforeAnyInput() throws {
        let path = try pipelineVariant { $0.replacingOccurrences(of: "    lexicons:", with: "    lexicon:") }
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try runProcess(binary, ["batch", "seeds", "--pipeline", path])
        #expect(result.status == 78)
        #expect(result.stderr.contains("stages.entities.lexicon: unknown key"))
        #expect(result.stdout.isEmpty)
    }

    @Test func missingLexiconFileIsAClearError() throws {
        let path = try pipelineVariant { $0.replacingOccurrences(of: "lexicons/cities.tsv", with: "lexicons/no-such-file.tsv") }
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try runProcess(binary, ["batch", "seeds", "--pipeline", path])
        #expect(result.status == 78)
        #expect(result.stderr.contains("stages.entities.lexicons[5]: file not found"))
    }

    @Test func unreadablePipelineIsAnError() throws {
        let result = try runProcess(binary, ["batch", "seeds", "--pipeline", "/nonexistent/pipeline.yaml"])
        #expect(result.status == 78)
        #expect(result.stderr.contains("cannot read pipeline definition"))
    }

    @Test func badUsageExitsNonZero() throws {
        #expect(try runProcess(binary, ["batch"]).status == 64)
        #expect(try runProcess(binary, ["batch", "seeds", "--workers", "0"]).status == 64)
        let missing = try runProcess(binary, ["batch", "no-such-folder"])
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("no-such-folder: no such file or folder"))
    }

    @Test func helpDescribesTheCommands() throws {
        let help = try runProcess(binary, ["--help"])
        #expect(help.status == 0)
        for command in ["batch", "extract", "annotate"] { #expect(help.stdout.contains(command)) }
        let batchHelp = try runProcess(binary, ["batch", "--help"])
        for option in ["--output", "--pipeline", "--workers"] { #expect(batchHelp.stdout.contains(option)) }
    }
}

@Suite struct SignalEndToEndTests {
    /// SIGTERM mid-run: reading stops, what was read is written, and the files are committed.
    @Test func sigtermFinishesInFlightAndCommits() throws {
        let input = try makeTemporaryFolder("newsflow-signal")
        let seed = try String(contentsOfFile: repoPath("seeds/002_9b894a939a9446fb.txt"), encoding: .utf8)
        for index in 0..<4000 {
            try (seed + "\n\(index)").write(toFile: input + String(format: "/%05d.txt", index), atomically: false, encoding: .utf8)
        }
        let output = try makeTemporaryFolder("newsflow-signal-out") + "/"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: newsflowBinary())
        process.arguments = ["batch", input, "-o", output, "--workers", "1"]
        process.currentDirectoryURL = packageRoot
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        usleep(700_000)
        process.terminate()  // SIGTERM
        let summary = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()

        // Finished before the signal (exit 0) or interrupted (exit 130): either way the output is whole.
        #expect([0, 130].contains(process.terminationStatus), "\(summary)")
        let parts = try FileManager.default.contentsOfDirectory(atPath: output).filter { $0.hasPrefix("part-") }.sorted()
        var lines = 0
        for part in parts {
            for line in try String(contentsOfFile: output + part, encoding: .utf8).split(separator: "\n") {
                #expect(try JSONSerialization.jsonObject(with: Data(line.utf8)) is [String: Any])
                lines += 1
            }
        }
        #expect(summary.contains("newsflow: \(lines) article\(lines == 1 ? "" : "s"),"), "\(summary)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: output).allSatisfy { !$0.hasSuffix(".tmp") })
        if process.terminationStatus == 130 {
            #expect(lines < 4000)
            #expect(summary.contains("interrupted"))
        }
    }
}

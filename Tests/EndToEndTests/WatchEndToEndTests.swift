import Foundation
import NewsTestSupport
import Testing

/// A `newsflow watch` process, its log in a file.
final class Daemon {
    let process = Process()
    let logPath: String

    init(inbox: String, output: String, extra: [String] = [], label: String = "daemon") throws {
        logPath = output + "-\(label)-\(UUID().uuidString.prefix(6)).log"
        try Data().write(to: URL(fileURLWithPath: logPath))
        process.executableURL = URL(fileURLWithPath: newsflowBinary())
        process.arguments = ["watch", inbox, "-o", output, "--settle", "0.5", "--rescan", "1", "--workers", "2"] + extra
        process.currentDirectoryURL = packageRoot
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = FileHandle.nullDevice
        try process.run()
    }

    /// SIGKILL at once; other signals once the daemon says it is watching, as a user would send them.
    func signal(_ number: Int32) {
        if number != SIGKILL { _ = waitUntilWatching() }
        kill(process.processIdentifier, number)
    }

    /// Waits for the daemon's "watching" log line; false if it does not come within 30 s.
    func waitUntilWatching() -> Bool {
        let deadline = Date(timeIntervalSinceNow: 30)
        while !log.contains("\"msg\":\"watching\""), process.isRunning, Date() < deadline { usleep(20_000) }
        return log.contains("\"msg\":\"watching\"")
    }

    /// Waits for the exit; nil if still running after `seconds` (then killed).
    func exitStatus(within seconds: Double) -> Int32? {
        let deadline = Date(timeIntervalSinceNow: seconds)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        guard !process.isRunning else {
            signal(SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return process.terminationStatus
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
}

/// An inbox and an output folder, and what a user would check in them.
struct DropFolder {
    let root: String
    var inbox: String { root + "/inbox" }
    var output: String { root + "/out" }

    init(_ label: String) throws {
        root = try makeTemporaryFolder(label)
        try FileManager.default.createDirectory(atPath: root + "/inbox", withIntermediateDirectories: true)
    }

    /// Written under a hidden name, then renamed in: what producers are told to do.
    func drop(_ name: String, _ bytes: Data) throws {
        let hidden = inbox + "/." + name + ".tmp"
        try bytes.write(to: URL(fileURLWithPath: hidden))
        guard rename(hidden, inbox + "/" + name) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    func dropArticle(_ number: Int) throws {
        try drop(String(format: "article-%05d.txt", number), Self.article(number))
    }

    static func article(_ number: Int) -> Data {
        Data("""
            Acme Holdings said on Monday it would invest $\(number) million in a new plant in Berlin, chief executive \
            Maria Lopez told reporters. The deal, number \(number), is expected to close next year.

            """.utf8)
    }

    func names(in folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: inbox + "/" + folder)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    /// Files still claimed by some daemon (lock files aside).
    var claimedFiles: [String] {
        names(in: "processing").flatMap { names(in: "processing/" + $0) }
    }

    /// Every committed record, from the part files.
    func records() throws -> [[String: Any]] {
        let parts = ((try? FileManager.default.contentsOfDirectory(atPath: output)) ?? [])
            .filter { $0.hasPrefix("part-") && $0.hasSuffix(".jsonl") }.sorted()
        return try parts.flatMap { try jsonLines(output + "/" + $0) }
    }

    func errorRecords() throws -> [[String: Any]] {
        FileManager.default.fileExists(atPath: output + "/errors.jsonl") ? try jsonLines(output + "/errors.jsonl") : []
    }

    /// How many records name each dropped file as their source.
    func recordsPerInput() throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for record in try records() {
            let path = (record["source"] as? [String: Any])?["path"] as? String ?? "?"
            counts[URL(fileURLWithPath: path).lastPathComponent, default: 0] += 1
        }
        return counts
    }

    func waitUntil(seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        while Date() < deadline {
            if try condition() { return true }
            usleep(50_000)
        }
        return try condition()
    }
}

@Suite(.serialized) struct WatchEndToEndTests {
    /// Done means (1): files dropped while the daemon is SIGKILLed at random moments and restarted; every
    /// input has exactly one record and is in done/.
    @Test func killedAndRestartedDaemonsLoseAndDuplicateNothing() throws {
        let folder = try DropFolder("watch-kill")
        let count = 1_000
        let dropper = Thread {
            // Spread over about five seconds, so the kills land while files are arriving and in flight.
            for number in 0..<count {
                try? folder.dropArticle(number)
                usleep(5_000)
            }
        }
        dropper.start()
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5 {
            let daemon = try Daemon(inbox: folder.inbox, output: folder.output)
            usleep(UInt32.random(in: 200_000...1_200_000, using: &generator))
            daemon.signal(SIGKILL)
            daemon.process.waitUntilExit()
        }
        let last = try Daemon(inbox: folder.inbox, output: folder.output)
        let finished = folder.waitUntil(seconds: 180) { folder.names(in: "done").count >= count }
        last.signal(SIGTERM)
        #expect(last.exitStatus(within: 30) == 0)
        #expect(finished, "done/ holds \(folder.names(in: "done").count) of \(count)")

        let expected = (0..<count).map { String(format: "article-%05d.txt", $0) }
        #expect(folder.names(in: "done") == expected)
        #expect(folder.names(in: "failed").isEmpty)
        #expect(folder.claimedFiles.isEmpty)
        let perInput = try folder.recordsPerInput()
        #expect(perInput.count == count)
        #expect(perInput.values.allSatisfy { $0 == 1 }, "inputs with more than one record: \(perInput.filter { $0.value != 1 }.keys.sorted().prefix(5))")
        #expect(try folder.errorRecords().isEmpty)
    }

    /// Done means (2): a file written slowly in place is read only once complete.
    @Test func aFileWrittenSlowlyInPlaceIsReadWhenComplete() throws {
        let folder = try DropFolder("watch-slow")
        let daemon = try Daemon(inbox: folder.inbox, output: folder.output)
        let path = folder.inbox + "/slow.txt"
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        let sentences = (0..<8).map { "Sentence \($0) of the report says Acme paid $\($0 + 1) million. " }
        for sentence in sentences {
            handle.write(Data(sentence.utf8))
            usleep(300_000)  // writes keep coming faster than the settle time (0.5 s)
            #expect(try folder.records().isEmpty, "read before the writer finished")
        }
        try handle.close()
        #expect(folder.waitUntil(seconds: 20) { folder.names(in: "done") == ["slow.txt"] })
        daemon.signal(SIGTERM)
        #expect(daemon.exitStatus(within: 30) == 0)
        let records = try folder.records()
        #expect(records.count == 1)
        let text = records.first?["text"] as? String ?? ""
        #expect(sentences.allSatisfy { text.contains($0.trimmingCharacters(in: .whitespaces)) }, "got: \(text)")
    }

    /// Done means (3): bad inputs end in failed/ with a clear error (or are refused), good files keep flowing.
    @Test func badInputsFailWhileGoodFilesFlow() throws {
        let folder = try DropFolder("watch-bad")
        let daemon = try Daemon(inbox: folder.inbox, output: folder.output)
        try folder.dropArticle(1)
        try folder.drop("empty.txt", Data())
        try folder.drop("junk.bin", Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 * 7919 % 251) }))
        // A gzip header and the first bytes of a deflate stream, then nothing.
        try folder.drop("truncated.txt.gz", Data([0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03, 0x73, 0x4C, 0x4E, 0xCD, 0x55, 0xF0]))
        try folder.drop("escape.tar", tarWithEscapingMember())
        guard symlink("/etc/passwd", folder.inbox + "/passwd.txt") == 0 else { throw CocoaError(.fileWriteUnknown) }
        // é and ü as their Latin-1 bytes: not UTF-8.
        try folder.drop("latin1.txt", Data("Café: Acme paid $3 million in Zürich.".unicodeScalars.map { UInt8($0.value) }))
        try folder.dropArticle(3)
        let failed = ["empty.txt", "escape.tar", "junk.bin", "passwd.txt", "truncated.txt.gz"]
        let settled = folder.waitUntil(seconds: 30) {
            folder.names(in: "failed").filter { !$0.hasSuffix(".error.json") } == failed && folder.names(in: "done").count == 3
        }
        daemon.signal(SIGTERM)
        #expect(daemon.exitStatus(within: 30) == 0)
        #expect(settled, "failed/: \(folder.names(in: "failed")), done/: \(folder.names(in: "done"))")
        #expect(folder.names(in: "done") == ["article-00001.txt", "article-00003.txt", "latin1.txt"])
        for name in failed {
            let sidecar = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.inbox + "/failed/" + name + ".error.json")))
                    as? [String: Any])
            #expect(sidecar["input"] as? String == name)
            #expect(!(sidecar["reason"] as? String ?? "").isEmpty)
        }
        // The link was moved, never followed: failed/ holds the link itself.
        let link = try FileManager.default.destinationOfSymbolicLink(atPath: folder.inbox + "/failed/passwd.txt")
        #expect(link == "/etc/passwd")
        #expect(try !folder.records().contains { ($0["text"] as? String ?? "").contains("root:") })
        // The member outside the archive is an error record naming it; the good member's record is kept.
        let errors = try folder.errorRecords()
        #expect(errors.contains { ($0["source"] as? [String: Any])?["member"] as? String == "../escape.txt" })
        let perInput = try folder.recordsPerInput()
        #expect(perInput["article-00001.txt"] == 1 && perInput["article-00003.txt"] == 1 && perInput["escape.tar"] == 1)
        // Text that is not UTF-8 is decoded as Windows-1252 and says so in the record.
        let latin = try #require(try folder.records().first { ($0["source"] as? [String: Any])?["path"] as? String == folder.inbox + "/latin1.txt" })
        #expect((latin["text"] as? String)?.contains("Zürich") == true)
        #expect((latin["warnings"] as? [[String: Any]])?.first?["code"] as? String == "charset_guessed")
    }

    /// Done means (4): two daemons on one inbox and one output folder emit each input once.
    @Test func twoDaemonsShareAnInboxWithoutDuplicates() throws {
        let folder = try DropFolder("watch-two")
        let daemons = try (0..<2).map { try Daemon(inbox: folder.inbox, output: folder.output, label: "d\($0)") }
        #expect(daemons.allSatisfy { $0.waitUntilWatching() })
        let count = 400
        for number in 0..<count { try folder.dropArticle(number) }
        // The same content again under another name: reported as a duplicate, not emitted twice.
        try folder.drop("copy-of-7.txt", DropFolder.article(7))
        let finished = folder.waitUntil(seconds: 120) { folder.names(in: "done").count >= count + 1 }
        for daemon in daemons { daemon.signal(SIGTERM) }
        for daemon in daemons { #expect(daemon.exitStatus(within: 30) == 0) }
        #expect(finished)
        let perInput = try folder.recordsPerInput()
        // Whichever of the two copies came first has the record; the other is reported as its duplicate.
        #expect(perInput.count == count)
        #expect(perInput.values.allSatisfy { $0 == 1 })
        #expect(perInput["copy-of-7.txt", default: 0] + perInput["article-00007.txt", default: 0] == 1)
        let logs = daemons.map(\.log).joined()
        #expect(logs.contains("\"msg\":\"duplicate drop: same content already committed; not emitted again\""))
        // Both took a share of the work.
        let writers = Set(try FileManager.default.contentsOfDirectory(atPath: folder.output).filter { $0.hasPrefix("part-") }
            .map { $0.split(separator: "-")[2] })
        #expect(writers.count == 2)
    }

    /// Done means (5): SIGTERM with work in flight finishes and commits it, and exits 0.
    @Test func sigtermDrainsInFlightWorkAndExitsZero() throws {
        let folder = try DropFolder("watch-term")
        let status = folder.root + "/status.prom"
        let count = 600
        for number in 0..<count { try folder.dropArticle(number) }
        let daemon = try Daemon(inbox: folder.inbox, output: folder.output, extra: ["--status-file", status, "--settle", "0"])
        #expect(folder.waitUntil(seconds: 30) { !folder.names(in: "done").isEmpty })
        daemon.signal(SIGTERM)
        #expect(daemon.exitStatus(within: 30) == 0)
        #expect(daemon.log.contains("\"msg\":\"stopped\""))
        // Whatever was claimed is committed and in done/; nothing is left half-done.
        #expect(folder.claimedFiles.isEmpty)
        let done = folder.names(in: "done")
        #expect(done.count < count, "the stop came after everything was done; nothing was in flight")
        let perInput = try folder.recordsPerInput()
        #expect(Set(perInput.keys) == Set(done))
        #expect(perInput.values.allSatisfy { $0 == 1 })
        let exposition = try String(contentsOfFile: status, encoding: .utf8)
        #expect(exposition.contains("newsflow_committed_inputs_total \(done.count)"))
        #expect(exposition.contains("newsflow_backlog "))

        // A new daemon finishes the rest.
        let next = try Daemon(inbox: folder.inbox, output: folder.output)
        #expect(folder.waitUntil(seconds: 120) { folder.names(in: "done").count == count })
        next.signal(SIGTERM)
        #expect(next.exitStatus(within: 30) == 0)
        #expect(try folder.recordsPerInput().values.allSatisfy { $0 == 1 })
        #expect(try folder.recordsPerInput().count == count)
    }

    /// Done means (6): a burst of small files larger than inotify's queue, each processed once. 100,000 by
    /// default; NEWSFLOW_BURST_FILES sets another size.
    @Test func aBurstOfSmallFilesIsProcessedExactlyOnce() throws {
        let count = Int(ProcessInfo.processInfo.environment["NEWSFLOW_BURST_FILES"] ?? "") ?? 100_000
        let folder = try DropFolder("watch-burst")
        let daemon = try Daemon(inbox: folder.inbox, output: folder.output, extra: ["--delete-done", "--log-level", "warning"])
        for number in 0..<count { try folder.dropArticle(number) }
        let finished = folder.waitUntil(seconds: 900) {
            (try? FileManager.default.contentsOfDirectory(atPath: folder.inbox).count) == 3 && folder.claimedFiles.isEmpty
        }
        daemon.signal(SIGTERM)
        #expect(daemon.exitStatus(within: 60) == 0)
        #expect(finished)
        let perInput = try folder.recordsPerInput()
        #expect(perInput.count == count)
        #expect(perInput.values.allSatisfy { $0 == 1 })
    }
}

/// A tar with a good member and one named `../escape.txt`.
private func tarWithEscapingMember() -> Data {
    func member(_ name: String, _ body: Data) -> Data {
        var header = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int) {
            for (index, byte) in text.utf8.enumerated() { header[offset + index] = byte }
        }
        put(name, at: 0)
        put("0000644\0", at: 100)
        put("0000000\0", at: 108)
        put("0000000\0", at: 116)
        put(String(format: "%011o\0", body.count), at: 124)
        put("00000000000\0", at: 136)
        put("        ", at: 148)
        header[156] = UInt8(ascii: "0")
        put("ustar\0", at: 257)
        put("00", at: 263)
        let checksum = header.reduce(0) { $0 + Int($1) }
        put(String(format: "%06o\0 ", checksum), at: 148)
        var data = Data(header)
        data.append(body)
        data.append(Data(count: (512 - body.count % 512) % 512))
        return data
    }
    var tar = member("good.txt", DropFolder.article(42))
    tar.append(member("../escape.txt", Data("root:x:0:0:root:/root:/bin/bash\n".utf8)))
    tar.append(Data(count: 1024))
    return tar
}

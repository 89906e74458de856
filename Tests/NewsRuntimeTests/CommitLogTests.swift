import Foundation
import NewsEmit
import Testing

@Suite struct CommitLogTests {
    func folder() throws -> String {
        let path = NSTemporaryDirectory() + "newsflow-commitlog-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func input(_ hash: String, records: [String] = ["{\"r\":1}"], errors: [String] = []) -> CommitInput {
        CommitInput(contentHash: hash, name: hash + ".txt", records: records, errors: errors)
    }

    func visible(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }.sorted()
    }

    func allRecords(_ folder: String) throws -> String {
        try visible(folder).filter { $0.hasPrefix("part-") }
            .map { try String(contentsOfFile: folder + "/" + $0, encoding: .utf8) }.joined()
    }

    @Test func aCommitWritesOnePartItsErrorsAndNothingHidden() throws {
        let out = try folder()
        let log = try CommitLog(folder: out, writerID: "w1")
        let outcomes = try log.commit([input("a", records: ["{\"a\":1}", "{\"a\":2}"], errors: ["{\"e\":1}"]), input("b", records: [])])
        let parts = try visible(out).filter { $0.hasPrefix("part-") }
        #expect(parts.count == 1)
        #expect(parts[0].contains("-w1-"))
        #expect(outcomes == [.committed(part: parts[0]), .committed(part: nil)])
        #expect(try allRecords(out) == "{\"a\":1}\n{\"a\":2}\n")
        #expect(try String(contentsOfFile: out + "/errors.jsonl", encoding: .utf8) == "{\"e\":1}\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasSuffix(".tmp") }.isEmpty)
    }

    @Test func theSameContentIsADuplicateForEveryWriter() throws {
        let out = try folder()
        let first = try CommitLog(folder: out, writerID: "w1")
        let second = try CommitLog(folder: out, writerID: "w2")
        let firstOutcomes = try first.commit([input("a")])
        #expect(firstOutcomes == [.committed(part: try visible(out).first { $0.hasPrefix("part-") })])
        // The second writer learns of the first one's commit under the lock, not from memory.
        #expect(try second.commit([input("a"), input("b")]).first == .duplicate(earlierName: "a.txt"))
        // Twice in one commit: the second is the duplicate.
        #expect(try second.commit([input("c"), CommitInput(contentHash: "c", name: "again.txt", records: ["{}"], errors: [])])
            .last == .duplicate(earlierName: "c.txt"))
        #expect(try allRecords(out).split(separator: "\n").count == 3)
        // A restart knows everything committed.
        let restarted = try CommitLog(folder: out, writerID: "w3")
        #expect(restarted.committedInputs == 3)
        #expect(restarted.committedName(of: "b") == "b.txt")
    }

    @Test func aCommitCutAfterItsLedgerLineIsRolledForward() throws {
        let out = try folder()
        let log = try CommitLog(folder: out, writerID: "w1")
        _ = try log.commit([input("a", records: ["{\"a\":1}"], errors: ["{\"e\":1}"])])
        // As if killed after the ledger line, before the rename and the errors append.
        let part = try #require(try visible(out).first { $0.hasPrefix("part-") })
        #expect(rename(out + "/" + part, out + "/." + part + ".tmp") == 0)
        let stem = String(part.dropLast(".jsonl".count))
        try "{\"e\":1}\n".write(toFile: out + "/." + stem + ".errors.tmp", atomically: false, encoding: .utf8)
        #expect(truncate(out + "/errors.jsonl", 0) == 0)

        let restarted = try CommitLog(folder: out, writerID: "w2")
        #expect(try visible(out).contains(part))
        #expect(try allRecords(out) == "{\"a\":1}\n")
        #expect(try String(contentsOfFile: out + "/errors.jsonl", encoding: .utf8) == "{\"e\":1}\n")
        #expect(restarted.committedName(of: "a") == "a.txt")
    }

    @Test func aTornLedgerLineAndItsTemporariesAreDropped() throws {
        let out = try folder()
        let log = try CommitLog(folder: out, writerID: "w1")
        _ = try log.commit([input("a")])
        // As if killed while appending the next commit's line: its part exists only as a temporary.
        let ledger = try #require(FileHandle(forWritingAtPath: out + "/" + CommitLog.ledgerName))
        ledger.seekToEndOfFile()
        ledger.write(Data("{\"inputs\":[{\"sha256\":\"b\"".utf8))
        try ledger.close()
        try "{\"b\":1}\n".write(toFile: out + "/.part-x-w1-000002.jsonl.tmp", atomically: false, encoding: .utf8)

        let restarted = try CommitLog(folder: out, writerID: "w2")
        #expect(restarted.committedName(of: "b") == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasSuffix(".tmp") }.isEmpty)
        #expect(try restarted.commit([input("b")]) != [.duplicate(earlierName: "b.txt")])
        let lines = try String(contentsOfFile: out + "/" + CommitLog.ledgerName, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) != nil })
    }
}

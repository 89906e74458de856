import Foundation
import NewsCore
import NewsEmit
import NewsRuntime
import Synchronization
import Testing

/// Doubles its input after a pseudo-random pause, so items finish out of order.
struct JitterStage: Stage {
    let name = "jitter"

    func process(_ input: Int) throws(StageError) -> Int {
        usleep(UInt32((input * 7919) % 13) * 100)
        return input * 2
    }
}

/// Fails every item divisible by `divisor`.
struct FailingStage: Stage {
    let name = "fail"
    let divisor: Int

    func process(_ input: Int) throws(StageError) -> String {
        if input % divisor == 0 { throw StageError(stage: name, code: .parseFailed, message: "bad item \(input)") }
        return "item \(input)"
    }
}

/// Passes its input on and counts the items it was given.
final class CountingStage: Stage, Sendable {
    let name = "count"
    let calls = Mutex(0)

    func process(_ input: String) throws(StageError) -> String {
        calls.withLock { $0 += 1 }
        return input
    }
}

/// Counts how many items are between reading and delivery at once.
final class InFlightProbe: Sendable {
    let current = Mutex(0)
    let peak = Mutex(0)

    func enter() {
        let now = current.withLock { value in
            value += 1
            return value
        }
        peak.withLock { $0 = max($0, now) }
    }

    func leave() { current.withLock { $0 -= 1 } }
}

/// A lazy input sequence that records each read in the probe.
struct ProbedInputs: Sequence, Sendable {
    let count: Int
    let probe: InFlightProbe

    func makeIterator() -> AnyIterator<Int> {
        var next = 0
        return AnyIterator {
            guard next < count else { return nil }
            probe.enter()
            next += 1
            return next - 1
        }
    }
}

@Suite struct StagedRunnerTests {
    @Test(arguments: [1, 2, 4, 8])
    func deliversInInputOrder(workers: Int) {
        let chain = StageChain(JitterStage()).then(JitterStage())
        let runner = StagedRunner(chain: chain, options: RuntimeOptions(workers: workers))
        var delivered: [Int] = []
        let count = runner.run(Array(0..<500)) { sequence, result in
            delivered.append((try? result.get()) ?? -1)
        }
        #expect(count == 500)
        #expect(delivered == (0..<500).map { $0 * 4 })
    }

    /// Batches of one, of a size that does not divide the input, and larger than the whole input.
    @Test(arguments: [1, 7, 1_000])
    func batchSizeChangesNothingButTheGrouping(batchSize: Int) {
        let chain = StageChain(JitterStage()).then(FailingStage(divisor: 5))
        let runner = StagedRunner(chain: chain, options: RuntimeOptions(workers: 2, batchSize: batchSize))
        var delivered: [String] = []
        let count = runner.run(Array(0..<200)) { sequence, result in
            #expect(sequence == delivered.count)
            delivered.append((try? result.get()) ?? "error")
        }
        #expect(count == 200)
        #expect(delivered == (0..<200).map { $0 * 2 % 5 == 0 ? "error" : "item \($0 * 2)" })
    }

    @Test func failuresBecomeOrderedErrorsAndTheRunGoesOn() {
        let chain = StageChain(JitterStage()).then(FailingStage(divisor: 3))
        let runner = StagedRunner(chain: chain, options: RuntimeOptions(workers: 3))
        var outcomes: [String] = []
        runner.run(Array(0..<30)) { input, result in
            switch result {
            case .success(let text): outcomes.append(text)
            case .failure(let failure):
                #expect(failure.error.stage == "fail")
                #expect(failure.failedInput as? Int == input * 2)
                outcomes.append("error \(input)")
            }
        }
        #expect(outcomes.count == 30)
        for input in 0..<30 {
            #expect(outcomes[input] == (input * 2 % 3 == 0 ? "error \(input)" : "item \(input * 2)"))
        }
    }

    /// A worker takes each item through the whole chain; a failure ends the item's way there.
    @Test func aFailureSkipsTheStagesAfterIt() {
        let counter = CountingStage()
        let chain = StageChain(JitterStage()).then(FailingStage(divisor: 4)).then(counter)
        let runner = StagedRunner(chain: chain, options: RuntimeOptions(workers: 2, batchSize: 5))
        var failures = 0
        runner.run(Array(0..<100)) { _, result in
            if case .failure(let failure) = result {
                #expect(failure.error.stage == "fail")
                failures += 1
            }
        }
        #expect(failures == 50)
        #expect(counter.calls.withLock { $0 } == 50)
    }

    @Test func aSlowWriterBoundsWhatIsRead() {
        let probe = InFlightProbe()
        let options = RuntimeOptions(workers: 2, queueCapacity: 2, inFlightLimit: 6)
        let runner = StagedRunner(chain: StageChain(JitterStage()), options: options)
        var delivered = 0
        runner.run(ProbedInputs(count: 200, probe: probe)) { _, _ in
            usleep(200)  // the sink is the bottleneck
            delivered += 1
            probe.leave()
        }
        #expect(delivered == 200)
        // The window (6) is smaller than a batch (16): the reader must send part-filled batches, or it would
        // wait for slots its own batch holds. One read may be in hand while it waits for a slot.
        #expect(probe.peak.withLock { $0 } <= options.inFlightLimit + 1)
    }

    @Test func stopEndsReadingButDeliversWhatWasRead() {
        let stop = StopSignal()
        let runner = StagedRunner(chain: StageChain(JitterStage()), options: RuntimeOptions(workers: 2, inFlightLimit: 4))
        var delivered: [Int] = []
        let read = runner.run(Array(0..<10_000), stop: stop) { input, _ in
            delivered.append(input)
            if input == 50 { stop.requestStop() }
        }
        #expect(read < 10_000)
        #expect(read >= 51)
        #expect(delivered == Array(0..<read))
    }

    @Test func emptyInputFinishes() {
        let runner = StagedRunner(chain: StageChain(JitterStage()), options: RuntimeOptions(workers: 2))
        #expect(runner.run([Int]()) { _, _ in Issue.record("nothing to deliver") } == 0)
    }
}

@Suite struct RecordOutputTests {
    func temporaryFolder() throws -> String {
        let path = NSTemporaryDirectory() + "newsflow-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func files(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
    }

    func visibleFiles(_ folder: String) throws -> [String] {
        try files(folder).filter { !$0.hasPrefix(".") }
    }

    @Test func folderOutputRotatesAndAppearsOnlyWhenCommitted() throws {
        let folder = try temporaryFolder()
        let output = try RecordOutput(target: .folder(path: folder), rotateAfterItems: 2)
        try output.writeRecord("{\"n\":1}")
        // No part visible yet, only its hidden temporary (and errors.jsonl, appended at each checkpoint).
        #expect(try visibleFiles(folder) == ["errors.jsonl"])
        try output.writeRecord("{\"n\":2}")
        #expect(try visibleFiles(folder).contains("part-00000.jsonl"))
        try output.writeRecord("{\"n\":3}")
        try output.writeError("{\"error\":true}")
        try output.finish()
        #expect(try visibleFiles(folder) == ["errors.jsonl", "part-00000.jsonl", "part-00001.jsonl"])
        #expect(try String(contentsOfFile: folder + "/part-00001.jsonl", encoding: .utf8) == "{\"n\":3}\n")
        #expect(try String(contentsOfFile: folder + "/errors.jsonl", encoding: .utf8) == "{\"error\":true}\n")
    }

    /// Parts larger than the chunk handed to the kernel's writeback along the way come out whole.
    @Test func aLargePartIsCommittedWhole() throws {
        let folder = try temporaryFolder()
        let output = try RecordOutput(target: .folder(path: folder), rotateAfterItems: 100_000)
        let lines = (0..<9_000).map { "{\"n\":\($0),\"text\":\"" + String(repeating: "x", count: 1_000 + $0 % 7) + "\"}" }
        for line in lines { try output.writeRecord(line) }
        try output.finish()
        #expect(try String(contentsOfFile: folder + "/part-00000.jsonl", encoding: .utf8) == lines.map { $0 + "\n" }.joined())
    }

    @Test func fileOutputPutsErrorsBesideIt() throws {
        let folder = try temporaryFolder()
        let output = try RecordOutput(target: .file(path: folder + "/out/records.jsonl"))
        try output.writeRecord("{}")
        try output.finish()
        #expect(try visibleFiles(folder + "/out") == ["errors.jsonl", "records.jsonl"])
    }

    @Test func aNewRunReplacesOldParts() throws {
        let folder = try temporaryFolder()
        for run in 0..<2 {
            let output = try RecordOutput(target: .folder(path: folder), rotateAfterItems: 1)
            for n in 0..<(3 - run) { try output.writeRecord("{\"n\":\(n)}") }
            try output.finish()
        }
        #expect(try visibleFiles(folder) == ["errors.jsonl", "part-00000.jsonl", "part-00001.jsonl"])
    }

    @Test func aResumedFolderContinuesAfterTheLastCheckpoint() throws {
        let folder = try temporaryFolder()
        do {
            let first = try RecordOutput(target: .folder(path: folder), rotateAfterItems: 2, runKey: "run-a")
            try first.writeRecord("{\"n\":0}", at: ItemPosition(input: 0, ordinal: 0))
            try first.writeError("{\"error\":1}", at: ItemPosition(input: 0, ordinal: 1))  // checkpoint here
            try first.writeRecord("{\"n\":2}", at: ItemPosition(input: 1, ordinal: 0))
            try first.writeError("{\"error\":3}", at: ItemPosition(input: 1, ordinal: 1))  // and here
            try first.writeRecord("{\"n\":4}", at: ItemPosition(input: 1, ordinal: 2))
            // Killed before the next checkpoint: the third part never appears.
        }
        #expect(try visibleFiles(folder) == ["errors.jsonl", "part-00000.jsonl", "part-00001.jsonl"])
        let resumed = try RecordOutput(target: .folder(path: folder), rotateAfterItems: 2, runKey: "run-a", resume: true)
        #expect(resumed.resumeAfter == ItemPosition(input: 1, ordinal: 1))
        #expect(!resumed.isAlreadyComplete)
        try resumed.writeRecord("{\"n\":4}", at: ItemPosition(input: 1, ordinal: 2))
        try resumed.finish()
        let records = try visibleFiles(folder).filter { $0.hasPrefix("part-") }
            .map { try String(contentsOfFile: folder + "/" + $0, encoding: .utf8) }.joined()
        #expect(records == "{\"n\":0}\n{\"n\":2}\n{\"n\":4}\n")
        #expect(try String(contentsOfFile: folder + "/errors.jsonl", encoding: .utf8) == "{\"error\":1}\n{\"error\":3}\n")
        let again = try RecordOutput(target: .folder(path: folder), runKey: "run-a", resume: true)
        #expect(again.isAlreadyComplete)
    }

    @Test func errorLinesAfterTheCheckpointAreDroppedOnResume() throws {
        let folder = try temporaryFolder()
        let first = try RecordOutput(target: .folder(path: folder), rotateAfterItems: 1, runKey: "run-b")
        try first.writeError("{\"error\":0}", at: ItemPosition(input: 0, ordinal: 0))
        // As if killed after errors.jsonl grew but before the state recorded it.
        let errors = try #require(FileHandle(forWritingAtPath: folder + "/errors.jsonl"))
        errors.seekToEndOfFile()
        errors.write(Data("{\"error\":\"uncommitted\"}\n".utf8))
        try errors.close()
        let resumed = try RecordOutput(target: .folder(path: folder), runKey: "run-b", resume: true)
        try resumed.finish()
        #expect(try String(contentsOfFile: folder + "/errors.jsonl", encoding: .utf8) == "{\"error\":0}\n")
    }

    @Test func aResumeOfAnotherRunIsRefused() throws {
        let folder = try temporaryFolder()
        let first = try RecordOutput(target: .folder(path: folder), runKey: "run-c")
        try first.writeRecord("{}", at: ItemPosition(input: 0, ordinal: 0))
        try first.finish(complete: false)
        #expect(throws: EmitError.self) {
            try RecordOutput(target: .folder(path: folder), runKey: "other inputs", resume: true)
        }
    }

    @Test func targetsFromArguments() throws {
        let folder = try temporaryFolder()
        #expect(OutputTarget(argument: "-") == .standardOutput)
        #expect(OutputTarget(argument: folder) == .folder(path: folder))
        #expect(OutputTarget(argument: "new/dir/") == .folder(path: "new/dir"))
        #expect(OutputTarget(argument: "out.jsonl") == .file(path: "out.jsonl"))
    }
}

extension RecordOutput {
    /// The tests write literal lines; the pipeline hands over the encoder's bytes.
    func writeRecord(_ line: String, at position: ItemPosition? = nil) throws(EmitError) {
        try writeRecord(Array(line.utf8), at: position)
    }
}

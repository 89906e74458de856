public import Foundation
public import Testing
internal import Synchronization
internal import Dispatch

/// The repository root, found from this file's path (fixtures are read and written in the source tree,
/// never copied into a bundle).
public let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

public func repoPath(_ relative: String) -> String {
    packageRoot.appendingPathComponent(relative).path
}

/// What a finished process printed and returned.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    /// The process was still running at the time limit and was killed.
    public var timedOut = false
}

/// Runs a program to completion, feeding `input` on stdin.
public func runProcess(
    _ executable: String, _ arguments: [String], in folder: String = packageRoot.path, input: Data? = nil,
    environment: [String: String]? = nil, timeLimit: Duration? = nil
) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: folder)
    if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    let stdout = Pipe(), stderr = Pipe(), stdin = Pipe()
    process.standardOutput = stdout
    process.standardError = stderr
    process.standardInput = stdin
    try process.run()
    // A hung child is killed at the limit, so a test that guards against hangs fails instead of hanging.
    let timedOut = Mutex(false)
    if let timeLimit {
        let pid = process.processIdentifier
        let seconds = Double(timeLimit.components.seconds) + Double(timeLimit.components.attoseconds) / 1e18
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [process] in
            guard process.isRunning else { return }
            timedOut.withLock { $0 = true }
            kill(pid, SIGKILL)
        }
    }
    if let input { stdin.fileHandleForWriting.write(input) }
    try stdin.fileHandleForWriting.close()
    // Read both pipes before waiting, so a large output cannot fill a pipe and block the child.
    let errorData = Mutex(Data())
    let errorRead = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
        let data = stderr.fileHandleForReading.readDataToEndOfFile()
        errorData.withLock { $0 = data }
        errorRead.signal()
    }
    let outputData = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    errorRead.wait()
    return ProcessResult(
        status: process.terminationStatus, stdout: String(decoding: outputData, as: UTF8.self),
        stderr: String(decoding: errorData.withLock { $0 }, as: UTF8.self), timedOut: timedOut.withLock { $0 })
}

/// The `newsflow` binary the end-to-end tests run: $NEWSFLOW_BINARY (`scripts/test` builds a release binary,
/// as users run it), else the one built beside the test bundle (whatever the build folder and configuration).
public func newsflowBinary() -> String {
    if let binary = ProcessInfo.processInfo.environment["NEWSFLOW_BINARY"] { return binary }
    let candidates = [
        Bundle.main.bundleURL.appendingPathComponent("newsflow"),
        Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("newsflow"),
        packageRoot.appendingPathComponent(".build/debug/newsflow"),
    ]
    return (candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[2]).path
}

/// The Python with the downstream packages (duckdb, jsonschema): $NEWSFLOW_PYTHON, else .venv, else python3.
public func downstreamPython() -> String {
    if let python = ProcessInfo.processInfo.environment["NEWSFLOW_PYTHON"] { return python }
    let venv = repoPath(".venv/bin/python3")
    return FileManager.default.isExecutableFile(atPath: venv) ? venv : "/usr/bin/env"
}

/// A new empty folder under the system temporary folder.
public func makeTemporaryFolder(_ label: String = "newsflow") throws -> String {
    let path = NSTemporaryDirectory() + "\(label)-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Compares `actual` with the golden file byte for byte. With RECORD_FIXTURES=1 it rewrites the file and
/// fails, so a recording is never mistaken for a pass.
public func assertMatchesGolden(_ actual: String, fixture relative: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let path = repoPath(relative)
    if ProcessInfo.processInfo.environment["RECORD_FIXTURES"] != nil || !FileManager.default.fileExists(atPath: path) {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try actual.write(toFile: path, atomically: true, encoding: .utf8)
        Issue.record("Recorded new golden file \(relative); review it and run the tests again", sourceLocation: sourceLocation)
        return
    }
    let expected = try String(contentsOfFile: path, encoding: .utf8)
    guard expected != actual else { return }
    let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
    let firstDifference = zip(expectedLines, actualLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        ?? min(expectedLines.count, actualLines.count)
    func line(_ lines: [Substring], _ index: Int) -> String { index < lines.count ? String(lines[index].prefix(2000)) : "<end of file>" }
    Issue.record(
        """
        Output differs from \(relative) at line \(firstDifference + 1) (RECORD_FIXTURES=1 re-records):
        expected: \(line(expectedLines, firstDifference))
        actual:   \(line(actualLines, firstDifference))
        """, sourceLocation: sourceLocation)
}

/// The objects of a JSON Lines file, in order.
public func jsonLines(_ path: String) throws -> [[String: Any]] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    return try text.split(separator: "\n").map { line in
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }
}

internal import Foundation
internal import NewsCore

/// `.newsflow-run.json` in an output folder: how far the committed output of a run goes.
struct RunState: Codable, Equatable {
    /// The run's key: its inputs, pipeline and limits (see `BatchRun.runKey`).
    var run: String
    /// Part files committed: `part-00000.jsonl` up to `parts - 1`.
    var parts: Int
    /// Committed length of `errors.jsonl`; anything after it is from items not yet checkpointed.
    var errorBytes: Int
    /// The last item whose record or error is committed; nil before the first.
    var after: ItemPosition?
    /// The run read all its inputs.
    var complete: Bool

    enum CodingKeys: String, CodingKey {
        case run, parts, after, complete
        case errorBytes = "error_bytes"
    }

    static func load(folder: String) throws(EmitError) -> RunState? {
        let path = folder + "/" + RecordOutput.stateFileName
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        do {
            return try JSONDecoder().decode(RunState.self, from: data)
        } catch {
            throw EmitError(path: path, reason: "unreadable run state (\(error)); run without --resume to start over")
        }
    }

    /// Written like every output file: temporary name, fsync, rename, folder fsync.
    func save(folder: String) throws(EmitError) {
        let file = try AtomicFile(path: folder + "/" + RecordOutput.stateFileName)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(self) else { throw EmitError(path: file.finalPath, reason: "cannot encode run state") }
        try file.writeLine(Array(data))
        try file.commit()
    }
}

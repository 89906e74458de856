/// One step of a pipeline: a small, synchronous, side-effect-free transformation.
/// Queues, parallelism and ordering are the runtime's business, so a stage is tested by calling it.
public protocol Stage: Sendable {
    associatedtype Input: Sendable
    associatedtype Output: Sendable

    /// A short name used in error records and logs (`read`, `clean`, `entities`).
    var name: String { get }

    func process(_ input: Input) throws(StageError) -> Output
}

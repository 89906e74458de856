public import NewsCore

/// A stage with its types erased, so the runtime can hold a list of them.
public struct AnyStage: Sendable {
    public let name: String
    let body: @Sendable (any Sendable) throws(StageError) -> any Sendable

    init<S: Stage>(_ stage: S) {
        name = stage.name
        body = { (input: any Sendable) throws(StageError) -> any Sendable in
            guard let typed = input as? S.Input else {
                throw StageError(stage: stage.name, code: .internalError, message: "unexpected input \(type(of: input))")
            }
            return try stage.process(typed)
        }
    }
}

/// An ordered list of stages whose types line up: each stage's output is the next one's input.
/// The compiler checks the chain; the runtime runs it.
public struct StageChain<Input: Sendable, Output: Sendable>: Sendable {
    public let stages: [AnyStage]

    private init(stages: [AnyStage]) {
        self.stages = stages
    }

    /// A chain of one stage.
    public init<S: Stage>(_ stage: S) where S.Input == Input, S.Output == Output {
        stages = [AnyStage(stage)]
    }

    public func then<S: Stage>(_ stage: S) -> StageChain<Input, S.Output> where S.Input == Output {
        StageChain<Input, S.Output>(stages: stages + [AnyStage(stage)])
    }
}

/// An item that failed: the error and what the failing stage was given, for context in the error record.
public struct StageFailure: Error, Sendable {
    public var error: StageError
    public var failedInput: any Sendable
}

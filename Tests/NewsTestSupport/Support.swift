public import Foundation

/// The repository root, found from this file's path (fixtures are read and written in the source tree,
/// never copied into a bundle).
public let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

public func repoPath(_ relative: String) -> String {
    packageRoot.appendingPathComponent(relative).path
}

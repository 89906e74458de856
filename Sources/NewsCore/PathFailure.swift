#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A failure tied to one file or folder: what went wrong there, printed as `path: reason`. Input, output and
/// fetch state each have their own conforming type, so typed throws still tell them apart.
public protocol PathFailure: Error, Sendable, CustomStringConvertible {
    var path: String { get }
    var reason: String { get }
    init(path: String, reason: String)
}

extension PathFailure {
    public var description: String { "\(path): \(reason)" }

    /// `what` failed at `path`, with the C library's reason for the current `errno`.
    public static func posix(_ path: String, _ what: String) -> Self {
        Self(path: path, reason: "\(what): \(String(cString: strerror(errno)))")
    }
}

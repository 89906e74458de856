internal import Foundation
public import NewsCore

/// One thing to read: a file found on disk, or standard input.
public enum InputItem: Sendable, Hashable {
    case file(path: String)
    case standardInput
}

/// A command-line input that cannot be used at all (as opposed to a bad article inside it).
public struct InputError: PathFailure {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}

/// Expands command-line inputs into files: folders recursively, in byte order of their paths, so a run over
/// the same tree always sees the same sequence. Hidden files and folders (leading dot) are skipped.
public struct InputEnumerator: Sendable {
    public init() {}

    public func expand(_ arguments: [String]) throws(InputError) -> [InputItem] {
        var items: [InputItem] = []
        for argument in arguments {
            if argument == "-" {
                items.append(.standardInput)
                continue
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) else {
                throw InputError(path: argument, reason: "no such file or folder")
            }
            if isDirectory.boolValue {
                items += try filesBelow(argument).map { InputItem.file(path: $0) }
            } else {
                items.append(.file(path: argument))
            }
        }
        return items
    }

    private func filesBelow(_ folder: String) throws(InputError) -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            throw InputError(path: folder, reason: "cannot list folder: \(error.localizedDescription)")
        }
        var files: [String] = []
        for name in names.sorted(by: { Array($0.utf8).lexicographicallyPrecedes($1.utf8) }) where !name.hasPrefix(".") {
            let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                files += try filesBelow(path)
            } else {
                files.append(path)
            }
        }
        return files
    }
}

/// Reads an input's bytes. Stage `read`.
public struct FileReader: Stage {
    public let name = "read"
    public var maxBytes: Int

    public init(maxBytes: Int) {
        self.maxBytes = maxBytes
    }

    public func process(_ item: InputItem) throws(StageError) -> RawArticle {
        switch item {
        case .standardInput:
            let data = FileHandle.standardInput.readDataToEndOfFile()
            guard data.count <= maxBytes else { throw tooLarge(data.count) }
            return RawArticle(source: SourceRef(path: "-"), bytes: [UInt8](data))
        case .file(let path):
            let source = SourceRef(path: path)
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            if let size = attributes?[.size] as? Int, size > maxBytes { throw tooLarge(size) }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw StageError(stage: name, code: .unreadable, message: "cannot read \(path)")
            }
            guard data.count <= maxBytes else { throw tooLarge(data.count) }
            return RawArticle(source: source, bytes: [UInt8](data), formatHint: ContentFormat(pathExtension: path))
        }
    }

    private func tooLarge(_ size: Int) -> StageError {
        StageError(stage: name, code: .tooLarge, message: "input is \(size) bytes, over the limit of \(maxBytes) (read.max_bytes)")
    }
}

extension ContentFormat {
    /// The format a file name promises; nil when the extension says nothing.
    public init?(pathExtension path: String) {
        let lower = path.lowercased()
        if lower.hasSuffix(".html") || lower.hasSuffix(".htm") || lower.hasSuffix(".xhtml") {
            self = .html
        } else if lower.hasSuffix(".txt") || lower.hasSuffix(".text") || lower.hasSuffix(".md") {
            self = .text
        } else {
            return nil
        }
    }
}

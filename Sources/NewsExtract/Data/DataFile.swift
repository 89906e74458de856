internal import Foundation

/// A problem in a data file under `pipelines/`, reported with its `file:line`.
public struct DataFileError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var line: Int?
    public var reason: String

    public init(path: String, line: Int? = nil, reason: String) {
        self.path = path
        self.line = line
        self.reason = reason
    }

    public var description: String {
        if let line { return "\(path):\(line): \(reason)" }
        return "\(path): \(reason)"
    }
}

/// One data row with where it came from.
public struct DataRow: Sendable {
    public var columns: [String]
    public var path: String
    public var line: Int

    public func error(_ reason: String) -> DataFileError {
        DataFileError(path: path, line: line, reason: reason)
    }

    /// Column `index`, or "" when the row is shorter (trailing empty columns are optional).
    public subscript(index: Int) -> String { index < columns.count ? columns[index] : "" }

    public var flags: Set<String> {
        Set(self[columnForFlags].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
    }

    var columnForFlags: Int = 3
}

/// Reads the data-file formats under `pipelines/`: UTF-8, `#` comments, blank lines ignored.
public enum DataFile {
    /// Rows of a TAB-separated file; each must have between `minColumns` and `maxColumns` columns.
    public static func rows(_ path: String, minColumns: Int, maxColumns: Int, flagsColumn: Int? = nil) throws(DataFileError)
        -> [DataRow]
    {
        var rows: [DataRow] = []
        for (number, line) in try lines(path) {
            let columns = line.utf8.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false).map { String(Substring($0)) }
            guard columns.count >= minColumns, columns.count <= maxColumns else {
                throw DataFileError(
                    path: path, line: number,
                    reason: "expected \(minColumns == maxColumns ? "\(minColumns)" : "\(minColumns)–\(maxColumns)") TAB-separated columns, found \(columns.count)")
            }
            var row = DataRow(columns: columns, path: path, line: number)
            row.columnForFlags = flagsColumn ?? maxColumns - 1
            rows.append(row)
        }
        return rows
    }

    /// Entries of a one-per-line word list.
    public static func words(_ path: String) throws(DataFileError) -> [String] {
        try lines(path).map { $0.1 }
    }

    /// Non-comment, non-blank lines with their 1-based line numbers.
    static func lines(_ path: String) throws(DataFileError) -> [(Int, String)] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataFileError(path: path, reason: "cannot read file (missing or unreadable)")
        }
        guard var text = String(validating: data, as: UTF8.self) else {
            throw DataFileError(path: path, reason: "not valid UTF-8")
        }
        // Split over a byte buffer, not characters or a generic `split`: the lexicons run to tens of thousands
        // of lines, read at every start.
        var result: [(Int, String)] = []
        text.withUTF8 { bytes in
            var lineNumber = 0
            var start = 0
            while start <= bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
                lineNumber += 1
                var lineEnd = end
                if lineEnd > start, bytes[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
                let line = UnsafeBufferPointer(rebasing: bytes[start..<lineEnd])
                start = end + 1
                if line.first == UInt8(ascii: "#") || line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { continue }
                result.append((lineNumber, String(decoding: line, as: UTF8.self)))
            }
        }
        return result
    }
}

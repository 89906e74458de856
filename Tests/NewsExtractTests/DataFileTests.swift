import Foundation
import NewsExtract
import Testing

/// The data-file reader every lexicon, word list and currency table goes through.
@Suite struct DataFileTests {
    /// Writes `text` to a fresh temporary file and returns its path.
    func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("datafile-\(UUID().uuidString).tsv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func skipsCommentsAndBlankLinesAndKeepsLineNumbers() throws {
        let path = try file("# a comment\nAlibaba\n\n  \t \nAmazon Web Services\r\nCafé Zürich\r\n")
        #expect(try DataFile.words(path) == ["Alibaba", "Amazon Web Services", "Café Zürich"])
        let rows = try DataFile.rows(path, minColumns: 1, maxColumns: 1)
        #expect(rows.map(\.line) == [2, 5, 6])
    }

    @Test func readsALastLineWithoutALineBreakAndRefusesBrokenUTF8() throws {
        #expect(try DataFile.words(try file("one\r\n\ntwo")) == ["one", "two"])
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("datafile-\(UUID().uuidString).txt").path
        try Data([0x61, 0x0A, 0xC3, 0x28, 0x0A]).write(to: URL(fileURLWithPath: path))
        #expect(throws: DataFileError.self) { try DataFile.words(path) }
    }

    @Test func splitsRowsOnTabsKeepingEmptyColumns() throws {
        let path = try file("Alibaba\tORG\t\tlisted, curated\r\nKhan\tPER\n")
        let rows = try DataFile.rows(path, minColumns: 2, maxColumns: 4)
        #expect(rows.map(\.columns) == [["Alibaba", "ORG", "", "listed, curated"], ["Khan", "PER"]])
        #expect(rows[0].flags == ["listed", "curated"])
        #expect(rows[1][3] == "")
    }

    @Test func namesTheLineOfARowWithTooManyColumns() throws {
        let path = try file("a\tb\n# note\na\tb\tc\n")
        #expect(throws: DataFileError.self) { try DataFile.rows(path, minColumns: 2, maxColumns: 2) }
        do {
            _ = try DataFile.rows(path, minColumns: 2, maxColumns: 2)
        } catch {
            #expect(error.line == 3)
        }
    }
}

import Foundation
import NewsCore
import NewsExtract
import NewsTestSupport
import Newsflow
import Testing

/// The entity recognizer on annotated sets, scored as `../shared/eval/ner-score.py` with
/// `--map PERSON=PER,GPE=LOC --labels PER,ORG,LOC` scores them: exact span and label, micro-averaged, optional
/// gold entities neither required nor penalised. Sentences that share a `doc` are joined by newlines and
/// recognised as one article, as the held-out checks run them (`scripts/ner_eval.py` prints the same figures).
///
/// Issue 4's target is F1 0.75 on each dev set. The floors are at least that, and otherwise the figures reached
/// (0.798, 0.788, 0.786; 0.930 on news-en) less a margin of about 1.5 points, so that a regression fails here.
@Suite struct EntityEvaluationTests {
    static let floors: [String: Double] = [
        "../shared/data/ner/conll2003_testa.jsonl": 0.78,
        "../shared/data/ner/finer_ord_validation.jsonl": 0.77,
        "../shared/data/ner/ieer_dev.jsonl": 0.77,
        // Written for the project (fixtures/ner/README.md); its first, blind run scored 0.872.
        "fixtures/ner/news-en.jsonl": 0.915,
    ]

    struct Span: Hashable {
        var start: Int
        var end: Int
        var label: String
    }

    struct Row {
        var id: String
        var doc: String
        var text: String
        var gold: Set<Span>
        var optional: Set<Span>
    }

    static func label(_ raw: String) -> String? {
        switch raw {
        case "PER", "PERSON": "PER"
        case "ORG": "ORG"
        case "LOC", "GPE": "LOC"
        default: nil
        }
    }

    static func rows(_ path: String) throws -> [Row] {
        let data = try Data(contentsOf: URL(fileURLWithPath: repoPath(path)))
        return try data.split(separator: UInt8(ascii: "\n")).filter { !$0.isEmpty }.map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
            let id = try #require(object["id"] as? String)
            var row = Row(id: id, doc: object["doc"] as? String ?? id, text: try #require(object["text"] as? String), gold: [], optional: [])
            for entity in object["entities"] as? [[String: Any]] ?? [] {
                guard let label = label(try #require(entity["label"] as? String)) else { continue }
                let span = Span(start: try #require(entity["start"] as? Int), end: try #require(entity["end"] as? Int), label: label)
                if entity["optional"] as? Bool == true { row.optional.insert(span) } else { row.gold.insert(span) }
            }
            return row
        }
    }

    /// Predicted spans per row id, from whole documents mapped back onto their sentences.
    static func predict(_ rows: [Row]) -> [String: Set<Span>] {
        var documents: [(doc: String, rows: [Row])] = []
        for row in rows {
            if documents.last?.doc == row.doc { documents[documents.count - 1].rows.append(row) } else { documents.append((row.doc, [row])) }
        }
        var result: [String: Set<Span>] = [:]
        for document in documents {
            let text = document.rows.map(\.text).joined(separator: "\n")
            let mentions = EntityRecognizerTests.pipeline.annotate(text: text).entities
            var offset = 0
            for row in document.rows {
                let end = offset + row.text.unicodeScalars.count
                result[row.id] = Set(
                    mentions.filter { offset <= $0.start && $0.end <= end }.compactMap { mention in
                        label(mention.label.rawValue).map { Span(start: mention.start - offset, end: mention.end - offset, label: $0) }
                    })
                offset = end + 1
            }
        }
        return result
    }

    @Test(arguments: floors.keys.sorted())
    func scoresAtLeastItsFloor(path: String) throws {
        let rows = try Self.rows(path)
        let predicted = Self.predict(rows)
        var correct = 0, goldCount = 0, predictedCount = 0
        var misses: [String] = []
        for row in rows {
            let spans = (predicted[row.id] ?? []).subtracting(row.optional.subtracting(row.gold))
            correct += spans.intersection(row.gold).count
            goldCount += row.gold.count
            predictedCount += spans.count
            if spans != row.gold, misses.count < 5 { misses.append("\(row.id): \(row.text.prefix(70))") }
        }
        let precision = Double(correct) / Double(max(predictedCount, 1)), recall = Double(correct) / Double(max(goldCount, 1))
        let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
        let floor = try #require(Self.floors[path])
        #expect(goldCount > 0)
        #expect(f1 >= floor, "F1 \(f1) (P \(precision), R \(recall)) below \(floor) on \(path); first misses: \(misses)")
    }
}

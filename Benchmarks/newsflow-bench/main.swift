// Times one stage alone on one core over a corpus of news text, and prints one JSON line per stage.
//
//   newsflow-bench [--mb 20] [--input seeds] [--pipeline pipelines/default.yaml] [text] [money] [entities]
//
// The corpus is every file of --input, repeated until it reaches --mb megabytes. Only the stage's own work
// is timed: the text is converted to the recognizer's input form (scalars, and for entities tokens and
// sentences) beforehand; `text` times that conversion itself (tokens, sentences, language). `html` times
// decode + parse + content extraction + metadata per page from the raw bytes; `html-parse` times libxml2's
// parse alone on the same bytes, the ceiling `html` is measured against.
// The first line gives the time the pipeline and its data took to load.
import Foundation
import NewsCore
import NewsExtract
import NewsHTML
import Newsflow

struct Options {
    var megabytes = 20.0
    var input = "seeds"
    var pipeline = "pipelines/default.yaml"
    var stages: [String] = []

    init(_ arguments: [String]) {
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--mb": megabytes = rest.popFirst().flatMap(Double.init) ?? megabytes
            case "--input": input = rest.popFirst() ?? input
            case "--pipeline": pipeline = rest.popFirst() ?? pipeline
            default: stages.append(argument)
            }
        }
        if stages.isEmpty { stages = ["money"] }
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("newsflow-bench: \(message)\n".utf8))
    exit(1)
}

/// The input files' bytes, repeated until their size reaches `megabytes`.
func corpus(folder: String, megabytes: Double) -> (files: [[UInt8]], bytes: Int) {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder).sorted(), !names.isEmpty else {
        fail("no files in \(folder)")
    }
    let documents = names.compactMap { FileManager.default.contents(atPath: folder + "/" + $0).map { [UInt8]($0) } }
    var files: [[UInt8]] = []
    var bytes = 0
    while Double(bytes) < megabytes * 1_000_000 {
        for document in documents {
            files.append(document)
            bytes += document.count
        }
    }
    return (files, bytes)
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// One JSON line: the stage, its input size and speed, and what it produced (`counts`).
func report(stage: String, bytes: Int, articles: Int, counts: [String: Int], duration: Duration) {
    let seconds = seconds(duration)
    var line: [String: Any] = [
        "stage": stage, "mb": Double(bytes) / 1e6, "articles": articles,
        "seconds": (seconds * 1000).rounded() / 1000, "mb_per_s": (Double(bytes) / 1e6 / seconds * 10).rounded() / 10,
        "articles_per_s": (Double(articles) / seconds).rounded(),
    ]
    line.merge(counts) { current, _ in current }
    let data = (try? JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])) ?? Data()
    print(String(decoding: data, as: UTF8.self))
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
let loadStart = ContinuousClock.now
let pipeline: Pipeline
do {
    pipeline = try Pipeline.load(path: options.pipeline)
} catch {
    fail("\(error)")
}
let loadTime = ContinuousClock.now - loadStart
print(#"{"load_seconds":\#(seconds(loadTime).formatted(.number.precision(.fractionLength(3)))),"pipeline":"\#(options.pipeline)"}"#)
let (files, bytes) = corpus(folder: options.input, megabytes: options.megabytes)
let texts = files.map { String(decoding: $0, as: UTF8.self) }
HTMLCleaner.initializeParser()

for stage in options.stages {
    switch stage {
    case "money":
        guard let recognizer = pipeline.moneyRecognizer else { fail("the pipeline has no money stage") }
        let inputs = texts.map(ScalarText.init)
        var mentions = 0
        let duration = ContinuousClock().measure {
            for text in inputs { mentions += recognizer.recognize(text).count }
        }
        report(stage: stage, bytes: bytes, articles: inputs.count, counts: ["mentions": mentions], duration: duration)
    case "text":
        // Text to tokens, sentences and a guessed language: what every recognizer reads.
        var tokens = 0
        let duration = ContinuousClock().measure {
            for text in texts { tokens += pipeline.textUnits(text).tokens.count }
        }
        report(stage: stage, bytes: bytes, articles: texts.count, counts: ["tokens": tokens], duration: duration)
    case "entities":
        guard let recognizer = pipeline.entityRecognizer else { fail("the pipeline has no entities stage") }
        let inputs = texts.map(pipeline.textUnits)
        var mentions = 0
        let duration = ContinuousClock().measure {
            for input in inputs {
                mentions += recognizer.recognize(text: input.text, tokens: input.tokens, sentences: input.sentences).count
            }
        }
        report(stage: stage, bytes: bytes, articles: inputs.count, counts: ["mentions": mentions], duration: duration)
    case "html":
        var characters = 0
        var failures = 0
        let duration = ContinuousClock().measure {
            for file in files {
                do {
                    characters += try pipeline.cleanedPage(RawArticle(source: SourceRef(path: "page.html"), bytes: file)).text.count
                } catch {
                    failures += 1
                }
            }
        }
        if failures > 0 { fail("\(failures) pages failed to clean") }
        report(stage: stage, bytes: bytes, articles: files.count, counts: ["text_characters": characters], duration: duration)
    case "html-parse":
        var parsed = 0
        let duration = ContinuousClock().measure {
            for file in files where HTMLCleaner.parseOnly(utf8: file) { parsed += 1 }
        }
        report(stage: stage, bytes: bytes, articles: parsed, counts: [:], duration: duration)
    default:
        fail("unknown stage \(stage) (text, money, entities, html, html-parse)")
    }
}

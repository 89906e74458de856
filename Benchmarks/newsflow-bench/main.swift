// Times one stage alone on one core over a corpus of news text, and prints one JSON line per stage.
//
//   newsflow-bench [--mb 20] [--input seeds] [--pipeline pipelines/default.yaml] [money] [entities]
//
// The corpus is every file of --input read as text, repeated until it reaches --mb megabytes. Only the
// stage's own work is timed: the text is converted to the recognizer's input form (scalars, and for
// entities tokens and sentences) beforehand. The first line gives the time the pipeline and its data took
// to load.
import Foundation
import NewsCore
import NewsExtract
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

/// The input files' texts, repeated until their UTF-8 size reaches `megabytes`.
func corpus(folder: String, megabytes: Double) -> (texts: [String], bytes: Int) {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder).sorted(), !names.isEmpty else {
        fail("no files in \(folder)")
    }
    let documents = names.compactMap { try? String(contentsOfFile: folder + "/" + $0, encoding: .utf8) }
    var texts: [String] = []
    var bytes = 0
    while Double(bytes) < megabytes * 1_000_000 {
        for document in documents {
            texts.append(document)
            bytes += document.utf8.count
        }
    }
    return (texts, bytes)
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func report(stage: String, bytes: Int, articles: Int, mentions: Int, duration: Duration) {
    let seconds = seconds(duration)
    let line: [String: Any] = [
        "stage": stage, "mb": Double(bytes) / 1e6, "articles": articles, "mentions": mentions,
        "seconds": (seconds * 1000).rounded() / 1000, "mb_per_s": (Double(bytes) / 1e6 / seconds * 10).rounded() / 10,
        "articles_per_s": (Double(articles) / seconds).rounded(),
    ]
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
let (texts, bytes) = corpus(folder: options.input, megabytes: options.megabytes)

for stage in options.stages {
    switch stage {
    case "money":
        guard let recognizer = pipeline.moneyRecognizer else { fail("the pipeline has no money stage") }
        let inputs = texts.map(ScalarText.init)
        var mentions = 0
        let duration = ContinuousClock().measure {
            for text in inputs { mentions += recognizer.recognize(text).count }
        }
        report(stage: stage, bytes: bytes, articles: inputs.count, mentions: mentions, duration: duration)
    case "entities":
        guard let recognizer = pipeline.entityRecognizer else { fail("the pipeline has no entities stage") }
        let inputs = texts.map(pipeline.textUnits)
        var mentions = 0
        let duration = ContinuousClock().measure {
            for input in inputs {
                mentions += recognizer.recognize(text: input.text, tokens: input.tokens, sentences: input.sentences).count
            }
        }
        report(stage: stage, bytes: bytes, articles: inputs.count, mentions: mentions, duration: duration)
    default:
        fail("unknown stage \(stage) (money, entities)")
    }
}

internal import Dispatch
internal import Foundation
internal import Synchronization

/// A status line on stderr while a batch runs: articles, rates, bytes done of the total, ETA, errors.
/// On a terminal the line is redrawn in place; elsewhere (`--progress` into a log) a line is printed every
/// few seconds.
public final class ProgressDisplay: @unchecked Sendable {
    // @unchecked: the timer is created in init and cancelled in stop(); its handler only reads atomics.
    private let progress: RunProgress
    private let timer: any DispatchSourceTimer
    private let started = DispatchTime.now()
    private let inPlace: Bool

    public init(progress: RunProgress, inPlace: Bool) {
        self.progress = progress
        self.inPlace = inPlace
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "newsflow.progress"))
        let interval: DispatchTimeInterval = inPlace ? .milliseconds(250) : .seconds(5)
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler { [self] in draw() }
        timer.resume()
    }

    /// Stops redrawing and clears the line, so the summary that follows starts on a clean line.
    public func stop() {
        timer.cancel()
        if inPlace { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    /// Whether stderr is an interactive terminal.
    public static var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    private func draw() {
        let line = Self.line(
            articles: progress.articles.load(ordering: .relaxed), errors: progress.errors.load(ordering: .relaxed),
            bytesDone: progress.bytesDone.load(ordering: .relaxed), bytesTotal: progress.bytesTotal,
            seconds: Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9)
        FileHandle.standardError.write(Data((inPlace ? "\r" + line + "\u{1B}[K" : "newsflow: " + line + "\n").utf8))
    }

    /// `1,204 articles · 301 articles/s · 14.2 MB/s · 57 MB of 230 MB (25%) · ETA 0:12 · 2 errors`
    static func line(articles: Int, errors: Int, bytesDone: Int, bytesTotal: Int, seconds: Double) -> String {
        var parts = ["\(articles) articles"]
        if seconds > 0 {
            parts.append(String(format: "%.0f articles/s", Double(articles) / seconds))
            parts.append(String(format: "%.1f MB/s", Double(bytesDone) / 1e6 / seconds))
        }
        if bytesTotal > 0 {
            let done = min(bytesDone, bytesTotal)
            parts.append("\(megabytes(done)) of \(megabytes(bytesTotal)) (\(done * 100 / bytesTotal)%)")
            if done > 0, seconds > 0 {
                let remaining = Int(Double(bytesTotal - done) / (Double(done) / seconds))
                parts.append(String(format: "ETA %d:%02d", remaining / 60, remaining % 60))
            }
        }
        parts.append("\(errors) error\(errors == 1 ? "" : "s")")
        return parts.joined(separator: " · ")
    }

    private static func megabytes(_ bytes: Int) -> String {
        bytes >= 10_000_000_000 ? String(format: "%.1f GB", Double(bytes) / 1e9) : String(format: "%.0f MB", Double(bytes) / 1e6)
    }
}

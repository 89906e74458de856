internal import Dispatch
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Turns SIGINT and SIGTERM into a graceful stop: the first asks the run to stop reading and finish what is in
/// flight; a second exits at once (committed output is already safe on disk, temporaries are left behind).
public final class SignalTrap {
    private let sources: [any DispatchSourceSignal]

    public init(stop: StopSignal, onFirstSignal: @escaping @Sendable (Int32) -> Void = { _ in }) {
        let queue = DispatchQueue(label: "newsflow.signals")
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                if stop.isStopRequested { _exit(128 + number) }
                stop.requestStop()
                onFirstSignal(number)
            }
            source.resume()
            return source
        }
    }

    deinit {
        for source in sources { source.cancel() }
    }
}

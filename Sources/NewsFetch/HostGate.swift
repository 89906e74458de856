internal import Foundation

/// Politeness per host: at most `concurrency` requests at once, starts at least `delay` apart, and nothing
/// before a time the server asked for (`Retry-After`, `Crawl-delay`). Waiters are served first come, first served.
actor HostGate {
    private struct Host {
        var active = 0
        var nextStart: Double = 0
        var delay: Double
        var waiters: [CheckedContinuation<Double, Never>] = []
        var mostActive = 0
    }

    private let concurrency: Int
    private let delay: Double
    private var hosts: [String: Host] = [:]

    init(concurrency: Int, delay: Double) {
        self.concurrency = max(1, concurrency)
        self.delay = max(0, delay)
    }

    /// Waits for a slot on `host` and for its start time; call `release` when the request is done.
    func acquire(_ host: String) async {
        let start: Double
        if hosts[host, default: Host(delay: delay)].active < concurrency {
            start = reserve(host)
        } else {
            start = await withCheckedContinuation { hosts[host]!.waiters.append($0) }
        }
        let wait = start - Date().timeIntervalSince1970
        if wait > 0 { try? await Task.sleep(nanoseconds: UInt64(wait * 1e9)) }
    }

    func release(_ host: String) {
        guard var state = hosts[host] else { return }
        state.active -= 1
        hosts[host] = state
        if !state.waiters.isEmpty {
            let waiter = hosts[host]!.waiters.removeFirst()
            waiter.resume(returning: reserve(host))
        }
    }

    /// No request to `host` starts before `time` (seconds since 1970).
    func hold(_ host: String, until time: Double) {
        var state = hosts[host, default: Host(delay: delay)]
        state.nextStart = max(state.nextStart, time)
        hosts[host] = state
    }

    /// A longer spacing for `host` than the default (robots.txt `Crawl-delay`), capped by the caller.
    func space(_ host: String, by seconds: Double) {
        hosts[host, default: Host(delay: delay)].delay = max(delay, seconds)
    }

    /// The most requests seen in flight at once on each host.
    func mostActive() -> [String: Int] {
        hosts.mapValues(\.mostActive)
    }

    private func reserve(_ host: String) -> Double {
        var state = hosts[host, default: Host(delay: delay)]
        let start = max(Date().timeIntervalSince1970, state.nextStart)
        state.nextStart = start + state.delay
        state.active += 1
        state.mostActive = max(state.mostActive, state.active)
        hosts[host] = state
        return start
    }
}

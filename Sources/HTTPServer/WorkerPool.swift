import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A fixed set of threads running jobs from a bounded FIFO queue. `submit` never blocks:
/// when the queue is full it returns false and the caller answers 503 (see ADR 0001).
final class WorkerPool: Sendable {
    typealias Job = @Sendable () -> Void

    private struct State {
        var queue: [Job?]
        var head = 0
        var count = 0
        var stopping = false
        var liveThreads = 0
    }

    private let state: Mutex<State>
    private let signal = ConditionSignal()
    private let threads: Mutex<[PosixThread]> = Mutex([])
    let capacity: Int

    init(threadCount: Int, queueCapacity: Int) throws(SocketError) {
        capacity = max(1, queueCapacity)
        state = Mutex(State(queue: Array(repeating: nil, count: capacity)))
        var started: [PosixThread] = []
        for index in 0..<max(1, threadCount) {
            state.withLock { $0.liveThreads += 1 }
            started.append(try PosixThread(name: "http-worker-\(index)") { [self] in runWorker() })
        }
        threads.withLock { $0 = started }
    }

    /// Queues `job`; false when the queue is full or the pool is stopping.
    func submit(_ job: @escaping Job) -> Bool {
        let accepted = state.withLock { state -> Bool in
            guard !state.stopping, state.count < capacity else { return false }
            state.queue[(state.head + state.count) % capacity] = job
            state.count += 1
            return true
        }
        if accepted { signal.wake(all: false) }
        return accepted
    }

    /// Jobs waiting for a thread.
    var queuedCount: Int { state.withLock { $0.count } }

    /// Lets queued jobs finish, then ends the threads; waits at most `timeout` for them.
    /// A thread still blocked in a handler after that is left to finish on its own.
    func shutdown(timeout: Duration) {
        state.withLock { $0.stopping = true }
        signal.wake(all: true)
        let deadline = MonotonicClock.nanoseconds() + MonotonicClock.nanoseconds(timeout)
        while true {
            let ticket = signal.ticket()
            if state.withLock({ $0.liveThreads }) == 0 { break }
            let now = MonotonicClock.nanoseconds()
            if now >= deadline { return }
            signal.wait(since: ticket, timeoutNanoseconds: min(deadline - now, 50_000_000))
        }
        for thread in threads.withLock({ $0 }) { thread.join() }
    }

    private func runWorker() {
        while true {
            let ticket = signal.ticket()
            let job = state.withLock { state -> Job?? in
                guard state.count > 0 else { return state.stopping ? .some(nil) : nil }
                let job = state.queue[state.head]
                state.queue[state.head] = nil
                state.head = (state.head + 1) % capacity
                state.count -= 1
                return .some(job)
            }
            switch job {
            case .some(.some(let job)): job()
            case .some(.none):
                state.withLock { $0.liveThreads -= 1 }
                signal.wake(all: true)
                return
            case .none: signal.wait(since: ticket, timeoutNanoseconds: 1_000_000_000)
            }
        }
    }
}

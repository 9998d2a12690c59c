import Synchronization
import Threads

#if canImport(Glibc)
    import Glibc
#endif

/// A fixed set of threads running jobs from a bounded FIFO queue. `submit` never blocks:
/// when the queue is full it returns false and the caller answers 503 (see ADR 0001).
///
/// Idle workers wait on their own signal and are woken last-in first-out, one per queued
/// job not already covered by a wake-up: a light load stays on a few warm threads instead
/// of waking the whole pool, which would crowd the event loops off the cores.
final class WorkerPool: Sendable {
    typealias Job = @Sendable () -> Void

    private struct State {
        var queue: [Job?]
        var head = 0
        var count = 0
        /// Sleeping workers, most recently idle last.
        var idle: [Int] = []
        /// Workers woken whose wake-up has not yet been consumed.
        var waking = 0
        var stopping = false
        var liveThreads = 0
    }

    private let state: Mutex<State>
    private let signals: [ConditionSignal]
    private let exited = ConditionSignal()
    private let threads: Mutex<[PosixThread]> = Mutex([])
    let capacity: Int

    init(threadCount: Int, queueCapacity: Int) throws(SocketError) {
        capacity = max(1, queueCapacity)
        let count = max(1, threadCount)
        state = Mutex(State(queue: Array(repeating: nil, count: capacity)))
        signals = (0..<count).map { _ in ConditionSignal() }
        var started: [PosixThread] = []
        for index in 0..<count {
            state.withLock { $0.liveThreads += 1 }
            started.append(
                try SocketError.startingThread { () throws(ThreadStartError) in
                    try PosixThread(name: "http-worker-\(index)") { [self] in runWorker(index) }
                })
        }
        threads.withLock { $0 = started }
    }

    /// Queues `job`; false when the queue is full or the pool is stopping.
    func submit(_ job: @escaping Job) -> Bool {
        let (accepted, wake) = state.withLock { state -> (Bool, Int?) in
            guard !state.stopping, state.count < capacity else { return (false, nil) }
            state.queue[(state.head + state.count) % capacity] = job
            state.count += 1
            guard state.count > state.waking, let worker = state.idle.popLast() else { return (true, nil) }
            state.waking += 1
            return (true, worker)
        }
        if let wake { signals[wake].wake(all: false) }
        return accepted
    }

    /// Jobs waiting for a thread.
    var queuedCount: Int { state.withLock { $0.count } }

    /// Lets queued jobs finish, then ends the threads; waits at most `timeout` for them.
    /// A thread still blocked in a handler after that is left to finish on its own.
    func shutdown(timeout: Duration) {
        let sleeping = state.withLock { state -> [Int] in
            state.stopping = true
            state.waking += state.idle.count
            defer { state.idle = [] }
            return state.idle
        }
        for worker in sleeping { signals[worker].wake(all: false) }
        let deadline = MonotonicClock.nanoseconds() + MonotonicClock.nanoseconds(timeout)
        while true {
            let ticket = exited.ticket()
            if state.withLock({ $0.liveThreads }) == 0 { break }
            let now = MonotonicClock.nanoseconds()
            if now >= deadline { return }
            exited.wait(since: ticket, timeoutNanoseconds: min(deadline - now, 50_000_000))
        }
        for thread in threads.withLock({ $0 }) { thread.join() }
    }

    private enum Next {
        case run(Job)
        case sleep(ticket: UInt64)
        case exit
    }

    private func runWorker(_ index: Int) {
        var woken = false
        while true {
            let next = state.withLock { state -> Next in
                if woken { state.waking -= 1 }
                woken = false
                if state.count > 0 {
                    // Non-nil: `count` slots from `head` hold jobs.
                    let job = state.queue[state.head]!
                    state.queue[state.head] = nil
                    state.head = (state.head + 1) % capacity
                    state.count -= 1
                    return .run(job)
                }
                if state.stopping {
                    state.liveThreads -= 1
                    return .exit
                }
                state.idle.append(index)
                // Taken under the state lock, so a wake-up after this cannot be missed.
                return .sleep(ticket: signals[index].ticket())
            }
            switch next {
            case .run(let job):
                job()
            case .sleep(let ticket):
                signals[index].wait(since: ticket, timeoutNanoseconds: 10_000_000_000)
                woken = true
                removeFromIdleIfStillThere(index)
            case .exit:
                exited.wake(all: true)
                return
            }
        }
    }

    /// After a timed-out wait the worker is still listed idle; take it off so it is not
    /// woken twice, and do not count a wake-up it never got.
    private func removeFromIdleIfStillThere(_ index: Int) {
        state.withLock { state in
            if let position = state.idle.lastIndex(of: index) {
                state.idle.remove(at: position)
                state.waking += 1  // balanced by the decrement at the top of the loop
            }
        }
    }
}

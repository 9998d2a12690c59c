import Synchronization
import Threads

/// The writing end of one streamed response (``HTTPStreamBody``). Thread-safe: a fan-out
/// thread, a worker and the connection's event loop use it at once. Bytes given to it are
/// queued here and moved to the socket by the connection's loop, which is woken once per
/// batch, never blocked.
public final class HTTPStreamSink: Sendable {
    /// Why a stream ended.
    public enum Ending: String, Sendable {
        /// The writer called ``finish()`` and everything was handed to the socket.
        case finished
        /// The client closed the connection or the socket failed.
        case closed
        /// The reader did not keep up: its buffer reached the limit and the stream was cut.
        case overflow
        /// The server is shutting down (SIGTERM).
        case shutdown
        /// The writer gave up (``abort()``): the connection closes without the last chunk, so
        /// the client sees an incomplete body, not a short one.
        case aborted
    }

    struct State {
        var queue: [[UInt8]] = []
        var queuedBytes = 0
        /// Bytes the connection took from the queue and has not yet written to the socket.
        var unsent = 0
        var wakePending = false
        var finishRequested = false
        var ending: Ending?
        var endHandlers: [@Sendable (Ending) -> Void] = []
    }

    /// What the loop finds when it takes from the sink.
    struct Batch {
        var chunks: [[UInt8]]
        var finish: Bool
        /// Set when the writer's side decided to cut the stream (overflow).
        var cut: Ending?
    }

    public let bufferLimit: Int
    private let state = Mutex(State())
    private let room = ConditionSignal()
    /// Asks the connection's loop to take from the sink; false once the loop has stopped.
    private let wakeLoop: @Sendable () -> Bool

    init(bufferLimit: Int, wakeLoop: @escaping @Sendable () -> Bool) {
        self.bufferLimit = bufferLimit
        self.wakeLoop = wakeLoop
    }

    /// Whether the stream still takes bytes.
    public var isOpen: Bool { state.withLock { $0.ending == nil && !$0.finishRequested } }

    /// How the stream ended, once it has.
    public var ending: Ending? { state.withLock { $0.ending } }

    /// Bytes waiting for the reader: queued here plus not yet written to the socket.
    public var bufferedBytes: Int { state.withLock { $0.queuedBytes + $0.unsent } }

    /// Queues `bytes` if they fit in the buffer limit. A reader whose buffer is full is cut:
    /// the connection is closed and false returned (never an unbounded queue).
    @discardableResult
    public func offer(_ bytes: [UInt8]) -> Bool {
        let (accepted, wake) = state.withLock { state -> (Bool, Bool) in
            guard state.ending == nil && !state.finishRequested else { return (false, false) }
            guard state.queuedBytes + state.unsent + bytes.count <= bufferLimit else {
                state.ending = .overflow
                state.queue = []
                state.queuedBytes = 0
                return (false, Self.scheduleWake(&state))
            }
            state.queue.append(bytes)
            state.queuedBytes += bytes.count
            return (true, Self.scheduleWake(&state))
        }
        if wake { wakeOrEnd() }
        return accepted
    }

    /// Queues `bytes`, waiting up to `timeout` for the reader to make room. False when the
    /// stream ended, or when no room came in time (the stream is then cut as by ``offer(_:)``).
    @discardableResult
    public func write(_ bytes: [UInt8], timeout: Duration) -> Bool {
        let deadline = MonotonicClock.nanoseconds() &+ MonotonicClock.nanoseconds(timeout)
        while true {
            let ticket = room.ticket()
            let fits = state.withLock { state -> Bool? in
                guard state.ending == nil && !state.finishRequested else { return nil }
                // An item larger than the whole limit goes through once the buffer is empty.
                let buffered = state.queuedBytes + state.unsent
                return buffered == 0 || buffered + bytes.count <= bufferLimit
            }
            guard let fits else { return false }
            if fits { return enqueueUnchecked(bytes) }
            let now = MonotonicClock.nanoseconds()
            if now >= deadline { return offer(bytes) }
            room.wait(since: ticket, timeoutNanoseconds: min(deadline - now, 100_000_000))
        }
    }

    /// Ends the body once everything queued is written (the terminating chunk follows).
    public func finish() {
        let wake = state.withLock { state -> Bool in
            guard state.ending == nil && !state.finishRequested else { return false }
            state.finishRequested = true
            return Self.scheduleWake(&state)
        }
        if wake { wakeOrEnd() }
    }

    /// Cuts the stream: the connection closes without ending the body properly (a failure
    /// half-way through must not look like a complete answer).
    public func abort() {
        let wake = state.withLock { state -> Bool in
            guard state.ending == nil else { return false }
            state.ending = .aborted
            state.queue = []
            state.queuedBytes = 0
            return Self.scheduleWake(&state)
        }
        if wake { wakeOrEnd() }
    }

    /// Calls `handler` once when the stream ends (at once if it already has), on whichever
    /// thread ends it: keep it short.
    public func onEnd(_ handler: @escaping @Sendable (Ending) -> Void) {
        let ended = state.withLock { state -> Ending? in
            if let ending = state.ending { return ending }
            state.endHandlers.append(handler)
            return nil
        }
        if let ended { handler(ended) }
    }

    // MARK: The connection's side (its loop thread)

    /// Everything queued, and whether the writer finished or the stream was cut.
    func take() -> Batch {
        state.withLock { state in
            state.wakePending = false
            defer {
                state.unsent += state.queuedBytes
                state.queue = []
                state.queuedBytes = 0
            }
            return Batch(chunks: state.queue, finish: state.finishRequested, cut: state.ending)
        }
    }

    /// The socket took bytes: `unsent` are still in the connection's buffer.
    func connectionHolds(_ unsent: Int) {
        let changed = state.withLock { state -> Bool in
            let shrank = unsent < state.unsent
            state.unsent = unsent
            return shrank
        }
        if changed { room.wake(all: true) }
    }

    /// The stream is over (connection closed, finished, cut or shut down): no more bytes are
    /// taken, waiting writers return, end handlers run.
    func end(_ ending: Ending) {
        let handlers = state.withLock { state -> [@Sendable (Ending) -> Void] in
            if state.ending == nil { state.ending = ending }
            state.queue = []
            state.queuedBytes = 0
            state.unsent = 0
            defer { state.endHandlers = [] }
            return state.endHandlers
        }
        room.wake(all: true)
        let final = self.ending ?? ending
        for handler in handlers { handler(final) }
    }

    private func enqueueUnchecked(_ bytes: [UInt8]) -> Bool {
        let (accepted, wake) = state.withLock { state -> (Bool, Bool) in
            guard state.ending == nil && !state.finishRequested else { return (false, false) }
            state.queue.append(bytes)
            state.queuedBytes += bytes.count
            return (true, Self.scheduleWake(&state))
        }
        if wake { wakeOrEnd() }
        return accepted
    }

    private static func scheduleWake(_ state: inout State) -> Bool {
        guard !state.wakePending else { return false }
        state.wakePending = true
        return true
    }

    /// Wakes the loop; a loop that stopped will never take, so the stream ends here.
    private func wakeOrEnd() {
        if !wakeLoop() { end(.shutdown) }
    }
}

import Domain
import Foundation
import HTTPServer
import Log
import Postgres
import Repositories
import Synchronization

/// The live stream's fan-out in one process (SPEC §8). One reader — driven by the App's
/// listener on `incidentd_events` (migration 0017) — reads the event log once for every stream
/// held here, with the log's own reader (``EventRepository/page(after:limit:)``: (xid, id)
/// order, final rows only, ADR 0005), renders each event once and offers it to every stream
/// whose filter wants it. A notification only says "read now"; what is read is decided by the
/// log, so an event committed late with a smaller id is read when it becomes final, never
/// skipped.
///
/// A stream starts at a position (its `Last-Event-ID`, or the horizon for a live start). It
/// replays from the log on its own worker until the hub's recent events cover its position,
/// then attaches; from then on it sees exactly the events after its position, in log order.
/// Memory: the recent events (``StreamSettings/recentEvents``) and each stream's bounded sink.
public final class EventStreamHub: Sendable {
    /// The channel migration 0017 notifies with the largest id of each appending statement.
    public static let channel = "incidentd_events"
    /// Events read per query.
    static let pageSize = 500

    /// An event rendered once for every stream.
    struct Frame {
        let position: EventLogPosition
        let type: String
        let serviceIDs: [Int64]
        let bytes: [UInt8]
    }

    struct Subscriber {
        let filter: EventStreamFilter
        let sink: HTTPStreamSink
        /// Events at or before this were already sent (nil: none).
        var position: EventLogPosition?
    }

    /// Where the recent events begin: the start of the log, or after a position.
    enum Base {
        case logStart
        case after(EventLogPosition)
    }

    struct State {
        var started = false
        var head: EventLogPosition?
        var base = Base.logStart
        var recent: [Frame] = []
        var subscribers: [Int: Subscriber] = [:]
        var nextID = 0
    }

    public let settings: StreamSettings
    private let logger: Logger
    private let state = Mutex(State())
    /// Subscribers whose stream ended, removed at the next distribution (an end handler may run
    /// while ``state`` is held, so it never takes it).
    private let ended = Mutex<[Int]>([])
    private let exports = Atomic<Int>(0)
    private let streams = Atomic<Int>(0)

    public init(settings: StreamSettings = StreamSettings(), logger: Logger = .disabled) {
        self.settings = settings
        self.logger = logger
    }

    /// Streams open in this process (replaying or attached).
    public var openStreams: Int { streams.load(ordering: .relaxed) }

    /// Whether the hub reads the log (its listener is connected at least once).
    public var isStarted: Bool { state.withLock { $0.started } }

    // MARK: The reader (the App's listener thread)

    /// First call: the hub starts at the log's horizon. Later calls (a reconnected listener)
    /// keep the position and read what was missed.
    public func start(using connection: PostgresConnection) throws {
        guard !isStarted else {
            try advance(using: connection)
            return
        }
        let horizon = try EventRepository(connection).horizon()
        state.withLock { state in
            guard !state.started else { return }
            state.head = horizon
            state.base = horizon.map(Base.after) ?? .logStart
            state.started = true
        }
    }

    /// Reads every final event after the hub's position and hands it to the streams. Returns the
    /// ids read. Only one thread calls it (the listener's).
    @discardableResult
    public func advance(using connection: PostgresConnection) throws -> [Int64] {
        var read: [Int64] = []
        while true {
            let (started, from) = state.withLock { ($0.started, $0.head) }
            guard started else { return read }
            let page = try EventRepository(connection).page(after: from, limit: Self.pageSize)
            let frames = try page.map { logged in
                Frame(
                    position: logged.position, type: logged.event.type, serviceIDs: logged.event.serviceIDs,
                    bytes: try SSEFrame.bytes(logged.event))
            }
            let gone = ended.withLock { ids in
                defer { ids = [] }
                return ids
            }
            state.withLock { state in
                for id in gone { state.subscribers[id] = nil }
                guard !frames.isEmpty else { return }
                state.recent.append(contentsOf: frames)
                state.head = frames.last?.position
                for (id, subscriber) in state.subscribers {
                    state.subscribers[id]?.position = Self.deliver(frames, to: subscriber)
                }
                Self.trim(&state, keeping: settings.recentEvents)
            }
            read.append(contentsOf: page.map(\.event.id))
            if page.count < Self.pageSize { return read }
        }
    }

    // MARK: A stream (a worker thread)

    /// Serves one stream from `position` (nil: the start of the log): replays from the log with
    /// a connection of `pool` until the recent events cover it, then attaches. Returns once
    /// attached or once the stream ended. Blocks while the reader is slow to take the replay.
    func serve(
        _ sink: HTTPStreamSink, filter: EventStreamFilter, from start: EventLogPosition?, pool: PostgresPool
    ) {
        streams.add(1, ordering: .relaxed)
        sink.onEnd { [self] _ in streams.subtract(1, ordering: .relaxed) }
        guard sink.offer(SSEFrame.retry) else { return }
        var position = start
        while sink.isOpen {
            if attach(sink, filter: filter, at: position) { return }
            let page: [LoggedEvent]
            do {
                page = try pool.withConnection {
                    try EventRepository($0).page(after: position, limit: Self.pageSize)
                }
            } catch {
                // The reader reconnects with its Last-Event-ID and misses nothing.
                logger.warning("stream.replay_failed", ["error": .string("\(error)")])
                sink.abort()
                return
            }
            for logged in page
            where filter.matches(type: logged.event.type, serviceIDs: logged.event.serviceIDs) {
                guard let frame = try? SSEFrame.bytes(logged.event),
                    sink.write(frame, timeout: settings.writeTimeout)
                else { return }
            }
            if let last = page.last {
                position = last.position
            } else {
                // Caught up with the log but the hub has not started reading it yet.
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
    }

    /// Attaches the stream when the recent events cover `position`, sending those after it.
    private func attach(_ sink: HTTPStreamSink, filter: EventStreamFilter, at position: EventLogPosition?)
        -> Bool
    {
        state.withLock { state in
            guard state.started else { return false }
            switch (state.base, position) {
            case (.logStart, _): break
            case (.after, nil): return false
            case (.after(let base), .some(let position)) where position < base: return false
            case (.after, .some): break
            }
            let subscriber = Subscriber(filter: filter, sink: sink, position: position)
            let delivered = Self.deliver(state.recent[...], to: subscriber)
            let id = state.nextID
            state.nextID += 1
            state.subscribers[id] = Subscriber(filter: filter, sink: sink, position: delivered)
            sink.onEnd { [self] _ in ended.withLock { $0.append(id) } }
            return true
        }
    }

    /// Offers `frames` after the subscriber's position; returns its new position.
    private static func deliver(
        _ frames: some Collection<Frame>, to subscriber: Subscriber
    ) -> EventLogPosition? {
        var position = subscriber.position
        guard subscriber.sink.isOpen else { return position }
        for frame in frames {
            if let seen = position, frame.position <= seen { continue }
            position = frame.position
            if subscriber.filter.matches(type: frame.type, serviceIDs: frame.serviceIDs) {
                // A reader whose buffer is full is cut here (the sink closes its connection).
                guard subscriber.sink.offer(frame.bytes) else { return position }
            }
        }
        return position
    }

    /// Keeps at most `keeping` recent events (amortised: trims once there are twice as many).
    private static func trim(_ state: inout State, keeping: Int) {
        guard state.recent.count > 2 * max(keeping, 1) else { return }
        let drop = state.recent.count - keeping
        state.base = .after(state.recent[drop - 1].position)
        state.recent.removeFirst(drop)
    }

    // MARK: Exports

    /// Exports running in this process.
    public var runningExports: Int { exports.load(ordering: .relaxed) }

    func beginExport() { exports.add(1, ordering: .relaxed) }

    func endExport() { exports.subtract(1, ordering: .relaxed) }
}

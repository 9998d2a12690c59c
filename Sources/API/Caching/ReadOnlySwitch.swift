import Domain
import Synchronization

/// This process's copy of the read-only switch (SPEC §12), read by ``ReadOnlyStage`` on every
/// request without a lock round trip to the database; kept current by the App's
/// `ReadOnlyFollower` (NOTIFY, and a re-read every second) and by this process's own writes.
public final class ReadOnlySwitch: Sendable {
    private let state = Mutex<ReadOnlyState?>(nil)

    public init() {}

    /// The switch, or nil before the first read (then writes go on: the database is the judge).
    public var current: ReadOnlyState? { state.withLock { $0 } }

    /// Takes the stored state.
    public func update(_ new: ReadOnlyState) { state.withLock { $0 = new } }
}

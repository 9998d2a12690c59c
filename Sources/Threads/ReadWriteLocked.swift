import Glibc

/// A value behind a `pthread_rwlock_t` that prefers writers: readers run side by side, and a
/// writer waiting stops new readers from starving it.
///
/// For the caches every request reads and few requests write (ADR 0003): a `Mutex` made the
/// readers queue behind each other, and on two cores a holder descheduled mid-section sent the
/// others into the slow path (lock contention in the ingest profile, docs/PERFORMANCE.md).
public final class ReadWriteLocked<Value>: @unchecked Sendable {
    private let lock = UnsafeMutablePointer<pthread_rwlock_t>.allocate(capacity: 1)
    // Only touched with `lock` held (shared for reads, exclusive for writes).
    private var value: Value

    public init(_ value: Value) {
        self.value = value
        var attributes = pthread_rwlockattr_t()
        pthread_rwlockattr_init(&attributes)
        pthread_rwlockattr_setkind_np(&attributes, Int32(PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP))
        lock.initialize(to: pthread_rwlock_t())
        // Cannot fail for a process-private lock with valid attributes (pthread_rwlock_init(3)).
        pthread_rwlock_init(lock, &attributes)
        pthread_rwlockattr_destroy(&attributes)
    }

    deinit {
        pthread_rwlock_destroy(lock)
        lock.deallocate()
    }

    /// Runs `body` with shared access; other readers may run at the same time.
    public func read<Result>(_ body: (borrowing Value) throws -> Result) rethrows -> Result {
        pthread_rwlock_rdlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body(value)
    }

    /// Runs `body` with exclusive access.
    public func write<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        pthread_rwlock_wrlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body(&value)
    }
}

#if canImport(Glibc)
    import Glibc
#endif

/// A pthread condition variable with its own mutex, used as a wake-up signal next to state
/// kept in a `Mutex`. A waiter takes a `ticket()` before it checks the state and waits only
/// while no wake-up happened since, so a wake-up between the check and the wait is not lost.
public final class ConditionSignal: @unchecked Sendable {
    // Allocated once and never moved: pthread objects must not change address.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var generation: UInt64 = 0

    public init() {
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Wakes one waiter, or all.
    public func wake(all: Bool) {
        pthread_mutex_lock(mutex)
        generation &+= 1
        if all { pthread_cond_broadcast(condition) } else { pthread_cond_signal(condition) }
        pthread_mutex_unlock(mutex)
    }

    /// The wake-up count, to pass to `wait(since:timeoutNanoseconds:)`.
    public func ticket() -> UInt64 {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return generation
    }

    /// Waits until a wake-up after `seen` or the timeout.
    public func wait(since seen: UInt64, timeoutNanoseconds: UInt64) {
        pthread_mutex_lock(mutex)
        var deadline = timespec()
        clock_gettime(CLOCK_MONOTONIC, &deadline)
        let total = UInt64(deadline.tv_nsec) + timeoutNanoseconds
        deadline.tv_sec += Int(total / 1_000_000_000)
        deadline.tv_nsec = Int(total % 1_000_000_000)
        while generation == seen {
            if pthread_cond_timedwait(condition, mutex, &deadline) == ETIMEDOUT { break }
        }
        pthread_mutex_unlock(mutex)
    }
}

#if canImport(Glibc)
    import Glibc
#endif

/// A joinable pthread running one closure. The event loops and workers are long-lived
/// threads of their own, not Dispatch or Swift concurrency (see ADR 0001).
public final class PosixThread: @unchecked Sendable {
    private let handle: pthread_t

    /// Starts `body` on a new thread; `name` identifies it in errors. A detached thread
    /// cleans up after itself and must not be joined.
    public init(name: String, detached: Bool = false, _ body: @escaping @Sendable () -> Void)
        throws(ThreadStartError)
    {
        final class Box {
            let name: String
            let body: @Sendable () -> Void
            init(name: String, body: @escaping @Sendable () -> Void) {
                self.name = name
                self.body = body
            }
        }
        let box = Unmanaged.passRetained(Box(name: name, body: body)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(
            &thread, nil,
            { context in
                // The box was retained for this thread alone; take that reference back.
                let box = Unmanaged<Box>.fromOpaque(context!).takeRetainedValue()
                box.body()
                return nil
            }, box)
        guard result == 0 else {
            Unmanaged<Box>.fromOpaque(box).release()
            throw ThreadStartError(name: name, code: result)
        }
        handle = thread
        if detached { pthread_detach(thread) }
    }

    /// Waits for the thread to return.
    public func join() {
        pthread_join(handle, nil)
    }
}

/// `pthread_create` refused (`code` is its errno-style result, EAGAIN when out of threads).
public struct ThreadStartError: Error, CustomStringConvertible {
    public let name: String
    public let code: Int32

    public var description: String { "pthread_create (\(name)) failed: \(String(cString: strerror(code)))" }
}

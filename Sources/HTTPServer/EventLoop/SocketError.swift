import Threads

#if canImport(Glibc)
    import Glibc
#endif

/// A failed system call while setting up the server (bind, listen, epoll, threads).
public struct SocketError: Error, Sendable, CustomStringConvertible {
    public let operation: String
    public let code: Int32

    public init(operation: String, code: Int32 = errno) {
        self.operation = operation
        self.code = code
    }

    public var description: String {
        "\(operation) failed: \(String(cString: strerror(code))) (errno \(code))"
    }
}

extension SocketError {
    /// Starts a thread, reporting a refusal as the server's own start-up error.
    static func startingThread(_ start: () throws(ThreadStartError) -> PosixThread) throws(SocketError)
        -> PosixThread
    {
        do {
            return try start()
        } catch {
            throw SocketError(operation: "pthread_create (\(error.name))", code: error.code)
        }
    }
}

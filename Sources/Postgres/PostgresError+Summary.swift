extension PostgresError {
    /// A sentence that is safe to show anyone, for open routes such as health checks: what
    /// kind of trouble, never libpq's message, which names the host, port, user or socket
    /// path (`connection to server at "10.0.0.5", port 5432 failed`).
    public var publicSummary: String {
        switch kind {
        case .connectFailed, .connectionLost: return "the database cannot be reached"
        case .poolTimeout: return "no database connection became free in time"
        case .deadlineExceeded: return "the database did not answer in time"
        case .poolClosed: return "the server is shutting down"
        case .decoding, .protocolViolation: return "the database answered something unexpected"
        case .server:
            if isQueryCanceled { return "the database did not answer in time" }
            if isUnavailable { return "the database is not accepting connections" }
            return "the database refused the check"
        }
    }
}

/// Where a request's handler runs (see docs/ARCHITECTURE.md, "Execution model").
public enum HandlerExecution: Sendable, Hashable {
    /// On the connection's event-loop thread, inline. Only for handlers that never block
    /// and finish in microseconds (health checks, static answers, 404s).
    case eventLoop
    /// On the bounded worker pool; the response is handed back to the connection's loop.
    /// Everything that may block (libpq, files, sleeps) must use this.
    case worker
}

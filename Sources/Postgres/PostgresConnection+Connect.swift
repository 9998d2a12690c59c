import CLibPQ
import Foundation

/// Opening a connection without blocking past a deadline: `PQconnectStartParams`, then
/// `PQconnectPoll` driven by `poll` (libpq's own `connect_timeout` applies only to the blocking
/// `PQconnectdb`).
extension PostgresConnection {
    /// Over TCP, an idle connection to a dead peer is noticed in about 25 s (10 s idle, then 3
    /// probes 5 s apart) rather than the kernel's two hours; sent data left unacknowledged for
    /// `tcpUserTimeoutMilliseconds` closes it (libpq 12+). Request work has its own deadline;
    /// these cover connections nobody waits on (pooled, listening).
    static let keepaliveParameters = [
        ("keepalives", "1"), ("keepalives_idle", "10"), ("keepalives_interval", "5"),
        ("keepalives_count", "3"),
    ]
    static let tcpUserTimeoutMilliseconds = 15_000

    /// A connected, non-blocking `PGconn`, or the reason there is none.
    static func connect(conninfo: String, options: Options) throws -> OpaquePointer {
        let timeoutSeconds = max(2, Int(options.connectTimeout.components.seconds))
        // Later entries win; the conninfo comes last (expand_dbname) so it can override defaults.
        var parameters = [
            ("application_name", options.applicationName), ("connect_timeout", String(timeoutSeconds)),
            ("client_encoding", "UTF8"),
        ]
        parameters += keepaliveParameters
        if PQlibVersion() >= 120_000 {
            parameters.append(("tcp_user_timeout", String(tcpUserTimeoutMilliseconds)))
        }
        parameters.append(("dbname", conninfo))
        let keywords = parameters.map(\.0)
        let values = parameters.map(\.1)
        let started = withCStringArray(keywords) { keywordPointers in
            withCStringArray(values) { valuePointers in
                PQconnectStartParams(keywordPointers, valuePointers, 1)
            }
        }
        guard let handle = started else { throw PostgresError(.connectFailed, message: "out of memory") }
        do {
            try finishConnecting(handle, timeout: .seconds(timeoutSeconds))
        } catch {
            PQfinish(handle)
            throw error
        }
        // libpq prints NOTICEs ("relation already exists, skipping") to stderr by default;
        // they are not errors and would break the one-JSON-line-per-event log format.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        guard PQsetnonblocking(handle, 1) == 0 else {
            let message = errorMessage(handle)
            PQfinish(handle)
            throw PostgresError(.connectFailed, message: message)
        }
        return handle
    }

    /// Drives `PQconnectPoll` until the connection is made, fails, or the earlier of the
    /// deadline in force and `timeout` passes.
    private static func finishConnecting(_ handle: OpaquePointer, timeout: Duration) throws {
        let connectDeadline = ContinuousClock.now + timeout
        let requestDeadline = PostgresDeadline.current
        let deadline = requestDeadline.map { min($0, connectDeadline) } ?? connectDeadline
        guard PQstatus(handle) != CONNECTION_BAD else {
            throw PostgresError(.connectFailed, message: errorMessage(handle))
        }
        var state = PGRES_POLLING_WRITING
        while true {
            switch state {
            case PGRES_POLLING_OK:
                return
            case PGRES_POLLING_FAILED:
                throw PostgresError(.connectFailed, message: errorMessage(handle))
            default:
                let events = state == PGRES_POLLING_READING ? Int16(POLLIN) : Int16(POLLOUT)
                // The socket can change between calls (another address of the host is tried).
                guard try pollSocket(PQsocket(handle), events: events, until: deadline) else {
                    if let requestDeadline, requestDeadline <= connectDeadline {
                        throw PostgresError(
                            .deadlineExceeded,
                            message: "the database did not accept a connection before the deadline")
                    }
                    throw PostgresError(
                        .connectFailed, message: "the database did not accept a connection within \(timeout)")
                }
                state = PQconnectPoll(handle)
            }
        }
    }
}

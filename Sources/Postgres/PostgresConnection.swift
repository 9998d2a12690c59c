import CLibPQ
import Foundation

/// One libpq connection.
///
/// Every call blocks the calling thread until the server answers or the deadline in force
/// passes (``PostgresDeadline``; libpq itself runs non-blocking, `PostgresConnection+Waiting.swift`):
/// handlers run on worker threads (docs/ARCHITECTURE.md, execution model). A connection is not
/// thread-safe; use it from one thread at a time (the pool hands each connection to one borrower).
public final class PostgresConnection {
    /// Session settings applied to every new connection.
    public struct Options: Sendable {
        /// Shown in `pg_stat_activity`.
        public var applicationName: String
        /// How long opening a connection may take (libpq's `connect_timeout`, at least 2 s).
        public var connectTimeout: Duration
        /// `statement_timeout` for the session; nil keeps the server's setting.
        public var statementTimeout: Duration?
        /// Statements kept prepared per connection, keyed by SQL text and parameter types;
        /// 0 sends every statement unnamed (needed behind a transaction-pooling proxy).
        public var statementCacheCapacity: Int

        public init(
            applicationName: String = "incidentd", connectTimeout: Duration = .seconds(5),
            statementTimeout: Duration? = nil, statementCacheCapacity: Int = 256
        ) {
            self.applicationName = applicationName
            self.connectTimeout = connectTimeout
            self.statementTimeout = statementTimeout
            self.statementCacheCapacity = statementCacheCapacity
        }
    }

    /// libpq's view of the session's transaction (`PQtransactionStatus`).
    public enum TransactionStatus: Sendable {
        case idle, active, inTransaction, failedTransaction, unknown
    }

    /// Key of a prepared statement: the same SQL with other parameter types is another statement.
    struct StatementKey: Hashable {
        let sql: String
        let types: [UInt32]

        /// Hashes the length and three samples of the text, not all of it: a group-commit
        /// batch's statement is several kilobytes, and hashing it whole on every lookup showed
        /// in the ingest profile. Equal keys still hash equally; `==` compares everything.
        func hash(into hasher: inout Hasher) {
            hasher.combine(types)
            let sample = 32
            var text = sql
            text.makeContiguousUTF8()  // a no-op for native strings; the samples need one buffer
            _ = text.utf8.withContiguousStorageIfAvailable { utf8 in
                let bytes = UnsafeRawBufferPointer(utf8)
                hasher.combine(bytes.count)
                guard bytes.count > 3 * sample else {
                    hasher.combine(bytes: bytes)
                    return
                }
                let middle = (bytes.count - sample) / 2
                hasher.combine(bytes: UnsafeRawBufferPointer(rebasing: bytes[..<sample]))
                hasher.combine(bytes: UnsafeRawBufferPointer(rebasing: bytes[middle..<(middle + sample)]))
                hasher.combine(bytes: UnsafeRawBufferPointer(rebasing: bytes[(bytes.count - sample)...]))
            }
        }
    }

    /// The `PGconn`; nil once closed.
    private(set) var handle: OpaquePointer?
    public let options: Options
    /// Prepared statement names by key.
    var preparedStatements: [StatementKey: String] = [:]
    var nextStatementNumber = 0
    /// Set when a failure left the session in an unknown state (a failed ROLLBACK).
    var isPoisoned = false
    /// The `BEGIN` of a transaction not sent yet: `withTransaction` defers it so that it travels
    /// with the transaction's first statement in one round trip (libpq pipeline mode,
    /// `PostgresConnection+Pipeline.swift`).
    var pendingBegin: String?
    /// Statements to send with the `COMMIT` of the running `withTransaction`, in one round trip
    /// (`PostgresConnection+CommitPipeline.swift`); nil outside `withTransaction`.
    var statementsForCommit: [CommitStatement]?

    /// Opens a connection from a URL (`postgresql://user@host/db`) or a conninfo string
    /// (`host=/path/to/socketdir dbname=incidentd`), then applies `options`. Honours
    /// ``PostgresDeadline/current`` and `options.connectTimeout`, whichever comes first
    /// (`PostgresConnection+Connect.swift`).
    ///
    /// Throws `.connectFailed` with libpq's message (which never includes the password), or
    /// `.deadlineExceeded`.
    public init(conninfo: String, options: Options = Options()) throws {
        self.options = options
        handle = try Self.connect(conninfo: conninfo, options: options)
        do {
            try applySessionSettings()
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    /// Closes the connection; later calls throw `.connectionLost`.
    public func close() {
        if let handle { PQfinish(handle) }
        handle = nil
        pendingBegin = nil
        statementsForCommit = nil
        preparedStatements.removeAll()
    }

    /// Whether the connection is open and libpq considers it healthy. After a failure this is
    /// the reliable test for a broken connection (NOTES.md: no SQLSTATE after a server restart).
    public var isConnected: Bool {
        guard let handle else { return false }
        return PQstatus(handle) == CONNECTION_OK
    }

    /// Whether the connection can be handed to the next borrower: connected, outside any
    /// transaction, and not left in an unknown state.
    public var isReusable: Bool { isConnected && !isPoisoned && transactionStatus == .idle }

    public var transactionStatus: TransactionStatus {
        guard let handle else { return .unknown }
        // A deferred BEGIN: the transaction has begun as far as callers are concerned.
        if pendingBegin != nil { return .inTransaction }
        switch PQtransactionStatus(handle) {
        case PQTRANS_IDLE: return .idle
        case PQTRANS_ACTIVE: return .active
        case PQTRANS_INTRANS: return .inTransaction
        case PQTRANS_INERROR: return .failedTransaction
        default: return .unknown
        }
    }

    /// The server's version as an integer (150004 for 15.4), 0 when closed.
    public var serverVersion: Int { handle.map { Int(PQserverVersion($0)) } ?? 0 }

    /// The server process serving this session (`pg_backend_pid()`), 0 when closed.
    public var backendPID: Int32 { handle.map { PQbackendPID($0) } ?? 0 }

    /// The libpq socket, for a readability check while idle; -1 when closed.
    var socket: Int32 { handle.map { PQsocket($0) } ?? -1 }

    /// Date output the decoders parse, hex bytea, UTC, and the configured statement timeout.
    private func applySessionSettings() throws {
        var query: PostgresQuery =
            "SELECT set_config('DateStyle', 'ISO, MDY', false), set_config('bytea_output', 'hex', false),"
            + " set_config('TimeZone', 'UTC', false)"
        if let timeout = options.statementTimeout {
            query.append(", set_config('statement_timeout', \(String(timeout.wholeMilliseconds)), false)")
        }
        _ = try self.query(query)
    }

    /// Whether the session is over: libpq says the connection is bad, or the last thing it read
    /// was a FATAL error from the server, which always ends the session (57P01 when PostgreSQL
    /// shuts down fast) and may be read before the socket's close is (faults.sh pgrestart saw
    /// such a COMMIT reported as a protocol violation, a 500, instead of a lost connection).
    static func sessionEnded(_ handle: OpaquePointer) -> Bool {
        PQstatus(handle) != CONNECTION_OK || errorMessage(handle).hasPrefix("FATAL:")
    }

    /// libpq's last error message for `handle`, without the trailing newline.
    static func errorMessage(_ handle: OpaquePointer) -> String {
        guard let message = PQerrorMessage(handle) else { return "unknown libpq error" }
        return String(cString: message).trimmingTrailingNewlines()
    }

    /// Calls `body` with a C array of C strings for `strings`, NULL-terminated.
    static func withCStringArray<Result>(
        _ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> Result
    ) -> Result {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { UnsafePointer($0) } + [nil]
        // The array holds at least the terminating nil, so its base address exists.
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}

extension String {
    /// The string without trailing newlines (libpq ends its messages with one).
    func trimmingTrailingNewlines() -> String {
        var text = Substring(self)
        while text.last == "\n" { text = text.dropLast() }
        return String(text)
    }
}

extension Duration {
    /// The duration in whole milliseconds, rounded down.
    var wholeMilliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}

extension PostgresConnection {
    /// Whether an idle connection still looks alive: connected, and the server has sent nothing
    /// unasked. A server that shut down or terminated the backend sends an error and closes the
    /// socket, which makes it readable; such a connection is replaced before anyone uses it.
    var isIdleAndHealthy: Bool {
        guard isReusable else { return false }
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, 0)
        return ready == 0
    }
}

/// An error from the PostgreSQL layer: a server error with its SQLSTATE and fields, or a failure
/// of the connection, the pool or the decoding of a result.
///
/// `description` is safe to log: it holds the SQL text (which never contains values, see
/// `PostgresQuery`), the SQLSTATE, the message and the constraint, but not `detail`, which the
/// server fills with row values (`Key (key_id)=(...) already exists`). `debugDescription` adds it.
public struct PostgresError: Error, Sendable {
    /// What went wrong, independent of the server's SQLSTATE.
    public enum Kind: String, Sendable, Hashable {
        /// The server refused a statement (see `sqlState`).
        case server
        /// The connection broke (server restart, killed backend, network); the outcome of a
        /// statement that was in flight is unknown.
        case connectionLost
        /// A new connection could not be opened (server down, bad conninfo, authentication).
        case connectFailed
        /// No pooled connection became free within the acquire timeout.
        case poolTimeout
        /// The pool was closed.
        case poolClosed
        /// A result value could not be decoded as the requested Swift type.
        case decoding
        /// libpq or the server answered something this layer does not expect.
        case protocolViolation
        /// The operation's deadline (``PostgresDeadline``) passed first: the statement was
        /// cancelled and the connection dropped, so the outcome of a `COMMIT` in flight is
        /// unknown. Answered like an unavailable database (503 + `Retry-After`).
        case deadlineExceeded
    }

    /// The step of `withTransaction` that failed, so a caller can tell a failed `COMMIT`
    /// (nothing was saved) from a failed statement in the body.
    public enum TransactionStep: String, Sendable, Hashable {
        case begin = "BEGIN"
        case body
        case commit = "COMMIT"
        case rollback = "ROLLBACK"
    }

    public var kind: Kind
    /// The five-character SQLSTATE (`23505`), when the server sent one.
    public var sqlState: String?
    public var message: String
    /// The server's detail line; may contain row values, so it is kept out of `description`.
    public var detail: String?
    public var hint: String?
    public var constraint: String?
    public var schema: String?
    public var table: String?
    public var column: String?
    /// The SQL text of the statement (placeholders only, never values).
    public var query: String?
    /// Set by `withTransaction`.
    public var transactionStep: TransactionStep?

    public init(
        _ kind: Kind, message: String, sqlState: String? = nil, detail: String? = nil, hint: String? = nil,
        constraint: String? = nil, schema: String? = nil, table: String? = nil, column: String? = nil,
        query: String? = nil, transactionStep: TransactionStep? = nil
    ) {
        self.kind = kind
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.hint = hint
        self.constraint = constraint
        self.schema = schema
        self.table = table
        self.column = column
        self.query = query
        self.transactionStep = transactionStep
    }
}

extension PostgresError {
    /// SQLSTATE 23505; when `constraint` is given, only a violation of that named constraint.
    public func isUniqueViolation(constraint name: String? = nil) -> Bool {
        sqlState == "23505" && (name == nil || constraint == name)
    }

    /// SQLSTATE 23503 (foreign key), optionally of one named constraint.
    public func isForeignKeyViolation(constraint name: String? = nil) -> Bool {
        sqlState == "23503" && (name == nil || constraint == name)
    }

    /// SQLSTATE 23514 (check constraint), optionally of one named constraint.
    public func isCheckViolation(constraint name: String? = nil) -> Bool {
        sqlState == "23514" && (name == nil || constraint == name)
    }

    /// SQLSTATE 40001: the transaction may succeed if run again.
    public var isSerializationFailure: Bool { sqlState == "40001" }

    /// SQLSTATE 40P01: the transaction may succeed if run again.
    public var isDeadlock: Bool { sqlState == "40P01" }

    /// Whether re-running the whole transaction may succeed (40001, 40P01).
    public var isRetryableTransactionFailure: Bool { isSerializationFailure || isDeadlock }

    /// SQLSTATE 57014: `statement_timeout` or a cancel request stopped the statement.
    public var isQueryCanceled: Bool { sqlState == "57014" }

    /// Whether the database is unreachable or busy rather than refusing the request: the HTTP
    /// layer answers these with 503 and `Retry-After` (issue 3).
    public var isUnavailable: Bool {
        switch kind {
        case .connectionLost, .connectFailed, .poolTimeout, .poolClosed, .deadlineExceeded: return true
        case .server:
            // Class 08 connection exceptions; 57P01-57P03 admin/crash shutdown, cannot connect now;
            // 53300 too many connections.
            guard let sqlState else { return false }
            return sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03", "53300"].contains(sqlState)
        case .decoding, .protocolViolation: return false
        }
    }
}

extension PostgresError: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String { render(includingDetail: false) }

    public var debugDescription: String { render(includingDetail: true) }

    private func render(includingDetail: Bool) -> String {
        var text = "PostgreSQL \(kind.rawValue) error"
        if let sqlState { text += " \(sqlState)" }
        if let transactionStep { text += " at \(transactionStep.rawValue)" }
        text += ": \(message)"
        if let constraint { text += " (constraint \(constraint))" }
        if includingDetail, let detail { text += "; detail: \(detail)" }
        if let hint { text += "; hint: \(hint)" }
        if let query { text += "; query: \(query)" }
        return text
    }
}

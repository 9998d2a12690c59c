import Foundation

/// A SQL statement whose values travel as bind parameters, never inside the SQL text.
///
/// Every interpolated value becomes `$n`:
///
///     let query: PostgresQuery = "SELECT id FROM alerts WHERE service_id = \(serviceID) AND status = \(status)"
///
/// Repositories that compose optional filters append further fragments; placeholders are
/// renumbered as fragments are joined:
///
///     var query: PostgresQuery = "SELECT id FROM alerts WHERE true"
///     if let status { query.append(" AND status = \(status)") }
///     query.append(" ORDER BY id DESC LIMIT \(limit)")
public struct PostgresQuery: Sendable, Hashable {
    /// A piece of the statement: SQL text, or a reference to a bind by its index in `binds`.
    enum Fragment: Sendable, Hashable {
        case text(String)
        case bind(Int)
    }

    private(set) var fragments: [Fragment] = []
    /// The parameter values, in `$1`, `$2`, ... order.
    public private(set) var binds: [PostgresBindValue] = []
    /// Set when `init(sql:binds:)` got a `$n` without a matching bind; executing throws it.
    private(set) var problem: String?

    /// Raw SQL with explicit binds: `$1` in `sql` is `binds[0]`. For statements built from
    /// parts; prefer string interpolation. Values must never be spliced into `sql`.
    public init(sql: String, binds: [any PostgresBindable] = []) {
        self.binds = binds.map(PostgresBindValue.init)
        let (fragments, highest) = PostgresPlaceholderScanner.fragments(of: sql)
        self.fragments = fragments
        if highest > binds.count {
            problem = "the SQL refers to $\(highest) but only \(binds.count) bind value(s) were given"
        }
    }

    /// The SQL text with `$1`, `$2`, ... placeholders.
    public var sql: String {
        var text = ""
        for fragment in fragments {
            switch fragment {
            case .text(let part): text += part
            case .bind(let index): text += "$\(index + 1)"
            }
        }
        return text
    }

    /// Appends `other`, renumbering its placeholders after this query's.
    public mutating func append(_ other: PostgresQuery) {
        let offset = binds.count
        for fragment in other.fragments {
            switch fragment {
            case .text(let part): appendText(part)
            case .bind(let index): fragments.append(.bind(index + offset))
            }
        }
        binds += other.binds
        if problem == nil { problem = other.problem }
    }

    /// Appends one bind parameter (`$n`).
    public mutating func appendBind(_ value: some PostgresBindable) {
        fragments.append(.bind(binds.count))
        binds.append(PostgresBindValue(value))
    }

    /// `lhs` followed by `rhs`.
    public static func + (lhs: PostgresQuery, rhs: PostgresQuery) -> PostgresQuery {
        var result = lhs
        result.append(rhs)
        return result
    }

    /// The parts joined by `separator` (`" AND "`, `", "`).
    public static func joined(_ parts: [PostgresQuery], separator: StaticString) -> PostgresQuery {
        var result = PostgresQuery(sql: "")
        for (position, part) in parts.enumerated() {
            if position > 0 { result.appendText("\(separator)") }
            result.append(part)
        }
        return result
    }

    mutating func appendText(_ text: String) {
        guard !text.isEmpty else { return }
        if case .text(let previous) = fragments.last {
            fragments[fragments.count - 1] = .text(previous + text)
        } else {
            fragments.append(.text(text))
        }
    }
}

extension PostgresQuery: ExpressibleByStringInterpolation {
    public init(stringLiteral value: String) {
        appendText(value)
    }

    public init(stringInterpolation: StringInterpolation) {
        self = stringInterpolation.query
    }

    /// Builds a query from a string literal; each interpolated value becomes a bind parameter.
    public struct StringInterpolation: StringInterpolationProtocol {
        var query = PostgresQuery(sql: "")

        public init(literalCapacity: Int, interpolationCount: Int) {}

        public mutating func appendLiteral(_ literal: String) {
            query.appendText(literal)
        }

        /// A value: becomes `$n`.
        public mutating func appendInterpolation(_ value: some PostgresBindable) {
            query.appendBind(value)
        }

        /// An optional value: `$n`, NULL when nil (typed, so `$n::text IS NULL` works). A separate
        /// overload so the compiler sees the Optional is meant (no debug-description warning).
        public mutating func appendInterpolation<Value: PostgresBindable>(_ value: Value?) {
            query.appendBind(value)
        }

        /// Another query (a sub-select or a filter): its placeholders are renumbered.
        public mutating func appendInterpolation(_ fragment: PostgresQuery) {
            query.append(fragment)
        }

        /// A quoted identifier (`"name"`), for names that cannot be bind parameters, such as the
        /// database in `CREATE DATABASE`.
        public mutating func appendInterpolation(identifier: String) {
            query.appendText(PostgresQuery.quoteIdentifier(identifier))
        }

        /// SQL text fixed at compile time (`ASC` or `DESC`); a `StaticString` cannot hold a value
        /// that arrived at run time.
        public mutating func appendInterpolation(sql: StaticString) {
            query.appendText("\(sql)")
        }
    }

    /// `identifier` in double quotes with embedded quotes doubled (SQL standard quoting).
    public static func quoteIdentifier(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension PostgresQuery: CustomStringConvertible {
    /// The SQL text and the number of binds; the values are left out (they may be secrets).
    public var description: String { "\(sql) [\(binds.count) bind(s)]" }
}

/// One bind parameter, already in PostgreSQL's binary format.
public struct PostgresBindValue: Sendable, Hashable {
    public var type: PostgresDataType
    /// nil for SQL NULL.
    public var bytes: [UInt8]?

    public init(type: PostgresDataType, bytes: [UInt8]?) {
        self.type = type
        self.bytes = bytes
    }

    public init(_ value: any PostgresBindable) {
        self.init(type: Self.type(of: value), bytes: value.postgresBinaryValue)
    }

    private static func type<Value: PostgresBindable>(of value: Value) -> PostgresDataType {
        Value.postgresType
    }
}

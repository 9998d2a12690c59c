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
    /// The SQL text with `$1`, `$2`, ... placeholders, kept up to date as fragments are added:
    /// running a statement reads it several times (prepared-statement cache, pipeline, error
    /// reports), and rendering it from the fragments each time was a third of a group-commit
    /// batch's cost in the ingest profile (docs/PERFORMANCE.md, "Performance: profile and cuts").
    public private(set) var sql: String = ""

    /// Raw SQL with explicit binds: `$1` in `sql` is `binds[0]`. For statements built from
    /// parts; prefer string interpolation. Values must never be spliced into `sql`.
    public init(sql: String, binds: [any PostgresBindable] = []) {
        self.binds = binds.map(PostgresBindValue.init)
        let (fragments, highest) = PostgresPlaceholderScanner.fragments(of: sql)
        self.fragments = fragments
        for fragment in fragments { Self.render(fragment, offset: 0, into: &self.sql) }
        if highest > binds.count {
            problem = "the SQL refers to $\(highest) but only \(binds.count) bind value(s) were given"
        }
    }

    /// Appends `fragment` as SQL text, its placeholder (if any) moved up by `offset`.
    private static func render(_ fragment: Fragment, offset: Int, into text: inout String) {
        switch fragment {
        case .text(let part): text += part
        case .bind(let index): appendPlaceholder(index + offset, to: &text)
        }
    }

    /// `$n` for the bind at `index` (0-based).
    private static func appendPlaceholder(_ index: Int, to text: inout String) {
        text.append("$")
        text.append(String(index + 1))
    }

    /// Appends `other`, renumbering its placeholders after this query's.
    public mutating func append(_ other: PostgresQuery) {
        let offset = binds.count
        for fragment in other.fragments {
            switch fragment {
            case .text(let part): appendText(part)
            case .bind(let index):
                fragments.append(.bind(index + offset))
                Self.appendPlaceholder(index + offset, to: &sql)
            }
        }
        binds += other.binds
        if problem == nil { problem = other.problem }
    }

    /// Appends one bind parameter (`$n`).
    public mutating func appendBind(_ value: some PostgresBindable) {
        Self.appendPlaceholder(binds.count, to: &sql)
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
        sql += text
        if case .text(var previous) = fragments.last {
            // Taken out first, so the string is uniquely referenced and grows in place
            // (`previous + text` copied the whole statement for every literal piece).
            fragments.removeLast()
            previous += text
            fragments.append(.text(previous))
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

import Postgres
import Testing

/// Query building without a database: placeholders, renumbering, and what stays out of SQL.
@Suite struct PostgresQueryTests {
    @Test func interpolatedValuesBecomePlaceholdersNotText() {
        let name = "x'; DROP TABLE alerts; --"
        let query: PostgresQuery = "SELECT id FROM services WHERE name = \(name) AND id > \(5)"
        #expect(query.sql == "SELECT id FROM services WHERE name = $1 AND id > $2")
        #expect(query.binds.count == 2)
        #expect(query.binds[0].type == .text)
        #expect(query.binds[0].bytes == Array(name.utf8))
        #expect(query.binds[1].type == .int8)
        #expect(!query.description.contains("DROP"))
    }

    @Test func appendedFragmentsAreRenumbered() {
        var query: PostgresQuery = "SELECT id FROM alerts WHERE service_id = \(Int64(3))"
        query.append(" AND status = \("triggered")")
        query.append(" LIMIT \(10)")
        #expect(query.sql == "SELECT id FROM alerts WHERE service_id = $1 AND status = $2 LIMIT $3")
        #expect(query.binds.map(\.type) == [.int8, .text, .int8])
    }

    @Test func rawSQLWithBindsIsRenumberedWhenAppended() {
        var query: PostgresQuery = "SELECT \(1) AS a"
        query.append(PostgresQuery(sql: ", $2::text AS b, $1::int8 AS c", binds: [Int64(7), "seven"]))
        #expect(query.sql == "SELECT $1 AS a, $3::text AS b, $2::int8 AS c")
        #expect(query.binds.count == 3)
    }

    @Test func placeholderScannerSkipsLiteralsCommentsAndIdentifiers() {
        let sql = """
            SELECT '$1', E'\\'$2', "$3", $$ $4 $$, $tag$ $5 $tag$, a$6, /* $7 /* $8 */ */ $1 -- $9
            """
        let query = PostgresQuery(sql: sql, binds: [Int64(1)])
        #expect(query.binds.count == 1)
        let prefix: PostgresQuery = "SELECT \(0), "
        let appended = prefix + query
        // Only the real placeholder moved, to $2.
        #expect(appended.sql.hasSuffix("*/ $2 -- $9"))
        #expect(appended.sql.contains("'$1', E'\\'$2', \"$3\", $$ $4 $$, $tag$ $5 $tag$, a$6"))
    }

    @Test func joinedConditionsKeepTheirBinds() {
        let conditions: [PostgresQuery] = ["status = \("open")", "severity = \("SEV1")"]
        let query = "SELECT 1 WHERE " + PostgresQuery.joined(conditions, separator: " AND ")
        #expect(query.sql == "SELECT 1 WHERE status = $1 AND severity = $2")
    }

    @Test func identifiersAreQuoted() {
        let query: PostgresQuery = "CREATE DATABASE \(identifier: "we\"ird")"
        #expect(query.sql == "CREATE DATABASE \"we\"\"ird\"")
        #expect(query.binds.isEmpty)
    }

    @Test func optionalNilBindsAsTypedNull() {
        let missing: Int64? = nil
        let query: PostgresQuery = "SELECT \(missing)"
        #expect(query.binds[0].type == .int8)
        #expect(query.binds[0].bytes == nil)
    }

    @Test func errorDescriptionLeavesOutDetail() {
        let error = PostgresError(
            .server, message: "duplicate key value violates unique constraint", sqlState: "23505",
            detail: "Key (key_id)=(secret-value) already exists.", constraint: "api_keys_key_id_unique",
            query: "INSERT INTO api_keys (key_id) VALUES ($1)")
        #expect(!error.description.contains("secret-value"))
        #expect(error.description.contains("23505"))
        #expect(error.description.contains("api_keys_key_id_unique"))
        #expect(error.debugDescription.contains("secret-value"))
        #expect(error.isUniqueViolation(constraint: "api_keys_key_id_unique"))
        #expect(!error.isUniqueViolation(constraint: "other"))
    }
}

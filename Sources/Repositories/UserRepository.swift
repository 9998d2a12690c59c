import Domain
import Foundation
import Postgres

/// SQL for `users` (SPEC §10).
public struct UserRepository {
    let connection: PostgresConnection

    public init(_ connection: PostgresConnection) { self.connection = connection }

    /// Adds a person; a taken e-mail address or chat handle is a conflict.
    public func create(_ user: NewUser) throws -> UserRecord {
        try mappingConflicts {
            let rows = try connection.query(
                """
                INSERT INTO users (name, email, chat_user, time_zone)
                VALUES (\(user.name), \(user.email), \(user.chatUser), \(user.timeZone))
                RETURNING \(sql: Self.columns)
                """)
            return try Self.user(rows[0])
        }
    }

    public func find(id: Int64) throws -> UserRecord? {
        try connection.query("SELECT \(sql: Self.columns) FROM users WHERE id = \(id)").first.map(Self.user)
    }

    /// The person with this chat handle (any case).
    public func find(chatUser: String) throws -> UserRecord? {
        try connection.query(
            "SELECT \(sql: Self.columns) FROM users WHERE lower(chat_user) = lower(\(chatUser))"
        ).first.map(Self.user)
    }

    /// People in id order, `limit` per page.
    public func list(limit: Int, cursor: String?) throws -> RepositoryPage<UserRecord> {
        var query: PostgresQuery = "SELECT \(sql: Self.columns) FROM users"
        if let cursor { query.append(" WHERE id > \(try PeopleCursor.decode(PeopleCursor.users, cursor))") }
        query.append(" ORDER BY id LIMIT \(limit + 1)")
        let rows = try connection.query(query).map(Self.user)
        let page = Array(rows.prefix(limit))
        let next =
            rows.count > limit ? page.last.map { PeopleCursor.encode(PeopleCursor.users, id: $0.id) } : nil
        return RepositoryPage(items: page, nextCursor: next)
    }

    /// Applies a patch; nil when there is no such person.
    public func update(id: Int64, patch: UserPatch, now: Date) throws -> UserRecord? {
        let setsEmail = patch.email != nil
        let setsChatUser = patch.chatUser != nil
        return try mappingConflicts {
            try connection.query(
                """
                UPDATE users SET
                    name = COALESCE(\(patch.name), name),
                    email = CASE WHEN \(setsEmail) THEN \(patch.email?.newValue) ELSE email END,
                    chat_user = CASE WHEN \(setsChatUser) THEN \(patch.chatUser?.newValue) ELSE chat_user END,
                    time_zone = COALESCE(\(patch.timeZone), time_zone),
                    updated_at = \(now)
                WHERE id = \(id)
                RETURNING \(sql: Self.columns)
                """
            ).first.map(Self.user)
        }
    }

    /// Deletes a person with their contact methods and past overrides. Refused (409) while
    /// they are a participant of a layer or have an override that has not ended at `now`
    /// (their turns would silently become nobody's), or an escalation policy names them. Returns false when there is no such person.
    public func delete(id: Int64, now: Date) throws -> Bool {
        guard try connection.query("SELECT id FROM users WHERE id = \(id) FOR UPDATE").first != nil else {
            return false
        }
        let holders = try connection.query(
            """
            SELECT s.name FROM schedules s
            WHERE EXISTS (
                SELECT 1 FROM schedule_layers l JOIN schedule_layer_participants p ON p.layer_id = l.id
                WHERE l.schedule_id = s.id AND p.user_id = \(id))
            OR EXISTS (
                SELECT 1 FROM schedule_overrides o
                WHERE o.schedule_id = s.id AND o.user_id = \(id) AND o.ends_at > \(now))
            ORDER BY s.name
            """
        ).map { try $0.decode("name", as: String.self) }
        guard holders.isEmpty else {
            throw DomainError.conflict(
                "User \(id) is on the schedule(s) \(holders.joined(separator: ", ")) (in a layer, or with an override"
                    + " that has not ended); take them off first.")
        }
        // SPEC §11: a person a policy pages directly.
        try EscalationPolicyRepository(connection).refuseDeletingTarget(
            .init(.user, id: id), what: "User \(id)")
        do {
            return try connection.execute("DELETE FROM users WHERE id = \(id)") == 1
        } catch let error as PostgresError
            where error.isForeignKeyViolation(constraint: "escalation_policy_targets_user_fk")
        {
            throw DomainError.conflict(
                "User \(id) was just named by an escalation policy; take them out first.")
        }
    }

    /// Which of `ids` are people.
    public func existing(_ ids: [Int64]) throws -> Set<Int64> {
        guard !ids.isEmpty else { return [] }
        return Set(
            try connection.query("SELECT id FROM users WHERE id = ANY(\(ids))").map {
                try $0.decode("id", as: Int64.self)
            })
    }

    /// The names of the people `ids` (those that exist).
    public func names(_ ids: some Sequence<Int64>) throws -> [Int64: String] {
        let list = Array(Set(ids))
        guard !list.isEmpty else { return [:] }
        var names: [Int64: String] = [:]
        for row in try connection.query("SELECT id, name FROM users WHERE id = ANY(\(list))") {
            names[try row.decode("id")] = try row.decode("name")
        }
        return names
    }

    /// Runs `body`, turning a taken e-mail address or chat handle into a conflict.
    private func mappingConflicts<Result>(_ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch let error as PostgresError where error.isUniqueViolation(constraint: "users_email_unique") {
            throw DomainError.conflict("Another user already has this email.")
        } catch let error as PostgresError where error.isUniqueViolation(constraint: "users_chat_user_unique")
        {
            throw DomainError.conflict("Another user already has this chat_user.")
        }
    }

    static let columns: StaticString = "id, name, email, chat_user, time_zone, created_at, updated_at"

    static func user(_ row: PostgresRow) throws -> UserRecord {
        UserRecord(
            id: try row.decode("id"), name: try row.decode("name"), email: try row.decode("email"),
            chatUser: try row.decode("chat_user"), timeZone: try row.decode("time_zone"),
            createdAt: try row.decode("created_at"), updatedAt: try row.decode("updated_at"))
    }
}

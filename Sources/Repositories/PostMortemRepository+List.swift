import Domain
import Foundation
import Postgres

extension PostMortemRepository {
    /// Post-mortems matching `filter`, newest first, `limit` per page after the page `cursor`
    /// ended, with their action items. Throws a validation error naming `cursor` when it is not
    /// a post-mortems cursor.
    ///
    /// Overdue (issue 7) means not published and past the due date derived with `policy`
    /// (``dueAt(policy:)``), measured at `now`.
    public func list(
        _ filter: PostMortemListFilter, policy: SLAPolicy, now: Date, limit: Int, cursor: String?
    ) throws -> RepositoryPage<PostMortemRecord> {
        var query = Self.select(policy: policy) + " WHERE true"
        if let cursor {
            guard let lastID = PostMortemCursor.decode(cursor) else {
                throw ValidationError(field: "cursor", message: "is not a cursor of this list")
            }
            query.append(" AND p.id < \(lastID)")
        }
        if !filter.statuses.isEmpty {
            query.append(" AND p.status = ANY(\(filter.statuses.map(\.rawValue).sorted()))")
        }
        if filter.overdueOnly {
            query.append(" AND p.status <> 'published' AND \(Self.dueAt(policy: policy)) < \(now)")
        }
        // One row more than asked tells whether another page exists.
        query.append(" ORDER BY p.id DESC LIMIT \(limit + 1)")
        let records = try connection.query(query).map(Self.record)
        let page = Array(records.prefix(limit))
        let next =
            records.count > limit ? page.last.map { PostMortemCursor.encode(id: $0.postMortem.id) } : nil
        return RepositoryPage(items: try withActionItems(page), nextCursor: next)
    }
}

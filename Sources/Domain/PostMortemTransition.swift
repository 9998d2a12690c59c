/// The post-mortem status flow of SPEC §3 and issue 7, as pure functions.
///
/// - `draft → in_review → published`, and `draft → published` for teams without a review step.
/// - `in_review → draft` sends a review back for changes.
/// - `published` is final and read-only, unless an admin reopens it (to `draft` or
///   `in_review`).
public enum PostMortemTransition {
    /// Decides a status change; `isAdmin` is true when the caller has the admin role.
    public static func changeStatus(
        from current: PostMortemStatus, to target: PostMortemStatus, isAdmin: Bool
    ) -> TransitionOutcome {
        if current == target { return .noOp }
        switch current {
        case .published:
            // Issue 7: a published post-mortem is read-only unless reopened by an admin.
            return isAdmin
                ? .apply : .conflict("The post-mortem is published; only an admin can reopen it.")
        case .draft, .inReview:
            return .apply
        }
    }

    /// Decides an edit of the post-mortem's text fields.
    public static func edit(status: PostMortemStatus) -> TransitionOutcome {
        status == .published
            ? .conflict("The post-mortem is published and read-only; an admin must reopen it first.")
            : .apply
    }

    /// Decides adding or changing an action item. Always allowed: action items are the
    /// follow-up work and are closed long after the write-up is published.
    public static func editActionItems(status: PostMortemStatus) -> TransitionOutcome { .apply }
}

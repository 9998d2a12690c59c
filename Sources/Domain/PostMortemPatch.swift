import Foundation

/// A validated `PATCH /incidents/{id}/postmortem` body. Nil fields are untouched; an empty
/// string clears a text field. `lessons` is patched per field (`lessons.went_well`, ...).
public struct PostMortemPatch: Sendable, Hashable {
    public let summary: FieldUpdate<String>?
    public let impact: FieldUpdate<String>?
    public let rootCause: FieldUpdate<String>?
    public let wentWell: FieldUpdate<String>?
    public let wentWrong: FieldUpdate<String>?
    public let gotLucky: FieldUpdate<String>?
    public let prevention: FieldUpdate<String>?
    /// A requested status change; decide it with ``PostMortemTransition``.
    public let status: PostMortemStatus?

    /// True when only `status` (or nothing) is present: no text edit to check against
    /// ``PostMortemTransition/edit(status:)``.
    public var editsText: Bool {
        [summary, impact, rootCause, wentWell, wentWrong, gotLucky, prevention].contains { $0 != nil }
    }

    /// Validates the decoded fields; `lessons` carries the three lesson texts as given.
    public static func validate(
        summary: String?, impact: String?, rootCause: String?, lessons: Lessons?, prevention: String?,
        status: String?
    ) throws(ValidationError) -> PostMortemPatch {
        var check = Validator()
        let limit = PostMortem.maxTextLength
        let summary = check.update("summary", summary, maxLength: limit)
        let impact = check.update("impact", impact, maxLength: limit)
        let rootCause = check.update("root_cause", rootCause, maxLength: limit)
        let wentWell = check.update("lessons.went_well", lessons?.wentWell, maxLength: limit)
        let wentWrong = check.update("lessons.went_wrong", lessons?.wentWrong, maxLength: limit)
        let gotLucky = check.update("lessons.got_lucky", lessons?.gotLucky, maxLength: limit)
        let prevention = check.update("prevention", prevention, maxLength: limit)
        var parsedStatus: PostMortemStatus?
        if status != nil {
            parsedStatus = check.oneOf("status", status, allowed: PostMortemStatus.allCases.map(\.rawValue)) {
                PostMortemStatus(parsing: $0)
            }
        }
        try check.finish()
        return PostMortemPatch(
            summary: summary, impact: impact, rootCause: rootCause, wentWell: wentWell, wentWrong: wentWrong,
            gotLucky: gotLucky, prevention: prevention, status: parsedStatus)
    }

    /// `postMortem` with this patch's text fields applied (status is left to the transition).
    public func applied(to postMortem: PostMortem) -> PostMortem {
        var result = postMortem
        result.summary = summary.map(\.newValue) ?? postMortem.summary
        result.impact = impact.map(\.newValue) ?? postMortem.impact
        result.rootCause = rootCause.map(\.newValue) ?? postMortem.rootCause
        result.lessons.wentWell = wentWell.map(\.newValue) ?? postMortem.lessons.wentWell
        result.lessons.wentWrong = wentWrong.map(\.newValue) ?? postMortem.lessons.wentWrong
        result.lessons.gotLucky = gotLucky.map(\.newValue) ?? postMortem.lessons.gotLucky
        result.prevention = prevention.map(\.newValue) ?? postMortem.prevention
        return result
    }
}

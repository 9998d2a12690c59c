import Foundation

/// Renders a post-mortem as Markdown with seed 003's "Post-Mortem Template" sections, in its
/// order: Summary, Timeline, Root Cause, Lessons Learned, Action Items, Prevention Measures
/// (issue 7: ready to paste into a wiki). Deterministic: the same input gives the same bytes.
public enum PostMortemMarkdown {
    /// What an unwritten section shows.
    public static let notWritten = "_Not yet written._"

    /// The Markdown document for `postMortem` of `incident`, ending in one newline.
    public static func render(_ postMortem: PostMortem, incident: Incident) -> String {
        var lines = ["# Incident Post-Mortem: \(incident.ref)", ""]
        lines += ["**\(incident.title)**", "", "_Status: \(postMortem.status.rawValue)_", ""]
        lines += summarySection(postMortem)
        lines += timelineSection(postMortem.keyMoments, day: postMortem.date)
        lines += ["## Root Cause", "", prose(postMortem.rootCause), ""]
        lines += lessonsSection(postMortem.lessons)
        lines += actionItemsSection(postMortem.actionItems)
        lines += ["## Prevention Measures", "", prose(postMortem.prevention)]
        return lines.joined(separator: "\n") + "\n"
    }

    private static func summarySection(_ postMortem: PostMortem) -> [String] {
        let duration = postMortem.durationMinutes.map { $0 == 1 ? "1 minute" : "\($0) minutes" } ?? "ongoing"
        var lines = [
            "## Summary", "",
            "- Date: \(postMortem.date)",
            "- Duration: \(duration)",
            "- Severity: \(postMortem.severity.hyphenated)",
            "- Impact: \(indented(postMortem.impact ?? "Not recorded", by: 2))",
        ]
        if let summary = postMortem.summary { lines += ["", summary] }
        return lines + [""]
    }

    /// Seed 003 writes `HH:MM - Detection`; a moment on another day than the incident's date
    /// carries its date too, and a moment never recorded says so.
    private static func timelineSection(_ moments: KeyMoments, day: CalendarDate) -> [String] {
        var lines = ["## Timeline", "", "All times UTC.", ""]
        for (label, date) in moments.labelled {
            guard let date else {
                lines.append("- --:-- - \(label) (not recorded)")
                continue
            }
            let dayPrefix = CalendarDate(date) == day ? "" : "\(CalendarDate(date)) "
            lines.append("- \(dayPrefix)\(UTCCalendar.hourMinute(date)) - \(label)")
        }
        return lines + [""]
    }

    private static func lessonsSection(_ lessons: Lessons) -> [String] {
        let items = [
            ("What went well", lessons.wentWell), ("What went wrong", lessons.wentWrong),
            ("Where we got lucky", lessons.gotLucky),
        ]
        var lines = ["## Lessons Learned", ""]
        for (number, (heading, text)) in items.enumerated() {
            // CommonMark: a blank line, then three spaces (the width of "1. "), makes the text
            // its own paragraph inside the numbered item instead of running into the heading.
            lines += ["\(number + 1). \(heading)", ""]
            lines += ["   " + indented(text ?? notWritten, by: 3), ""]
        }
        return lines
    }

    private static func actionItemsSection(_ items: [ActionItem]) -> [String] {
        var lines = ["## Action Items", ""]
        if items.isEmpty { lines.append("_None recorded._") }
        for item in items {
            let box = item.status == .done ? "[x]" : "[ ]"
            let due = item.dueDate.map(\.description) ?? "no due date"
            lines.append("- \(box) \(item.owner) - \(item.action) - \(due)")
        }
        return lines + [""]
    }

    private static func prose(_ text: String?) -> String { text ?? notWritten }

    /// `text` with every line after the first indented by `spaces`, so a multi-line value stays
    /// inside its list item.
    private static func indented(_ text: String, by spaces: Int) -> String {
        let pad = String(repeating: " ", count: spaces)
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
            .enumerated().map { $0.offset == 0 || $0.element.isEmpty ? $0.element : pad + $0.element }
            .joined(separator: "\n")
    }
}

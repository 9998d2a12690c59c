import Foundation
import Testing

@testable import API

/// Chat reply rendering: plain for bots, escaped `mrkdwn` for Slack.
@Suite struct ChatTextTests {
    @Test func slackRenderingEscapesUserTextAndMarksStrongSpans() {
        let title = "<!channel> deploy & rollback <https://evil.example|click>"
        let text: ChatText = "\(strong: "INC-7") \(title)"
        #expect(text.plain == "INC-7 \(title)")
        #expect(
            text.slackMarkdown
                == "*INC-7* &lt;!channel&gt; deploy &amp; rollback &lt;https://evil.example|click&gt;")
    }

    @Test func everyByteOfUserTextSurvivesPlainRenderingAndOnlyThreeAreEscapedForSlack() {
        for value in 0x20...0x7e {
            let character = String(UnicodeScalar(UInt8(value)))
            let text: ChatText = "\(character)"
            #expect(text.plain == character)
            let expected = ["&": "&amp;", "<": "&lt;", ">": "&gt;"][character] ?? character
            #expect(text.slackMarkdown == expected, "\(character)")
        }
    }

    @Test func timesAreMinutesInUTCForBotsAndLocalisedForSlack() {
        let date = Date(timeIntervalSince1970: 1_795_876_202)  // 2026-11-28T14:30:02Z
        let text: ChatText = "due \(time: date)"
        #expect(text.plain == "due 2026-11-28 14:30 UTC")
        #expect(
            text.slackMarkdown == "due <!date^1795876202^{date_short_pretty} {time}|2026-11-28 14:30 UTC>")
    }

    @Test func nestedTextKeepsItsSpansAndLinesJoinWithNewlines() {
        let inner: ChatText = "\(strong: "ALR-3") disk"
        let outer = ChatText.lines(["first", "• \(inner)"])
        #expect(outer.plain == "first\n• ALR-3 disk")
        #expect(outer.slackMarkdown == "first\n• *ALR-3* disk")
    }
}

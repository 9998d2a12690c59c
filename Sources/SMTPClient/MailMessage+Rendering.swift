import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// RFC 5322 rendering: header fields, then a text/plain UTF-8 body, lines ending in CRLF.
extension MailMessage {
    /// Header fields the message writes itself; `extraHeaders` may not repeat them.
    static let ownHeaders: Set<String> = [
        "date", "from", "to", "subject", "message-id", "in-reply-to", "references", "mime-version",
        "content-type", "content-transfer-encoding",
    ]

    /// The message as it goes after DATA (before dot-stuffing).
    public func rendered() throws(SMTPError) -> [UInt8] {
        guard !to.isEmpty else { throw SMTPError(.invalidMessage, "a message needs at least one recipient") }
        var fields: [(String, String)] = [
            ("Date", Self.rfc5322Date(date)),
            ("From", try MailAddress.headerText(from, field: "From")),
        ]
        var recipients: [String] = []
        for recipient in to { recipients.append(try MailAddress.headerText(recipient, field: "To")) }
        fields.append(("To", recipients.joined(separator: ",\r\n ")))
        fields.append(("Subject", MIMEEncoding.headerWords(subject)))
        fields.append(("Message-ID", try MailAddress.messageID(messageID, field: "Message-ID")))
        if let inReplyTo {
            fields.append(("In-Reply-To", try MailAddress.messageID(inReplyTo, field: "In-Reply-To")))
        }
        if !references.isEmpty {
            var ids: [String] = []
            for reference in references {
                ids.append(try MailAddress.messageID(reference, field: "References"))
            }
            // One id per folded line keeps every line short however long the thread gets.
            fields.append(("References", ids.joined(separator: "\r\n ")))
        }
        for (name, value) in extraHeaders {
            guard !name.isEmpty, name.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f && $0 != UInt8(ascii: ":") }),
                !Self.ownHeaders.contains(name.lowercased())
            else { throw SMTPError(.invalidMessage, "header name '\(name.prefix(40))' cannot be added") }
            fields.append((name, try MailAddress.headerText(value, field: name)))
        }
        let (encoding, encodedBody) = MIMEEncoding.body(body)
        fields += [
            ("MIME-Version", "1.0"),
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Transfer-Encoding", encoding),
        ]
        var text = ""
        for (name, value) in fields { text += "\(name): \(value)\r\n" }
        return Array((text + "\r\n").utf8) + encodedBody
    }

    /// `Tue, 08 Dec 2026 10:00:00 +0000` (RFC 5322 §3.3), always in UTC.
    static func rfc5322Date(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return
            "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) +0000"
    }
}

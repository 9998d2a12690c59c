import Foundation

/// A plain-text mail: the headers a notifier needs (threading included) and a UTF-8 body.
public struct MailMessage: Sendable {
    /// The `From` header (`incidentd <alerts@example.com>` or a bare address).
    public var from: String
    /// Recipients: each gets a `RCPT TO` and appears in the `To` header.
    public var to: [String]
    /// Any text; control characters become spaces, non-ASCII is RFC 2047 encoded.
    public var subject: String
    /// This message's id, `<left@right>` (brackets optional).
    public var messageID: String
    /// The message this one answers (threading, RFC 5322 §3.6.4).
    public var inReplyTo: String?
    /// The thread's earlier message ids, oldest first.
    public var references: [String]
    /// The text; line breaks of any kind are sent as CRLF.
    public var body: String
    public var date: Date
    /// More header fields (`Auto-Submitted: auto-generated`, ...), printable ASCII values.
    public var extraHeaders: [(name: String, value: String)]

    public init(
        from: String, to: [String], subject: String, body: String, messageID: String,
        inReplyTo: String? = nil, references: [String] = [], date: Date = Date(),
        extraHeaders: [(name: String, value: String)] = []
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
        self.messageID = messageID
        self.inReplyTo = inReplyTo
        self.references = references
        self.date = date
        self.extraHeaders = extraHeaders
    }
}

/// One mail of an email channel (SPEC §9): text/plain, threaded per incident.
public struct EmailMessage: Sendable, Equatable {
    public var from: String
    public var to: [String]
    public var subject: String
    /// `<...@...>`, angle brackets included.
    public var messageID: String
    /// The thread's previous mail, nil for the first.
    public var inReplyTo: String?
    /// Every earlier mail of the thread, from the first.
    public var references: [String]
    public var body: String

    public init(
        from: String, to: [String], subject: String, messageID: String, inReplyTo: String?,
        references: [String],
        body: String
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.messageID = messageID
        self.inReplyTo = inReplyTo
        self.references = references
        self.body = body
    }
}

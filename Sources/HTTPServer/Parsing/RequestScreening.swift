/// Checks every complete request once, before routing, for what no handler can use: a body
/// in a content coding the server does not decode, and query or form text containing U+0000.
///
/// One place for the whole server, so a handler cannot forget: whatever a handler reads from
/// the query or a form is text it can store and pass on. (JSON bodies: `decodeJSON`.)
enum RequestScreening {
    /// The answer that refuses `request`, or nil when it may go on to its handler.
    static func refusal(for request: HTTPRequest) -> HTTPResponse? {
        if let refusal = contentCodingRefusal(for: request) { return refusal }
        return textRefusal(for: request)
    }
}

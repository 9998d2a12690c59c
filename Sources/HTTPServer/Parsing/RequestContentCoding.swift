/// Content codings of a request body (RFC 9110 §8.4). The server decodes none, so a body
/// sent compressed would reach a handler as bytes it cannot read.
enum RequestContentCoding {
    /// The 415 answer for a body whose `Content-Encoding` names a coding other than
    /// `identity`, or nil when the body is as sent. RFC 9110 §15.5.16: the response says with
    /// `Accept-Encoding` which codings would have been accepted (none but identity).
    static func refusal(for headers: HTTPHeaders) -> HTTPResponse? {
        let values = headers.values(for: "Content-Encoding")
        guard !values.isEmpty else { return nil }
        let codings = values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: " \t") }
        if codings.allSatisfy({ $0.isEmpty || HTTPHeaders.equalsIgnoringCase($0.utf8, "identity".utf8) }) {
            return nil
        }
        return .problem(
            ProblemDetails(
                status: 415, detail: "Request bodies must not be content-encoded; send them uncompressed.",
                headers: ["Accept-Encoding": "identity"]))
    }
}

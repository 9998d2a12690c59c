extension RequestScreening {
    /// The 415 answer for a body whose `Content-Encoding` names a coding other than
    /// `identity`, or nil when the body is as sent. The server decodes no content coding
    /// (RFC 9110 §8.4), so a compressed body would reach a handler as bytes it cannot read.
    /// RFC 9110 §15.5.16: `Accept-Encoding` in the answer says which codings would do.
    static func contentCodingRefusal(for request: HTTPRequest) -> HTTPResponse? {
        guard !request.body.isEmpty else { return nil }
        let values = request.headers.values(for: "Content-Encoding")
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

extension RequestScreening {
    /// 400 naming each query parameter, and each form field of an urlencoded body, whose text
    /// holds U+0000 (``UnstorableText``). JSON bodies are checked where they are decoded
    /// (`HTTPRequest.decodeJSON`), since some senders' formats clean text instead.
    static func textRefusal(for request: HTTPRequest) -> HTTPResponse? {
        var issues = UnstorableText.nulFields(in: request.query).map { ("query parameter", $0) }
        if !request.body.isEmpty && request.mediaType == "application/x-www-form-urlencoded" {
            issues += UnstorableText.nulFields(in: QueryParameters(parsingBytes: request.body)).map {
                ("form field", $0)
            }
        }
        guard !issues.isEmpty else { return nil }
        let shown = issues.prefix(UnstorableText.maxNamedFields)
        return .problem(
            ProblemDetails(
                status: 400,
                detail: shown.map { "\($0.0) \($0.1.field) \($0.1.message)" }.joined(separator: "; ") + ".",
                errors: shown.map(\.1)))
    }
}

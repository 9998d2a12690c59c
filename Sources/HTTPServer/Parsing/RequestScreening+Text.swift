extension RequestScreening {
    /// 400 naming each query parameter, and each form field of an urlencoded body, whose text
    /// holds U+0000 (``UnstorableText``). JSON bodies are checked where they are decoded
    /// (`HTTPRequest.decodeJSON`), since some senders' formats clean text instead.
    static func textRefusal(for request: HTTPRequest) -> HTTPResponse? {
        var issues = UnstorableText.nulFields(in: request.query).map { ("query parameter", $0) }
        // A plain `application/json` body (every ingested alert) is not a form: known without
        // working out the media type, whose Foundation trimming showed in the ingest profile.
        if !request.body.isEmpty && !isPlainJSON(request)
            && request.mediaType == "application/x-www-form-urlencoded"
        {
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

    /// Whether `Content-Type` is exactly `application/json` (any case, no parameters).
    private static func isPlainJSON(_ request: HTTPRequest) -> Bool {
        guard let value = request.headers["Content-Type"] else { return false }
        return HTTPHeaders.equalsIgnoringCase(value, "application/json")
    }
}

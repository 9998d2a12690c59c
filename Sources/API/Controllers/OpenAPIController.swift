import HTTPServer

/// `GET /openapi.yaml` and `GET /openapi.json` (issue 20): the API's own description, open and
/// cacheable. Both are built into the binary from docs/openapi.yaml (Plugins/EmbedOpenAPI), so
/// what is served is what the binary was built from; the answers are made once.
enum OpenAPIController {
    /// Clients may keep a copy for a while and then revalidate with the strong `ETag` (a
    /// content hash: it changes only with the binary).
    static let cacheControl = "public, max-age=300"

    static let yamlAnswer = answer(EmbeddedOpenAPI.yaml, contentType: "application/yaml; charset=utf-8")
    static let jsonAnswer = answer(EmbeddedOpenAPI.json, contentType: HTTPResponse.jsonContentType)

    /// The document as written. Not JSON, so the representation middleware leaves it alone:
    /// the 304 is answered here.
    @Sendable static func yaml(_ request: HTTPRequest) throws -> HTTPResponse {
        if let tag = yamlAnswer.headers["ETag"], request.ifNoneMatchMatches(tag) {
            var headers = HTTPHeaders()
            headers.set(name: "ETag", value: tag)
            headers.set(name: "Cache-Control", value: cacheControl)
            return HTTPResponse(status: 304, headers: headers)
        }
        return yamlAnswer
    }

    /// The same document as JSON; the representation middleware answers `If-None-Match` with
    /// 304 and gzips it for clients that accept it.
    @Sendable static func json(_ request: HTTPRequest) throws -> HTTPResponse {
        jsonAnswer
    }

    private static func answer(_ text: StaticString, contentType: String) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.set(name: "Content-Type", value: contentType)
        headers.set(name: "Cache-Control", value: cacheControl)
        var response = HTTPResponse(status: 200, headers: headers, body: text.withUTF8Buffer { Array($0) })
        response.setContentHashTag()
        return response
    }
}

import Log

/// One invalid input field, listed in a problem's `errors` member (SPEC §4).
public struct FieldError: Sendable, Equatable, Codable {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// An RFC 9457 problem: thrown by handlers, rendered as `application/problem+json`
/// `{"type","title","status","detail","errors":[{"field","message"}]}` (SPEC §4).
public struct ProblemDetails: Error, Sendable, Equatable {
    public static let contentType = "application/problem+json"

    public var status: Int
    public var title: String
    public var detail: String?
    /// A URI naming the problem kind; `about:blank` means "see the status code" (RFC 9457 §4.2.1).
    public var type: String
    public var errors: [FieldError]
    /// Extra response headers, e.g. `Retry-After`, `WWW-Authenticate`, `Allow`.
    public var headers: HTTPHeaders

    /// `title` defaults to the status's reason phrase.
    public init(
        status: Int, title: String? = nil, detail: String? = nil, type: String = "about:blank",
        errors: [FieldError] = [], headers: HTTPHeaders = HTTPHeaders()
    ) {
        self.status = status
        self.title = title ?? HTTPStatus.reasonPhrase(status)
        self.detail = detail
        self.type = type
        self.errors = errors
        self.headers = headers
    }

    /// The JSON body; written by hand so rendering an error needs no encoder and keeps the
    /// member order of SPEC §4.
    public func jsonBytes() -> [UInt8] {
        var json = "{\"type\":"
        Logger.appendJSONString(type, to: &json)
        json += ",\"title\":"
        Logger.appendJSONString(title, to: &json)
        json += ",\"status\":\(status)"
        if let detail {
            json += ",\"detail\":"
            Logger.appendJSONString(detail, to: &json)
        }
        json += ",\"errors\":["
        for (index, error) in errors.enumerated() {
            json += index == 0 ? "{\"field\":" : ",{\"field\":"
            Logger.appendJSONString(error.field, to: &json)
            json += ",\"message\":"
            Logger.appendJSONString(error.message, to: &json)
            json += "}"
        }
        json += "]}"
        return Array(json.utf8)
    }
}

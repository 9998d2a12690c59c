import HTTPServer

/// The response cache's key: the request-target as sent (HEAD shares GET's answers).
enum ResponseCacheKey {
    static func of(_ request: HTTPRequest) -> String { request.target }
}

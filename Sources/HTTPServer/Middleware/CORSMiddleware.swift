/// CORS for the policy's origins (Fetch standard, "CORS protocol"); the server runs it only
/// when the policy allows some origin.
public struct CORSMiddleware: HTTPMiddleware {
    public let policy: CORSPolicy

    public init(policy: CORSPolicy) { self.policy = policy }

    /// Adds CORS headers for an allowed `Origin` (Fetch standard, "HTTP responses"); for
    /// any other origin the response goes out without them, which makes the browser
    /// withhold it from the page.
    public func finish(_ response: inout HTTPResponse, for request: HTTPRequest) {
        let cors = policy
        // Whether the CORS headers are present depends on Origin, so every response says so
        // (also those to requests without Origin), or a shared cache could serve one
        // origin's answer to another.
        response.headers.addVaryToken("Origin")
        guard let origin = request.headers["Origin"], cors.allows(origin: origin) else { return }
        response.headers.set(name: "Access-Control-Allow-Origin", value: origin)
        let isPreflight =
            request.method == .options && request.headers.contains("Access-Control-Request-Method")
        guard isPreflight else {
            response.headers.set(name: "Access-Control-Expose-Headers", value: cors.exposedHeaders)
            return
        }
        // The router answers OPTIONS with 204 and `Allow` for a known path (404 otherwise,
        // which fails the preflight as it should).
        guard (200..<300).contains(response.status) else { return }
        let methods = response.headers["Allow"] ?? CORSPolicy.defaultAllowedMethods
        response.headers.set(name: "Access-Control-Allow-Methods", value: methods)
        response.headers.set(name: "Access-Control-Allow-Headers", value: cors.allowedHeaders)
        response.headers.set(name: "Access-Control-Max-Age", value: String(cors.maxAgeSeconds))
    }
}

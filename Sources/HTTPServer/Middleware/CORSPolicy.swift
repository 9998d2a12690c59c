/// Which browser origins may read responses cross-origin (Fetch standard, "CORS protocol"),
/// and what their preflights are told. Empty `allowedOrigins` (the default) disables CORS:
/// no `Access-Control-*` header is ever sent.
public struct CORSPolicy: Sendable {
    /// Request headers a dashboard may send (preflight `Access-Control-Allow-Headers`).
    public static let defaultAllowedHeaders =
        "Authorization, Content-Type, If-None-Match, Idempotency-Key, X-Request-ID"
    /// Response headers scripts may read besides the CORS-safelisted ones.
    public static let defaultExposedHeaders = "ETag, X-Request-ID, Retry-After, Location"
    /// How long a browser may cache a preflight answer (seconds).
    public static let defaultMaxAgeSeconds = 600
    /// Methods announced when the responder's preflight answer has no `Allow`.
    public static let defaultAllowedMethods = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"

    /// Serialized origins (`https://dash.example.com`), compared case-insensitively and
    /// without a trailing `/`; `*` allows any origin except `null`.
    public private(set) var allowedOrigins: Set<String>
    public var allowedHeaders: String
    public var exposedHeaders: String
    public var maxAgeSeconds: Int

    public init(
        allowedOrigins: [String] = [], allowedHeaders: String = defaultAllowedHeaders,
        exposedHeaders: String = defaultExposedHeaders, maxAgeSeconds: Int = defaultMaxAgeSeconds
    ) {
        self.allowedOrigins = Set(allowedOrigins.compactMap(Self.normalized))
        self.allowedHeaders = allowedHeaders
        self.exposedHeaders = exposedHeaders
        self.maxAgeSeconds = maxAgeSeconds
    }

    /// No origin allowed: the wrapper adds nothing.
    public static let disabled = CORSPolicy()

    public var isEnabled: Bool { !allowedOrigins.isEmpty }

    /// Whether a request's `Origin` value may read the response.
    public func allows(origin: String) -> Bool {
        guard let normalized = Self.normalized(origin) else { return false }
        if allowedOrigins.contains(normalized) { return true }
        // An opaque origin ("null": sandboxed frames, file: pages) is never covered by `*`.
        return normalized != "null" && allowedOrigins.contains("*")
    }

    /// Lowercased, trimmed, without a trailing `/`; nil when nothing is left.
    private static func normalized(_ origin: String) -> String? {
        var text = Substring(origin.lowercased())
        while let last = text.last, last == " " || last == "\t" || last == "/" { text = text.dropLast() }
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        return text.isEmpty ? nil : String(text)
    }
}

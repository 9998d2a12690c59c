/// What dashboards polling our JSON need (SPEC §4 "Polling", issue 6), at the HTTP level so
/// no handler has to care:
///
/// - every 200 answer to GET or HEAD with a JSON or HTML body (the public status page is
///   polled like the dashboards' JSON) gets a strong `ETag` (a 64-bit hash of the body) and
///   `Vary: Accept-Encoding`; a matching `If-None-Match` turns it into a 304 without a body;
/// - bodies over `compressionThreshold` bytes are gzipped when `Accept-Encoding` allows it,
///   with an entity tag of their own (`"…-gzip"`);
///
/// Handlers that can tell "unchanged" earlier may set a strong `ETag` themselves: it is used
/// as the identity tag (no hash of the body), and the gzip body of such an answer is kept and
/// reused for the same target and tag (the API's response cache, ADR 0003, does both).
public struct RepresentationMiddleware: HTTPMiddleware {
    public let configuration: RepresentationConfiguration
    let compressor: GzipCompressor
    /// gzip bodies of answers tagged by their handler (cached answers), compressed once.
    let compressedBodies = CompressedBodyMemo()

    public init(configuration: RepresentationConfiguration = RepresentationConfiguration()) {
        self.configuration = configuration
        compressor = GzipCompressor(level: configuration.compressionLevel)
    }

    /// ETag, 304 and gzip on a 200 JSON or HTML answer to GET or HEAD.
    public func finish(_ response: inout HTTPResponse, for request: HTTPRequest) {
        guard (request.method == .get || request.method == .head) && response.status == 200,
            Self.isPolledRepresentation(response.headers["Content-Type"])
        else { return }
        selectRepresentation(&response, for: request)
    }

    /// The media types this middleware tags, compresses and answers 304 for: JSON
    /// (``isJSON(_:)``) and `text/html`.
    static func isPolledRepresentation(_ contentType: String?) -> Bool {
        isJSON(contentType) || isHTML(contentType)
    }

    /// `text/html`, parameters ignored.
    static func isHTML(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        var mediaType = contentType.utf8[...]
        if let semicolon = mediaType.firstIndex(of: UInt8(ascii: ";")) {
            mediaType = mediaType[..<semicolon]
        }
        return HTTPHeaders.equalsIgnoringCase(mediaType.trimmingOWS(), "text/html".utf8)
    }

    /// `application/json` or any `+json` media type (RFC 6839), parameters ignored.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        // What HTTPResponse.json writes, compared as whole strings before any parsing.
        if contentType == HTTPResponse.jsonContentType { return true }
        var mediaType = contentType.utf8[...]
        if let semicolon = mediaType.firstIndex(of: UInt8(ascii: ";")) {
            mediaType = mediaType[..<semicolon]
        }
        mediaType = mediaType.trimmingOWS()
        if HTTPHeaders.equalsIgnoringCase(mediaType, "application/json".utf8) { return true }
        let suffix = "+json".utf8
        return mediaType.count > suffix.count
            && HTTPHeaders.equalsIgnoringCase(mediaType.suffix(suffix.count), suffix)
    }
}

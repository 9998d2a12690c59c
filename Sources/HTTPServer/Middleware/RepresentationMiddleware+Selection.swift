extension RepresentationMiddleware {
    /// Content coding suffix of the gzip representation's entity tag.
    static var gzipTagSuffix: String { "-gzip" }

    /// Picks identity or gzip, tags it, and answers 304 when the client has it already.
    func selectRepresentation(_ response: inout HTTPResponse, for request: HTTPRequest) {
        response.headers.reserveCapacity(response.headers.count + 3)
        // The body depends on Accept-Encoding whenever it may be compressed; saying so on
        // every JSON or HTML answer keeps caches right when a body grows past the threshold.
        response.headers.addVaryToken("Accept-Encoding")
        let gzip =
            response.body.count > configuration.compressionThreshold
            && !response.headers.contains("Content-Encoding")
            && AcceptEncoding.acceptsGzip(request.headers.lazyValues(for: "Accept-Encoding"))
        let handlerTag = response.headers["ETag"]
        let identityTag = handlerTag ?? EntityTag.strong(hash: XXHash64.hash(response.body))
        // RFC 9110 §8.8.3: gzip and identity are different representations, so a strong
        // tag must differ between them; the 304 check compares against the tag of the
        // representation this request would get, before any compression work.
        let tag = gzip ? EntityTag.addingSuffix(Self.gzipTagSuffix, to: identityTag) : identityTag
        if handlerTag == nil {
            response.headers.add(name: "ETag", value: tag)
        } else if gzip {
            response.headers.set(name: "ETag", value: tag)
        }
        if request.headers.contains("If-None-Match")
            && EntityTag.ifNoneMatchMatches(request.headers.lazyValues(for: "If-None-Match"), currentTag: tag)
        {
            response = Self.notModified(response)
            return
        }
        guard gzip else { return }
        // Only a strong tag promises the same bytes (RFC 9110 §8.8.1).
        let memoTag = handlerTag.flatMap { $0.utf8.first == UInt8(ascii: "\"") ? $0 : nil }
        if let memoTag, let memo = compressedBodies.body(target: request.target, identityTag: memoTag) {
            response.body = memo
            response.headers.add(name: "Content-Encoding", value: "gzip")
        } else if let compressed = compressor.compress(response.body) {
            if let memoTag {
                compressedBodies.store(compressed, target: request.target, identityTag: memoTag)
            }
            response.body = compressed
            response.headers.add(name: "Content-Encoding", value: "gzip")
        } else {
            // zlib could not allocate: the identity body goes out, under its own tag.
            response.headers.set(name: "ETag", value: identityTag)
        }
    }

    /// The 304 for `response` (RFC 9110 §15.4.5): no content, and the fields a 200 would
    /// have carried that caches need (ETag, Vary, Cache-Control, Expires, Content-Location)
    /// — but no other representation metadata (`Content-Type`, `Content-Encoding`, ...).
    static func notModified(_ response: HTTPResponse) -> HTTPResponse {
        var headers = HTTPHeaders()
        for field in response.headers where !isContentMetadata(field.name) {
            headers.add(name: field.name, value: field.value)
        }
        var answer = HTTPResponse(status: 304, headers: headers)
        answer.routePattern = response.routePattern
        return answer
    }

    /// `Content-*` fields describe the omitted content; `Content-Location` identifies the
    /// resource and stays (§15.4.5).
    private static func isContentMetadata(_ name: String) -> Bool {
        let utf8 = name.utf8
        return utf8.count > 8 && HTTPHeaders.equalsIgnoringCase(utf8.prefix(8), "content-".utf8)
            && !HTTPHeaders.equalsIgnoringCase(name, "Content-Location")
    }
}

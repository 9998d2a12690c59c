import Testing

@testable import HTTPServer

/// The pieces of `RepresentationMiddleware` and CORS without sockets: hashing, entity tags, content
/// negotiation, media types, CORS origins, `Vary` merging.
@Suite struct PollingPrimitivesTests {
    /// Reference values printed by `xxhsum -H1` (xxHash 0.8.1).
    @Test(
        arguments: [
            ("", 0xef46_db37_51d8_e999),
            ("a", 0xd24e_c4f1_a98c_6e5b),
            ("abc", 0x44bc_2cf5_ad77_0999),
            ("Nobody inspects the spammish repetition", 0xfbce_a83c_8a37_8bf1),
            (String(repeating: "x", count: 100), 0x92f0_de5a_88a3_c094),
        ] as [(String, UInt64)])
    func hashesLikeTheReferenceXXH64(text: String, expected: UInt64) {
        #expect(XXHash64.hash(Array(text.utf8)) == expected)
    }

    @Test func hashesEveryByteValueLikeTheReference() {
        let bytes = (0..<5).flatMap { _ in (0...255).map { UInt8($0) } }
        #expect(XXHash64.hash(bytes) == 0xafc1_84ad_7938_a354)
    }

    @Test func hashChangesWithEveryByteOfABody() {
        let body = Array(#"{"items":[{"id":"INC-1","status":"open"}],"next_cursor":null}"#.utf8)
        let original = XXHash64.hash(body)
        for index in body.indices {
            var changed = body
            changed[index] ^= 0x01
            #expect(XXHash64.hash(changed) != original)
        }
    }

    @Test func formatsStrongTagsAsQuotedHex() {
        #expect(EntityTag.strong(hash: 0x0123_4567_89ab_cdef) == #""0123456789abcdef""#)
        #expect(EntityTag.strong(hash: 0xf, suffix: "-gzip") == #""000000000000000f-gzip""#)
        #expect(EntityTag.addingSuffix("-gzip", to: #""abc""#) == #""abc-gzip""#)
        #expect(EntityTag.addingSuffix("-gzip", to: #"W/"abc""#) == #"W/"abc""#)
    }

    @Test(arguments: [
        ([#""a1""#], true),
        ([#""zz", "a1""#], true),
        ([#""zz",W/"a1""#], true),
        ([#"W/"a1""#], true),
        (["*"], true),
        ([#""zz""#, #""a1""#], true),
        ([#""zz""#], false),
        ([#""a1-gzip""#], false),
        (["a1"], false),
        ([#""a1"#], false),
        ([""], false),
        ([#"garbage, "a1""#], false),
    ])
    func evaluatesIfNoneMatchWithWeakComparison(fieldValues: [String], matches: Bool) {
        #expect(EntityTag.ifNoneMatchMatches(fieldValues, currentTag: #""a1""#) == matches)
    }

    @Test func weakCurrentTagMatchesItsStrongTwin() {
        #expect(EntityTag.ifNoneMatchMatches([#""a1""#], currentTag: #"W/"a1""#))
    }

    @Test(arguments: [
        ("gzip", true),
        ("GZIP", true),
        ("x-gzip", true),
        ("gzip, deflate, br, zstd", true),
        ("br;q=1.0, gzip;q=0.8, *;q=0.1", true),
        ("*", true),
        ("*;q=0.5", true),
        ("gzip;q=0", false),
        ("gzip;q=0.000", false),
        ("gzip; q=0", false),
        ("gzip;q=0, *", false),
        ("*;q=0", false),
        ("deflate, br", false),
        ("identity", false),
        ("", false),
        ("gzip;q=bogus", true),
        ("gzip;q=0.001", true),
    ])
    func negotiatesGzipFromAcceptEncoding(field: String, accepted: Bool) {
        #expect(AcceptEncoding.acceptsGzip([field]) == accepted)
    }

    @Test func noAcceptEncodingMeansIdentity() {
        #expect(!AcceptEncoding.acceptsGzip([]))
        #expect(AcceptEncoding.acceptsGzip(["br", "gzip"]))
    }

    @Test(arguments: [
        ("application/json", true),
        ("application/json; charset=utf-8", true),
        ("Application/JSON", true),
        ("application/problem+json", true),
        ("application/vnd.incidentd+json;v=1", true),
        ("text/plain; charset=utf-8", false),
        ("application/jsonx", false),
        ("+json", false),
    ])
    func recognisesJSONMediaTypes(contentType: String, isJSON: Bool) {
        #expect(RepresentationMiddleware.isJSON(contentType) == isJSON)
    }

    @Test(arguments: [
        ("text/html; charset=utf-8", true),
        ("Text/HTML", true),
        (" text/html ;charset=utf-8", true),
        ("application/json", true),
        ("text/plain; charset=utf-8", false),
        ("text/htmlx", false),
        ("text/markdown; charset=utf-8", false),
    ])
    func tagsJSONAndHTMLOnly(contentType: String, tagged: Bool) {
        #expect(RepresentationMiddleware.isPolledRepresentation(contentType) == tagged)
    }

    @Test func matchesConfiguredOriginsCaseInsensitivelyWithoutTrailingSlash() {
        let policy = CORSPolicy(allowedOrigins: ["https://Dash.example.com/", " http://localhost:3000 "])
        #expect(policy.isEnabled)
        #expect(policy.allows(origin: "https://dash.example.com"))
        #expect(policy.allows(origin: "http://localhost:3000"))
        #expect(!policy.allows(origin: "https://dash.example.com.evil.test"))
        #expect(!policy.allows(origin: "http://dash.example.com"))
        #expect(!policy.allows(origin: "null"))
        #expect(!CORSPolicy.disabled.isEnabled)
        #expect(!CORSPolicy(allowedOrigins: ["", " "]).isEnabled)
    }

    @Test func wildcardAllowsAnyOriginButNull() {
        let policy = CORSPolicy(allowedOrigins: ["*"])
        #expect(policy.allows(origin: "https://anything.test"))
        #expect(!policy.allows(origin: "null"))
    }

    @Test func mergesVaryTokensIntoOneField() {
        var headers = HTTPHeaders()
        headers.addVaryToken("Accept-Encoding")
        headers.addVaryToken("Origin")
        headers.addVaryToken("origin")
        #expect(headers.values(for: "Vary") == ["Accept-Encoding, Origin"])
        var starred: HTTPHeaders = ["Vary": "*"]
        starred.addVaryToken("Origin")
        #expect(starred.values(for: "Vary") == ["*"])
        var split: HTTPHeaders = ["vary": "Accept", "Vary": "Cookie"]
        split.addVaryToken("Origin")
        #expect(split.values(for: "Vary") == ["Accept, Cookie, Origin"])
    }
}

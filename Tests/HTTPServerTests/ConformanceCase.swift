import Testing

/// One raw-byte request and what the server must do with it: the status, and whether the
/// connection stays open afterwards (every refusal must close it).
struct ConformanceCase: Sendable, CustomTestStringConvertible {
    let name: String
    let request: [UInt8]
    let status: Int
    let staysOpen: Bool

    var testDescription: String { name }

    init(_ name: String, _ request: String, _ status: Int, staysOpen: Bool) {
        self.init(name, Array(request.utf8), status, staysOpen: staysOpen)
    }

    init(_ name: String, _ request: [UInt8], _ status: Int, staysOpen: Bool) {
        self.name = name
        self.request = request
        self.status = status
        self.staysOpen = staysOpen
    }

    static let host = "Host: test\r\n"

    /// Requests that must be served, some of them on a connection that stays open.
    static let accepted: [ConformanceCase] = [
        .init("servesSimpleGet", "GET /healthz HTTP/1.1\r\n\(host)\r\n", 200, staysOpen: true),
        .init(
            "matchesHeaderNamesCaseInsensitively", "GET /healthz HTTP/1.1\r\nhOsT: test\r\n\r\n", 200,
            staysOpen: true),
        .init("closesHTTP10WithoutKeepAlive", "GET /healthz HTTP/1.0\r\n\r\n", 200, staysOpen: false),
        .init(
            "keepsHTTP10OpenWhenAsked", "GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", 200,
            staysOpen: true),
        .init(
            "closesOnConnectionClose", "GET /healthz HTTP/1.1\r\n\(host)Connection: close\r\n\r\n", 200,
            staysOpen: false),
        .init(
            "readsContentLengthBody", "POST /echo HTTP/1.1\r\n\(host)Content-Length: 5\r\n\r\nhello", 200,
            staysOpen: true),
        .init(
            "readsChunkedBody",
            "POST /echo HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
            200, staysOpen: true),
        .init(
            "acceptsChunkExtensionsAndTrailers",
            "POST /echo HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n5;a=b\r\nhello\r\n0\r\nX-T: 1\r\n\r\n",
            200,
            staysOpen: true),
        .init(
            "acceptsIdenticalDuplicateContentLength",
            "POST /echo HTTP/1.1\r\n\(host)Content-Length: 2\r\nContent-Length: 2\r\n\r\nhi", 200,
            staysOpen: true),
        .init(
            "acceptsContentLengthListOfIdenticalValues",
            "POST /echo HTTP/1.1\r\n\(host)Content-Length: 2, 2\r\n\r\nhi",
            200, staysOpen: true),
        .init(
            "ignoresEmptyLineBeforeRequestLine", "\r\nGET /healthz HTTP/1.1\r\n\(host)\r\n", 200,
            staysOpen: true),
        .init(
            "acceptsAbsoluteFormTarget", "GET http://test/healthz HTTP/1.1\r\n\(host)\r\n", 200,
            staysOpen: true),
        .init("answersOptionsAsterisk", "OPTIONS * HTTP/1.1\r\n\(host)\r\n", 204, staysOpen: true),
        .init(
            "treatsHigherMinorVersionAsHTTP11", "GET /healthz HTTP/1.9\r\n\(host)\r\n", 200, staysOpen: true),
        .init(
            "trimsWhitespaceAroundFieldValues", "GET /healthz HTTP/1.1\r\nHost:  \t test \t\r\n\r\n", 200,
            staysOpen: true),
        .init("acceptsEmptyHost", "GET /healthz HTTP/1.1\r\nHost:\r\n\r\n", 200, staysOpen: true),
        .init(
            "acceptsObsTextInFieldValues",
            Array("GET /healthz HTTP/1.1\r\n\(host)X-Note: caf".utf8) + [0xE9] + Array("\r\n\r\n".utf8),
            200, staysOpen: true),
        .init("answersUnknownPathWith404", "GET /nowhere HTTP/1.1\r\n\(host)\r\n", 404, staysOpen: true),
        .init(
            "answersWrongMethodWith405", "POST /healthz HTTP/1.1\r\n\(host)Content-Length: 0\r\n\r\n", 405,
            staysOpen: true),
        .init(
            "acceptsQuotedChunkExtensionValue",
            "POST /echo HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n"
                + "5;name=\"a \\\"b\\\"\"\r\nhello\r\n0\r\n\r\n",
            200, staysOpen: true),
        .init(
            "acceptsWhitespaceBeforeAChunkExtension",
            "POST /echo HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n5 ;a = b\r\nhello\r\n0\r\n\r\n",
            200, staysOpen: true),
        .init(
            "acceptsMethodOfThirtyTwoBytes",
            String(repeating: "M", count: 32) + " /healthz HTTP/1.1\r\n\(host)\r\n",
            405, staysOpen: true),
        .init(
            "acceptsIdentityContentEncoding",
            "POST /echo HTTP/1.1\r\n\(host)Content-Encoding: identity\r\nContent-Length: 2\r\n\r\nhi", 200,
            staysOpen: true),
        // The body was framed correctly and read in full, so the connection can go on.
        .init(
            "answersContentEncodedBodyWith415",
            "POST /echo HTTP/1.1\r\n\(host)Content-Encoding: gzip\r\nContent-Length: 2\r\n\r\nhi", 415,
            staysOpen: true),
    ]

    /// Requests that must be refused with a problem and `Connection: close`.
    static let refused: [ConformanceCase] = [
        .init(
            "rejectsContentLengthWithTransferEncoding",
            "POST /echo HTTP/1.1\r\n\(host)Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            400,
            staysOpen: false),
        .init(
            "rejectsDifferingContentLengths",
            "POST /echo HTTP/1.1\r\n\(host)Content-Length: 2\r\nContent-Length: 3\r\n\r\nhi",
            400, staysOpen: false),
        .init(
            "rejectsDifferingContentLengthList", "POST /echo HTTP/1.1\r\n\(host)Content-Length: 2, 3\r\n\r\n",
            400, staysOpen: false),
        .init(
            "rejectsNonNumericContentLength", "POST /echo HTTP/1.1\r\n\(host)Content-Length: abc\r\n\r\n",
            400, staysOpen: false),
        .init(
            "rejectsNegativeContentLength", "POST /echo HTTP/1.1\r\n\(host)Content-Length: -1\r\n\r\n", 400,
            staysOpen: false),
        .init(
            "rejectsSignedContentLength", "POST /echo HTTP/1.1\r\n\(host)Content-Length: +1\r\n\r\n", 400,
            staysOpen: false),
        .init(
            "rejectsOverflowingContentLength",
            "POST /echo HTTP/1.1\r\n\(host)Content-Length: 99999999999999999999\r\n\r\n",
            400, staysOpen: false),
        .init(
            "rejectsBadChunkSize",
            "POST /echo HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
            400, staysOpen: false),
        .init(
            "rejectsOverflowingChunkSize",
            "POST /echo HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n", 400,
            staysOpen: false),
        .init(
            "rejectsChunkSizeWithTrailingSpace",
            "POST /echo HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n0\r\n\r\n",
            400, staysOpen: false),
        .init(
            "rejectsBareChunkExtensionSemicolon",
            "POST /echo HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n5;\r\nhello\r\n0\r\n\r\n",
            400, staysOpen: false),
        .init(
            "rejectsChunkExtensionWithoutValue",
            "POST /echo HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n5;a=\r\nhello\r\n0\r\n\r\n",
            400, staysOpen: false),
        .init(
            "rejectsTrailingSpaceAfterChunkExtension",
            "POST /echo HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n5;a=b \r\nhello\r\n0\r\n\r\n",
            400, staysOpen: false),
        .init(
            "rejectsLastChunkWithTrailingSpace",
            "POST /echo HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0 \r\n\r\n",
            400, staysOpen: false),
        .init(
            "rejectsMethodOfAThousandBytes",
            String(repeating: "A", count: 1000) + " /healthz HTTP/1.1\r\n\(host)\r\n", 501, staysOpen: false),
        .init(
            "rejectsOverlongMethodBeforeTheLineEnds", String(repeating: "A", count: 1000), 501,
            staysOpen: false),
        .init(
            "rejectsChunkWithoutTerminator",
            "POST /echo HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n2\r\nhiXX",
            400, staysOpen: false),
        .init(
            "rejectsObsoleteLineFolding", "GET /healthz HTTP/1.1\r\n\(host)X-A: 1\r\n  2\r\n\r\n", 400,
            staysOpen: false),
        .init(
            "rejectsNULInFieldValue",
            Array("GET /healthz HTTP/1.1\r\n\(host)X-A: a".utf8) + [0] + Array("b\r\n\r\n".utf8), 400,
            staysOpen: false),
        .init(
            "rejectsControlCharacterInFieldValue",
            Array("GET /healthz HTTP/1.1\r\n\(host)X-A: a".utf8) + [0x01] + Array("b\r\n\r\n".utf8), 400,
            staysOpen: false),
        .init(
            "rejectsBareCarriageReturnInFieldValue", "GET /healthz HTTP/1.1\r\n\(host)X-A: a\rb\r\n\r\n", 400,
            staysOpen: false),
        .init(
            "rejectsNULInRequestLine",
            Array("GET /heal".utf8) + [0] + Array("thz HTTP/1.1\r\n\(host)\r\n".utf8), 400,
            staysOpen: false),
        .init(
            "rejectsControlCharacterInMethod",
            Array("G".utf8) + [0x7F] + Array("ET /healthz HTTP/1.1\r\n\(host)\r\n".utf8), 400,
            staysOpen: false),
        .init(
            "rejectsWhitespaceBeforeColon", "GET /healthz HTTP/1.1\r\nHost : test\r\n\r\n", 400,
            staysOpen: false),
        .init(
            "rejectsSpaceInsideFieldName", "GET /healthz HTTP/1.1\r\n\(host)Bad Name: x\r\n\r\n", 400,
            staysOpen: false),
        .init(
            "rejectsTransferCodingOtherThanChunked",
            "POST /echo HTTP/1.1\r\n\(host)Transfer-Encoding: gzip, chunked\r\n\r\n",
            501, staysOpen: false),
        .init(
            "rejectsChunkedThatIsNotFinal",
            "POST /echo HTTP/1.1\r\n\(host)Transfer-Encoding: chunked, gzip\r\n\r\n", 400,
            staysOpen: false),
        .init(
            "rejectsTransferEncodingWithoutChunked",
            "POST /echo HTTP/1.1\r\n\(host)Transfer-Encoding: gzip\r\n\r\n", 400,
            staysOpen: false),
        .init(
            "rejectsChunkedAppliedTwice",
            "POST /echo HTTP/1.1\r\n\(host)Transfer-Encoding: chunked, chunked\r\n\r\n", 400,
            staysOpen: false),
        .init(
            "rejectsTransferEncodingInHTTP10",
            "POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400,
            staysOpen: false),
        .init("rejectsHTTP20RequestLine", "GET /healthz HTTP/2.0\r\n\(host)\r\n", 505, staysOpen: false),
        .init("rejectsHTTP30RequestLine", "GET /healthz HTTP/3.0\r\n\(host)\r\n", 505, staysOpen: false),
        .init("rejectsHTTP2Preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505, staysOpen: false),
        .init("rejectsMalformedVersion", "GET /healthz HTTP/1\r\n\(host)\r\n", 400, staysOpen: false),
        .init("rejectsLowercaseProtocolName", "GET /healthz http/1.1\r\n\(host)\r\n", 400, staysOpen: false),
        .init("rejectsMissingHostOnHTTP11", "GET /healthz HTTP/1.1\r\n\r\n", 400, staysOpen: false),
        .init(
            "rejectsSeveralHosts", "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400,
            staysOpen: false),
        .init("rejectsInvalidHost", "GET /healthz HTTP/1.1\r\nHost: a/b\r\n\r\n", 400, staysOpen: false),
        .init(
            "rejectsRequestLineOver8KiB",
            "GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\n\(host)\r\n", 414,
            staysOpen: false),
        .init(
            "rejectsHeadersOver16KiB",
            "GET /healthz HTTP/1.1\r\n\(host)X-Big: " + String(repeating: "b", count: 17000) + "\r\n\r\n",
            431, staysOpen: false),
        .init(
            "rejectsMoreThan100HeaderFields",
            "GET /healthz HTTP/1.1\r\n\(host)" + (0..<101).map { "X-\($0): v\r\n" }.joined() + "\r\n", 431,
            staysOpen: false),
        .init(
            "rejectsBodyOverLimitBeforeReadingIt",
            "POST /echo HTTP/1.1\r\n\(host)Content-Length: 2000000\r\n\r\n", 413, staysOpen: false),
        .init(
            "rejectsChunkOverBodyLimit",
            "POST /echo HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n200000\r\n", 413,
            staysOpen: false),
        .init("rejectsBareLineFeed", "GET /healthz HTTP/1.1\n\(host)\n", 400, staysOpen: false),
        .init(
            "rejectsDoubleSpaceInRequestLine", "GET  /healthz HTTP/1.1\r\n\(host)\r\n", 400, staysOpen: false),
        .init("rejectsAsteriskFormForGet", "GET * HTTP/1.1\r\n\(host)\r\n", 400, staysOpen: false),
        .init("rejectsFragmentInTarget", "GET /healthz#top HTTP/1.1\r\n\(host)\r\n", 400, staysOpen: false),
        .init(
            "rejectsMalformedPercentEncoding", "GET /inline/%zz HTTP/1.1\r\n\(host)\r\n", 400,
            staysOpen: false),
        .init(
            "rejectsUnknownExpectation",
            "POST /echo HTTP/1.1\r\n\(host)Expect: 200-ok\r\nContent-Length: 1\r\n\r\n", 417, staysOpen: false
        ),
    ]
}

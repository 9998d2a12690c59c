import Foundation
import HTTPServer
import TestSupport
import Testing

/// Routes behind the polling wrapper in the socket tests.
enum PollingTestRoutes {
    static let small = Array(#"{"status":"ok"}"#.utf8)

    /// About 6 KiB of JSON that depends on `v`, as a dashboard page would.
    static func page(version: String) -> [UInt8] {
        let items = (0..<60).map { index in
            #"{"id":"INC-\#(index)","title":"Checkout latency above SLO","status":"open","v":"\#(version)"}"#
        }
        return Array(("{\"items\":[" + items.joined(separator: ",") + "]}").utf8)
    }

    static func router() -> Router {
        var router = Router()
        router.add(.get, "/small", execution: .eventLoop) { _ in .json(bytes: small) }
        router.add(.get, "/page") { request in
            .json(bytes: page(version: request.query["v"] ?? "1"), headers: ["Cache-Control": "no-cache"])
        }
        router.add(.post, "/page") { _ in .json(bytes: page(version: "posted"), status: 200) }
        // Tags itself, as the API's cached answers do: one strong tag per version.
        router.add(.get, "/tagged") { request in
            let version = request.query["v"] ?? "1"
            var response = HTTPResponse.json(bytes: page(version: version))
            response.headers.set(name: "ETag", value: "\"tagged-\(version)\"")
            return response
        }
        router.add(.get, "/text", execution: .eventLoop) { _ in
            .text(String(repeating: "plain ", count: 1000))
        }
        // A page like the public status page: polled by browsers and monitors as JSON is.
        router.add(.get, "/html") { request in
            .text(html(version: request.query["v"] ?? "1"), contentType: "text/html; charset=utf-8")
        }
        return router
    }

    /// About 3 KiB of HTML that depends on `v`.
    static func html(version: String) -> String {
        "<!DOCTYPE html><html lang=\"en\"><body><main>"
            + String(repeating: "<p>API operational, version \(version)</p>", count: 80)
            + "</main></body></html>"
    }

    /// What the API installs: representation (ETag, 304, gzip), then CORS when some origin
    /// is allowed.
    static func middleware(corsOrigins: [String] = []) -> [any HTTPMiddleware] {
        let cors = CORSPolicy(allowedOrigins: corsOrigins)
        return cors.isEnabled
            ? [RepresentationMiddleware(), CORSMiddleware(policy: cors)] : [RepresentationMiddleware()]
    }
}

/// ETags, 304s and gzip over real sockets (SPEC §4 "Polling").
@Suite struct PollingResponderTests {
    func get(_ client: RawHTTPClient, _ path: String, _ headers: String = "", method: String = "GET") throws
        -> RawHTTPResponse
    {
        try client.exchange(
            "\(method) \(path) HTTP/1.1\r\nHost: t\r\n\(headers)\r\n", forHead: method == "HEAD")
    }

    @Test func tagsJSONAnswersWithAStableStrongETag() throws {
        try TestServer.with(responder: PollingTestRoutes.router(), middleware: PollingTestRoutes.middleware())
        { _, port in
            let client = try RawHTTPClient(port: port)
            let first = try get(client, "/page")
            let second = try get(client, "/page")
            let other = try get(client, "/page?v=2")
            let tag = try #require(first.header("ETag"))
            #expect(tag.wholeMatch(of: /"[0-9a-f]{16}"/) != nil)
            #expect(second.header("ETag") == tag)
            #expect(other.header("ETag") != tag)
            #expect(first.header("Vary") == "Accept-Encoding")
            #expect(first.body == PollingTestRoutes.page(version: "1"))
            #expect(first.header("Content-Encoding") == nil)
        }
    }

    @Test func answersAMatchingIfNoneMatchWith304AndKeepsTheConnection() throws {
        try TestServer.with(responder: PollingTestRoutes.router(), middleware: PollingTestRoutes.middleware())
        { _, port in
            let client = try RawHTTPClient(port: port)
            let tag = try #require(try get(client, "/page").header("ETag"))
            for condition in [tag, "\"other\", \(tag)", "W/\(tag)", "*"] {
                let cached = try get(client, "/page", "If-None-Match: \(condition)\r\n")
                #expect(cached.status == 304)
                #expect(cached.body.isEmpty)
                #expect(cached.header("Content-Length") == nil)
                #expect(cached.header("Content-Type") == nil)
                #expect(cached.header("ETag") == tag)
                #expect(cached.header("Vary") == "Accept-Encoding")
                #expect(cached.header("Cache-Control") == "no-cache")
                #expect(cached.header("Connection") == nil)
            }
            // Same connection: the 304s left nothing behind on the wire.
            let fresh = try get(client, "/page?v=2", "If-None-Match: \(tag)\r\n")
            #expect(fresh.status == 200)
            #expect(fresh.body == PollingTestRoutes.page(version: "2"))
        }
    }

    @Test func tagsHTMLAnswersAndAnswers304AsForJSON() throws {
        try TestServer.with(responder: PollingTestRoutes.router(), middleware: PollingTestRoutes.middleware())
        { _, port in
            let client = try RawHTTPClient(port: port)
            let first = try get(client, "/html")
            let tag = try #require(first.header("ETag"))
            #expect(tag.wholeMatch(of: /"[0-9a-f]{16}"/) != nil)
            #expect(first.header("Vary") == "Accept-Encoding")
            #expect(first.bodyText == PollingTestRoutes.html(version: "1"))
            let cached = try get(client, "/html", "If-None-Match: \(tag)\r\n")
            #expect(cached.status == 304)
            #expect(cached.body.isEmpty)
            #expect(cached.header("ETag") == tag)
            #expect(cached.header("Content-Type") == nil)
            let changed = try get(client, "/html?v=2", "If-None-Match: \(tag)\r\n")
            #expect(changed.status == 200)
            #expect(changed.header("ETag") != tag)
            let zipped = try get(client, "/html", "Accept-Encoding: gzip\r\n")
            #expect(zipped.header("Content-Encoding") == "gzip")
            #expect(zipped.header("ETag") == String(tag.dropLast()) + "-gzip\"")
            #expect(try GunzipForTests.inflate(zipped.body) == first.body)
        }
    }

    @Test func leavesPlainTextAndNonGETAnswersAlone() throws {
        try TestServer.with(responder: PollingTestRoutes.router(), middleware: PollingTestRoutes.middleware())
        { _, port in
            let client = try RawHTTPClient(port: port)
            let text = try get(client, "/text", "Accept-Encoding: gzip\r\n")
            #expect(text.header("ETag") == nil)
            #expect(text.header("Content-Encoding") == nil)
            let posted = try client.exchange(
                "POST /page HTTP/1.1\r\nHost: t\r\nAccept-Encoding: gzip\r\nContent-Length: 0\r\n\r\n")
            #expect(posted.status == 200)
            #expect(posted.header("ETag") == nil)
            #expect(posted.header("Content-Encoding") == nil)
            let missing = try get(client, "/nowhere", "If-None-Match: *\r\n")
            #expect(missing.status == 404)
            #expect(missing.header("ETag") == nil)
        }
    }

    @Test func handlerTaggedPagesAreCompressedOnceAndServedRightPerTargetAndTag() throws {
        try TestServer.with(responder: PollingTestRoutes.router(), middleware: PollingTestRoutes.middleware())
        { _, port in
            let client = try RawHTTPClient(port: port)
            for version in ["1", "2", "1", "2"] {
                let zipped = try get(client, "/tagged?v=\(version)", "Accept-Encoding: gzip\r\n")
                #expect(zipped.header("Content-Encoding") == "gzip")
                #expect(zipped.header("ETag") == "\"tagged-\(version)-gzip\"")
                #expect(try GunzipForTests.inflate(zipped.body) == PollingTestRoutes.page(version: version))
            }
        }
    }

    @Test func gzipsLargeBodiesWithTheirOwnETag() throws {
        try TestServer.with(responder: PollingTestRoutes.router(), middleware: PollingTestRoutes.middleware())
        { _, port in
            let client = try RawHTTPClient(port: port)
            let identity = try get(client, "/page")
            let zipped = try get(client, "/page", "Accept-Encoding: gzip, deflate, br\r\n")
            #expect(zipped.status == 200)
            #expect(zipped.header("Content-Encoding") == "gzip")
            #expect(zipped.header("Vary") == "Accept-Encoding")
            #expect(zipped.header("Content-Type") == HTTPResponse.jsonContentType)
            #expect(zipped.body.count < identity.body.count / 4)
            #expect(try GunzipForTests.inflate(zipped.body) == identity.body)
            let identityTag = try #require(identity.header("ETag"))
            let zippedTag = try #require(zipped.header("ETag"))
            #expect(zippedTag == String(identityTag.dropLast()) + "-gzip\"")
            // Each tag validates only its own representation (RFC 9110 §8.8.3).
            let cachedZip = try get(
                client, "/page", "Accept-Encoding: gzip\r\nIf-None-Match: \(zippedTag)\r\n")
            #expect(cachedZip.status == 304)
            #expect(cachedZip.header("ETag") == zippedTag)
            #expect(cachedZip.header("Content-Encoding") == nil)
            let wrongRepresentation = try get(client, "/page", "If-None-Match: \(zippedTag)\r\n")
            #expect(wrongRepresentation.status == 200)
            #expect(wrongRepresentation.body == identity.body)
        }
    }

    @Test func sendsSmallBodiesUncompressed() throws {
        try TestServer.with(responder: PollingTestRoutes.router(), middleware: PollingTestRoutes.middleware())
        { _, port in
            let client = try RawHTTPClient(port: port)
            let response = try get(client, "/small", "Accept-Encoding: gzip\r\n")
            #expect(response.header("Content-Encoding") == nil)
            #expect(response.body == PollingTestRoutes.small)
            #expect(response.header("Vary") == "Accept-Encoding")
            #expect(response.header("ETag") != nil)
        }
    }

    @Test(arguments: ["gzip;q=0", "gzip;q=0, *", "*;q=0", "br, deflate", "identity"])
    func honoursAcceptEncodingThatRefusesGzip(field: String) throws {
        try TestServer.with(responder: PollingTestRoutes.router(), middleware: PollingTestRoutes.middleware())
        { _, port in
            let client = try RawHTTPClient(port: port)
            let response = try get(client, "/page", "Accept-Encoding: \(field)\r\n")
            #expect(response.header("Content-Encoding") == nil)
            #expect(response.body == PollingTestRoutes.page(version: "1"))
        }
    }

    @Test func answersHEADWithTheHeadersOfGET() throws {
        try TestServer.with(responder: PollingTestRoutes.router(), middleware: PollingTestRoutes.middleware())
        { _, port in
            let client = try RawHTTPClient(port: port)
            let gzipHeader = "Accept-Encoding: gzip\r\n"
            let full = try get(client, "/page", gzipHeader)
            let head = try get(client, "/page", gzipHeader, method: "HEAD")
            #expect(head.status == 200)
            #expect(head.body.isEmpty)
            #expect(head.header("ETag") == full.header("ETag"))
            #expect(head.header("Content-Encoding") == "gzip")
            #expect(head.header("Content-Length") == String(full.body.count))
            let cached = try get(
                client, "/page", gzipHeader + "If-None-Match: \(full.header("ETag") ?? "")\r\n",
                method: "HEAD")
            #expect(cached.status == 304)
            // The connection is still in step after two bodiless answers.
            #expect(try get(client, "/small").body == PollingTestRoutes.small)
        }
    }
}

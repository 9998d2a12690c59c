import Foundation
import Testing

@testable import HTTPServer

/// The router without sockets: requests in, responses out.
@Suite struct RouterTests {
    let router = TestRoutes.router()

    func request(
        _ method: HTTPMethod, _ target: String, headers: HTTPHeaders = ["Host": "t"], body: String = ""
    )
        -> HTTPRequest
    {
        var harness = ParserHarness()
        let head =
            "\(method.rawValue) \(target) HTTP/1.1\r\n"
            + headers.map { "\($0.name): \($0.value)\r\n" }.joined()
        harness.feed(Array((head + "Content-Length: \(body.utf8.count)\r\n\r\n" + body).utf8))
        guard case .request(let request)? = harness.outcomes.first else {
            fatalError("test request does not parse")
        }
        return request
    }

    func problem(_ response: HTTPResponse) throws -> [String: Any] {
        #expect(response.headers["Content-Type"] == "application/problem+json")
        return try #require(JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    @Test func fillsPathParametersAndRoutePattern() throws {
        let response = router.respond(to: request(.get, "/items/INC-42")).response()
        #expect(response.status == 200)
        #expect(response.routePattern == "/items/{id}")
        let json = try #require(JSONSerialization.jsonObject(with: Data(response.body)) as? [String: String])
        #expect(json == ["id": "INC-42", "route": "/items/{id}"])
    }

    @Test func keepsAnEncodedSlashInsideItsSegment() {
        #expect(
            router.respond(to: request(.get, "/inline/a%2Fb")).response().body == Array("inline a/b".utf8))
    }

    @Test func prefersLiteralSegmentsOverParameters() {
        var router = Router()
        router.add(.get, "/incidents/{id}", execution: .eventLoop) { _ in .text("param") }
        router.add(.get, "/incidents/open", execution: .eventLoop) { _ in .text("literal") }
        router.add(.get, "/incidents/{id}/timeline", execution: .eventLoop) { _ in .text("timeline") }
        #expect(router.respond(to: request(.get, "/incidents/open")).response().body == Array("literal".utf8))
        #expect(router.respond(to: request(.get, "/incidents/7")).response().body == Array("param".utf8))
        #expect(
            router.respond(to: request(.get, "/incidents/open/timeline")).response().body
                == Array("timeline".utf8))
    }

    @Test func matchesAParameterlessRouteByItsExactPathOnlyWithOrWithoutEscapes() {
        var router = Router()
        router.add(.get, "/api/v1/alerts", execution: .eventLoop) { _ in .text("list") }
        router.add(.post, "/api/v1/alerts", execution: .eventLoop) { _ in .text("create") }
        router.add(.get, "/api/v1/{kind}", execution: .eventLoop) { request in
            .text("kind " + (request.pathParameters["kind"] ?? ""))
        }
        func body(_ method: HTTPMethod, _ target: String) -> String {
            String(decoding: router.respond(to: request(method, target)).response().body, as: UTF8.self)
        }
        // The literal pattern, found in one step, for each of its methods and with a query.
        #expect(body(.get, "/api/v1/alerts") == "list")
        #expect(body(.post, "/api/v1/alerts") == "create")
        #expect(body(.get, "/api/v1/alerts?status=open") == "list")
        #expect(body(.head, "/api/v1/alerts") == "list")
        // An escaped letter is the same path (through the segment tree); an escaped slash is not.
        #expect(body(.get, "/api/v1/%61lerts") == "list")
        #expect(body(.get, "/api/v1/alerts%2Fx") == "kind alerts/x")
        // A trailing slash or a doubled one is another path.
        #expect(router.respond(to: request(.get, "/api/v1/alerts/")).response().status == 404)
        #expect(router.respond(to: request(.get, "//api/v1/alerts")).response().status == 404)
        let wrongMethod = router.respond(to: request(.delete, "/api/v1/alerts")).response()
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.headers["Allow"] == "GET, HEAD, OPTIONS, POST")
        #expect(wrongMethod.routePattern == "/api/v1/alerts")
    }

    @Test func answers404AsProblem() throws {
        let response = router.respond(to: request(.get, "/nope")).response()
        #expect(response.status == 404)
        let body = try problem(response)
        #expect(body["status"] as? Int == 404)
        #expect(body["title"] as? String == "Not Found")
        #expect(body["type"] as? String == "about:blank")
        #expect((body["errors"] as? [Any])?.isEmpty == true)
    }

    @Test func answers405WithAllow() throws {
        let response = router.respond(to: request(.post, "/items/1")).response()
        #expect(response.status == 405)
        #expect(response.headers["Allow"] == "DELETE, GET, HEAD, OPTIONS")
        #expect(try problem(response)["status"] as? Int == 405)
    }

    @Test func answersOptionsWithAllow() {
        let response = router.respond(to: request(.options, "/items/1")).response()
        #expect(response.status == 204)
        #expect(response.headers["Allow"] == "DELETE, GET, HEAD, OPTIONS")
    }

    @Test func servesHeadWithTheGetHandler() {
        #expect(router.respond(to: request(.head, "/healthz")).response().status == 200)
    }

    @Test func answersEventLoopRoutesAndUnknownPathsAtOnceAndHandsTheRestToAWorker() {
        func isNow(_ answer: HTTPAnswer) -> Bool {
            if case .now = answer { return true }
            return false
        }
        #expect(isNow(router.respond(to: request(.get, "/healthz"))))
        #expect(!isNow(router.respond(to: request(.get, "/slow"))))
        #expect(!isNow(router.respond(to: request(.get, "/items/1"))), "worker is the default")
        #expect(isNow(router.respond(to: request(.get, "/nope"))))
    }

    @Test func rendersThrownProblemDetails() throws {
        let response = router.respond(to: request(.get, "/conflict")).response()
        #expect(response.status == 409)
        #expect(
            String(decoding: response.body, as: UTF8.self)
                == #"{"type":"about:blank","title":"Conflict","status":409,"detail":"Already resolved.","errors":[{"field":"id","message":"resolved"}]}"#
        )
    }

    @Test func rendersOtherErrorsAsA500ThatLeaksNothing() throws {
        let response = router.respond(to: request(.get, "/fails")).response()
        #expect(response.status == 500)
        let text = String(decoding: response.body, as: UTF8.self)
        #expect(!text.contains("Failure"))
        #expect(try problem(response)["detail"] as? String == "The server failed to handle this request.")
    }

    @Test func usesTheErrorRendererItWasGiven() {
        var router = Router { error, request in
            .text("rendered \(type(of: error)) for \(request.path)", status: 418)
        }
        router.add(.get, "/x", execution: .eventLoop) { _ in throw TestRoutes.Failure() }
        let thrown = router.respond(to: request(.get, "/x")).response()
        #expect(thrown.status == 418)
        #expect(thrown.body == Array("rendered Failure for /x".utf8))
        #expect(router.respond(to: request(.get, "/missing")).response().status == 418)
    }

    @Test func decodesAJSONBody() throws {
        let response = router.respond(
            to: request(
                .post, "/greetings",
                headers: ["Host": "t", "Content-Type": "application/json; charset=utf-8"],
                body: #"{"name":"ops","count":2}"#)
        ).response()
        #expect(response.status == 201)
        #expect(response.body == Array(#"{"count":2,"name":"ops"}"#.utf8))
    }

    @Test func refusesJSONWithAnotherContentTypeWith415() {
        let response = router.respond(
            to: request(
                .post, "/greetings", headers: ["Host": "t", "Content-Type": "text/plain"], body: "{}")
        ).response()
        #expect(response.status == 415)
    }

    @Test func refusesMalformedJSONWith400() throws {
        let response = router.respond(
            to: request(
                .post, "/greetings", headers: ["Host": "t", "Content-Type": "application/json"], body: "{nope"
            )
        ).response()
        #expect(response.status == 400)
        #expect(try problem(response)["detail"] as? String == "The request body is not valid JSON.")
    }

    @Test func namesTheMissingOrMistypedField() throws {
        let missing = router.respond(
            to: request(
                .post, "/greetings", headers: ["Host": "t", "Content-Type": "application/json"],
                body: #"{"name":"x"}"#)
        ).response()
        let missingErrors = try #require(try problem(missing)["errors"] as? [[String: String]])
        #expect(missingErrors == [["field": "count", "message": "is required"]])
        let mistyped = router.respond(
            to: request(
                .post, "/greetings", headers: ["Host": "t", "Content-Type": "application/json"],
                body: #"{"name":"x","count":"two"}"#)
        ).response()
        let mistypedErrors = try #require(try problem(mistyped)["errors"] as? [[String: String]])
        #expect(mistypedErrors == [["field": "count", "message": "must be an integer"]])
    }

    @Test func decodesAFormBody() {
        let response = router.respond(
            to: request(
                .post, "/form", headers: ["Host": "t", "Content-Type": "application/x-www-form-urlencoded"],
                body: "text=ack+INC-1+%22on+it%22&user_name=ana&empty")
        ).response()
        #expect(
            String(decoding: response.body, as: UTF8.self) == "text=ack INC-1 \"on it\";user_name=ana;empty=")
        let wrongType = router.respond(to: request(.post, "/form", headers: ["Host": "t"], body: "a=b"))
            .response()
        #expect(wrongType.status == 415)
    }
}

import Foundation
import TestSupport
import Testing

@testable import HTTPServer

/// Text with U+0000 is refused before routing, naming where it was; nothing else is.
@Suite struct RequestScreeningTests {
    static func request(
        target: String = "/x", body: String = "", contentType: String? = "application/json"
    ) -> HTTPRequest {
        var headers = HTTPHeaders()
        if let contentType { headers.add(name: "Content-Type", value: contentType) }
        let parts = target.split(separator: "?", maxSplits: 1)
        return HTTPRequest(
            method: .post, target: target, path: String(parts[0]),
            query: parts.count > 1 ? QueryParameters(parsing: String(parts[1])) : QueryParameters(),
            headers: headers, body: Array(body.utf8))
    }

    /// The `errors[].field` of a refusal, nil when the request passes.
    static func refusedFields(_ request: HTTPRequest) -> [String]? {
        guard let response = RequestScreening.refusal(for: request) else { return nil }
        #expect(response.status == 400)
        let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        return (object?["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
    }

    @Test func refusesAQueryParameterWithNULByName() {
        #expect(Self.refusedFields(Self.request(target: "/x?service=%00")) == ["service"])
        #expect(Self.refusedFields(Self.request(target: "/x?a=1&owner=x%00y&b=2")) == ["owner"])
        #expect(Self.refusedFields(Self.request(target: "/x?%00=1")) == ["(name)"])
    }

    @Test func passesEveryOtherEscapedByteInAQueryParameter() {
        for value in 1...255 {
            let escape = String(format: "%%%02X", value)
            #expect(Self.refusedFields(Self.request(target: "/x?v=a\(escape)b")) == nil, "\(escape)")
        }
    }

    /// The fields `decodeJSON` refuses `body` with, nil when it decodes.
    static func decodeRefusal(_ body: String, allowingNUL: Bool = false) -> [String]? {
        struct Anything: Decodable {
            init(from decoder: any Decoder) throws {}
        }
        do {
            _ = try request(body: body).decodeJSON(Anything.self, allowingNUL: allowingNUL)
            return nil
        } catch let problem as ProblemDetails {
            #expect(problem.status == 400)
            return problem.errors.map(\.field)
        } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }

    @Test func leavesJSONBodiesToTheirDecoder() {
        // Some senders' formats clean text instead (Alertmanager): decodeJSON decides.
        #expect(Self.refusedFields(Self.request(body: #"{"name":"a\u0000b"}"#)) == nil)
    }

    @Test func decodeJSONRefusesAStringWithNULByItsPath() {
        #expect(Self.decodeRefusal(#"{"name":"a\u0000b"}"#) == ["name"])
        #expect(
            Self.decodeRefusal(#"{"alerts":[{"labels":{"team":"\u0000"}}]}"#) == ["alerts[0].labels.team"])
        #expect(Self.decodeRefusal(#""\u0000""#) == ["body"])
        #expect(Self.decodeRefusal(#"["ok","\u0000"]"#) == ["[1]"])
        #expect(Self.decodeRefusal(#"{"name":"a\u0000b"}"#, allowingNUL: true) == nil)
    }

    @Test func decodeJSONRefusesAMemberNameWithNULNamingItsObject() {
        #expect(Self.decodeRefusal(#"{"details":{"a\u0000":1}}"#) == ["details"])
        #expect(Self.decodeRefusal(#"{"\u0000":1}"#) == ["body"])
    }

    @Test func namesEveryFieldWithNULUpToTen() {
        let members = (0..<15).map { #""f\#($0)":"\u0000""# }.joined(separator: ",")
        #expect(Self.decodeRefusal("{\(members)}")?.count == UnstorableText.maxNamedFields)
        let query = (0..<15).map { "p\($0)=%00" }.joined(separator: "&")
        #expect(
            Self.refusedFields(Self.request(target: "/x?\(query)"))?.count == UnstorableText.maxNamedFields)
    }

    @Test func passesTextThatOnlyLooksLikeAnEscapedNUL() {
        // An escaped backslash followed by "u0000" is the six characters \u0000, not NUL.
        #expect(UnstorableText.nulFields(inJSON: Array(#"{"name":"a\\u0000"}"#.utf8)).isEmpty)
        #expect(UnstorableText.nulFields(inJSON: Array(#"{"name":"a\u0001\u00e9"}"#.utf8)).isEmpty)
    }

    @Test func findsNothingInABodyThatIsNotJSON() {
        #expect(UnstorableText.nulFields(inJSON: Array(#"not json \u0000"#.utf8)).isEmpty)
        #expect(UnstorableText.nulFields(inJSON: Array(#"{"name":"\ud800"}"#.utf8)).isEmpty)
    }

    @Test func refusesAFormFieldWithNULByName() {
        let form = "application/x-www-form-urlencoded"
        #expect(Self.refusedFields(Self.request(body: "text=ack%00&user=u", contentType: form)) == ["text"])
        #expect(Self.refusedFields(Self.request(body: "text=ack+1&user=u", contentType: form)) == nil)
    }

    @Test func answersWithProblemJSONAndKeepsTheConnection() throws {
        try TestServer.with { _, port in
            let client = try RawHTTPClient(port: port)
            let refused = try client.exchange("GET /query?service=%00 HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(refused.status == 400)
            #expect(refused.header("Content-Type") == "application/problem+json")
            #expect(refused.bodyText.contains(#""field":"service""#))
            #expect(refused.header("Connection") != "close")
            let next = try client.exchange("GET /query?service=api HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(next.status == 200)
            #expect(next.bodyText == "service=api")
            let body = #"{"name":"a\u0000","count":1}"#
            let json = try client.exchange(
                "POST /greetings HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                    + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
            #expect(json.status == 400)
            #expect(json.bodyText.contains(#""field":"name""#))
        }
    }
}

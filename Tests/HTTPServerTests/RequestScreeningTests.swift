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

    @Test func refusesAJSONStringWithNULByItsPath() {
        #expect(Self.refusedFields(Self.request(body: #"{"name":"a\u0000b"}"#)) == ["name"])
        #expect(
            Self.refusedFields(Self.request(body: #"{"alerts":[{"labels":{"team":"\u0000"}}]}"#))
                == ["alerts[0].labels.team"])
        #expect(Self.refusedFields(Self.request(body: #""\u0000""#)) == ["body"])
        #expect(Self.refusedFields(Self.request(body: #"["ok","\u0000"]"#)) == ["[1]"])
    }

    @Test func refusesAJSONMemberNameWithNULNamingItsObject() {
        #expect(Self.refusedFields(Self.request(body: #"{"details":{"a\u0000":1}}"#)) == ["details"])
        #expect(Self.refusedFields(Self.request(body: #"{"\u0000":1}"#)) == ["body"])
    }

    @Test func namesEveryFieldWithNULUpToTen() {
        let members = (0..<15).map { #""f\#($0)":"\u0000""# }.joined(separator: ",")
        let fields = Self.refusedFields(Self.request(body: "{\(members)}"))
        #expect(fields?.count == RequestScreening.maxNamedFields)
    }

    @Test func passesTextThatOnlyLooksLikeAnEscapedNUL() {
        // An escaped backslash followed by "u0000" is the six characters \u0000, not NUL.
        #expect(Self.refusedFields(Self.request(body: #"{"name":"a\\u0000"}"#)) == nil)
        #expect(Self.refusedFields(Self.request(body: #"{"name":"a\u0001\u00e9"}"#)) == nil)
    }

    @Test func leavesABodyThatIsNotJSONToItsHandler() {
        #expect(Self.refusedFields(Self.request(body: #"not json \u0000"#)) == nil)
        #expect(Self.refusedFields(Self.request(body: #"{"name":"\ud800"}"#)) == nil)
    }

    @Test func checksJSONWhateverTheContentTypeSays() {
        // Some senders (PagerDuty clients) post JSON without the media type.
        #expect(Self.refusedFields(Self.request(body: #"{"k":"\u0000"}"#, contentType: nil)) == ["k"])
        #expect(
            Self.refusedFields(Self.request(body: #"{"k":"\u0000"}"#, contentType: "text/plain")) == ["k"])
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
        }
    }
}

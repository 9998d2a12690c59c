import Foundation
import HTTPServer
import Testing

@testable import API

/// The byte-level readers on the hot paths (issue 21) read exactly what the general ones read,
/// and leave everything else to them.
@Suite struct HotPathReaderTests {
    private func request(_ body: String, contentType: String? = "application/json") -> HTTPRequest {
        var headers = HTTPHeaders()
        if let contentType { headers.add(name: "Content-Type", value: contentType) }
        return HTTPRequest(
            method: .post, target: "/api/v1/alerts", path: "/api/v1/alerts", headers: headers,
            body: Array(body.utf8))
    }

    private func fields(_ body: AlertTriggerBody) -> [String?] {
        [body.service, body.source, body.summary, body.severity, body.dedupKey]
    }

    @Test func flatTriggerBodyReadsWhatJSONDecoderReads() throws {
        let bodies = [
            #"{"service":"api","source":"prometheus","summary":"API error rate above 5%","severity":"warning","dedup_key":"k-1"}"#,
            #"  {"summary" : "Disk at 91 % on db-1 — café ✓", "service":"db"}  "#,
            "{\n\t\"service\": \"api\",\r\n \"severity\": null, \"dedup_key\": \"\"\n}",
            #"{}"#,
            #"{"severity":"critical","source":null}"#,
        ]
        for text in bodies {
            let flat = try #require(AlertTriggerBody.flat(request(text)), "the flat reader takes \(text)")
            let decoded = try request(text).decodeBody(AlertTriggerBody.self)
            #expect(fields(flat) == fields(decoded), "\(text)")
            #expect(flat.details == nil && flat.links == nil)
        }
    }

    @Test func flatTriggerBodyLeavesEverythingElseToJSONDecoder() {
        let others = [
            #"{"service":"api","details":{"region":"eu"}}"#,  // a nested member
            #"{"service":"api","links":[{"href":"https://x"}]}"#,
            #"{"service":"api","extra":"ignored by JSONDecoder"}"#,  // an unknown member
            #"{"service":"a\"pi"}"#,  // an escape
            #"{"service":"a\u0000pi"}"#,  // an escaped NUL (refused by the general path)
            "{\"service\":\"a\u{1}pi\"}",  // a raw control character (malformed JSON)
            #"{"service":"api","service":"db"}"#,  // a repeated member
            #"{"service":42}"#,  // a wrong type
            #"{"service":"api",}"#,  // malformed
            #"{"service":"api"} x"#,  // trailing bytes
            #"["service"]"#,
            "",
        ]
        for text in others {
            #expect(AlertTriggerBody.flat(request(text)) == nil, "\(text)")
        }
        let invalidUTF8 = HTTPRequest(
            method: .post, target: "/", path: "/", headers: ["Content-Type": "application/json"],
            body: Array(#"{"service":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8))
        #expect(AlertTriggerBody.flat(invalidUTF8) == nil)
        // Another media type (or none) is the general path's 415.
        #expect(AlertTriggerBody.flat(request(#"{"service":"api"}"#, contentType: "text/plain")) == nil)
        #expect(AlertTriggerBody.flat(request(#"{"service":"api"}"#, contentType: nil)) == nil)
        #expect(
            AlertTriggerBody.flat(
                request(#"{"service":"api"}"#, contentType: "application/json; charset=utf-8"))
                == nil)
    }

    @Test func plainBearerTokenReadsWhatTheGeneralParserReads() throws {
        let key = "ikd_" + String(repeating: "a", count: 10) + String(repeating: "Z9_", count: 10) + "xy"
        for header in ["Bearer \(key)", "bearer \(key)", "BEARER \(key)", "Bearer a.b-c~d+e/f="] {
            let request = HTTPRequest(
                method: .get, target: "/api/v1/incidents", path: "/api/v1/incidents",
                headers: ["Authorization": header])
            let plain = try #require(Authenticator.plainBearerToken(header), "\(header)")
            #expect(try Authenticator.bearerToken(request) == plain)
        }
        // Anything else goes to the general parser.
        let others = [
            "Bearer", "Bearer ", "Bearer  \(key)", "Bearer\t\(key)", "Bearer \(key) ", "Token token=\(key)",
            "GenieKey \(key)", "Basic \(key)", "Bearer \"\(key)\"",
            "Bearer " + String(repeating: "k", count: 257),
            "Bearer k\u{e9}y",
        ]
        for header in others {
            #expect(Authenticator.plainBearerToken(header) == nil, "\(header)")
        }
        // The longest token both accept.
        let longest = String(repeating: "k", count: 256)
        #expect(Authenticator.plainBearerToken("Bearer " + longest) == longest)
    }

    @Test func clientAddressDropsThePortOfEveryAddressForm() {
        let cases = [
            "127.0.0.1:50412": "127.0.0.1", "[::1]:8080": "::1", "[fe80::1%eth0]:1": "fe80::1%eth0",
            "::1": "::1", "unix": "unix", "": "", "h\u{e9}te:1": "h\u{e9}te", "a:b:c": "a:b:c",
        ]
        for (remote, expected) in cases {
            let request = HTTPRequest(method: .get, target: "/", path: "/", remoteAddress: remote)
            #expect(ClientAddress.of(request) == expected, "\(remote)")
        }
    }
}

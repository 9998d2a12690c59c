import Foundation
import HTTPServer

/// PagerDuty Events API v2 answers, in PagerDuty's own shapes (SPEC §4).
enum PagerDutyResponses {
    /// 202 `{"status":"success","message":"Event processed","dedup_key":...}`. Both official
    /// Python clients refuse a 2xx without `dedup_key`, so it is always there (issue 5).
    static func accepted(dedupKey: String) throws -> HTTPResponse {
        try APIJSON.response(
            Accepted(status: "success", message: "Event processed", dedupKey: dedupKey), status: 202)
    }

    /// 202 for a change event; `id` is its timeline entry (pdpyras returns it to the caller).
    static func changeAccepted(id: Int64) throws -> HTTPResponse {
        try APIJSON.response(
            ChangeAccepted(status: "success", message: "Change event processed", id: String(id)), status: 202)
    }

    /// 400 `{"status":"invalid event","message":"Event object is invalid","errors":[...]}`.
    static func invalid(_ errors: [String]) throws -> HTTPResponse {
        try APIJSON.response(
            Invalid(status: "invalid event", message: "Event object is invalid", errors: errors), status: 400)
    }

    /// 429 after too many failed routing keys from one address (SPEC §5), with `Retry-After`.
    static func throttled(retryAfter: Int) throws -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.set(name: "Retry-After", value: String(retryAfter))
        return try APIJSON.response(
            Throttled(
                status: "throttle event",
                message: "Too many failed routing keys from this address; retry later."),
            status: 429, headers: headers)
    }

    struct Accepted: Encodable {
        let status: String
        let message: String
        let dedupKey: String

        enum CodingKeys: String, CodingKey {
            case status, message
            case dedupKey = "dedup_key"
        }
    }

    struct ChangeAccepted: Encodable {
        let status: String
        let message: String
        let id: String
    }

    struct Invalid: Encodable {
        let status: String
        let message: String
        let errors: [String]
    }

    struct Throttled: Encodable {
        let status: String
        let message: String
    }
}

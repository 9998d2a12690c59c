import Foundation
import HTTPServer

@testable import API

/// One write of ``ResponseCacheFreshnessTests``: a request and what its handler may report
/// beyond its route's `changes:` (the test checks that reads of other families stay cached).
struct FreshnessWrite {
    /// Whose credentials go with the request.
    enum Credential {
        /// The admin key, as `Authorization: Bearer`.
        case admin
        /// This token as `Authorization: Bearer` (a routing key).
        case bearer(String)
        /// No `Authorization` (PagerDuty and Slack carry theirs in the request).
        case none
    }

    let label: String
    let method: HTTPMethod
    let target: String
    var json: String? = nil
    var form: String? = nil
    var headers: [(String, String)] = []
    var credential: Credential = .admin
    var mayAlsoChange: ResourceFamilies = []

    /// The request, with `adminKey` for ``Credential/admin``.
    func request(adminKey: String) -> HTTPRequest {
        let key: String? =
            switch credential {
            case .admin: adminKey
            case .bearer(let token): token
            case .none: nil
            }
        return InProcessAPI.request(
            method, target, key: key, body: Array((json ?? form ?? "").utf8),
            contentType: json != nil
                ? "application/json" : (form != nil ? "application/x-www-form-urlencoded" : nil),
            headers: headers)
    }
}

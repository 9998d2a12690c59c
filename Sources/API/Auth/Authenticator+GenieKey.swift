import Foundation
import HTTPServer

/// Opsgenie's credentials (SPEC §12): its clients send `Authorization: GenieKey <key>`, and
/// cron `curl` pings often `?apiKey=<key>`. Both are taken on the Opsgenie routes only, where
/// the key is an incidentd routing key or API key like a bearer token.
extension Authenticator {
    /// Whether `scheme` is Opsgenie's and `request` is on one of its routes.
    static func isGenieKey(_ scheme: Substring, _ request: HTTPRequest) -> Bool {
        // RFC 9110 §11.1: the auth scheme is case-insensitive.
        scheme.lowercased() == "geniekey" && OpsgenieAPI.covers(path: request.path)
    }

    /// The `apiKey` query parameter on an Opsgenie route, or nil.
    static func opsgenieQueryKey(_ request: HTTPRequest) throws(Failure) -> String? {
        guard let key = request.query["apiKey"], OpsgenieAPI.covers(path: request.path) else { return nil }
        let token = key.trimmingCharacters(in: .whitespaces)
        guard !token.isEmpty, token.utf8.count <= 256 else { throw .malformed }
        return token
    }
}

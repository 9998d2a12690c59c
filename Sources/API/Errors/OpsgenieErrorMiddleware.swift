import Foundation
import HTTPServer

/// Errors on Opsgenie's routes in Opsgenie's own shape, not problem+json (SPEC §12): its
/// clients read `{"message","took","requestId"}` (plus `errors`, field → message, for bad
/// input, as Opsgenie answers 422). Applied to every answer on those paths whatever produced it
/// — a handler, the auth stages (401, 403, 429), read-only mode (503), the router (404, 405) —
/// so no stage needs to know about Opsgenie. Status and headers (`Retry-After`, `Allow`) stay.
///
/// `took` is 0 here: the error was made before or around the handler, which alone measures its
/// time; `requestId` is the request's `X-Request-ID`, which the answer also carries.
struct OpsgenieErrorMiddleware: HTTPMiddleware {
    func finish(_ response: inout HTTPResponse, for request: HTTPRequest) {
        guard response.status >= 400, OpsgenieAPI.covers(path: request.path),
            response.headers["Content-Type"]?.hasPrefix(ProblemDetails.contentType) == true,
            let problem = try? JSONDecoder().decode(Problem.self, from: Data(response.body))
        else { return }
        var message = problem.detail ?? problem.title ?? "Request failed."
        if response.status == 401 {
            // The refusal names the native scheme; Opsgenie's clients send GenieKey.
            message =
                "Could not authenticate: "
                + message.replacingOccurrences(of: "Bearer <key>", with: "GenieKey <key>")
            response.headers.set(name: "WWW-Authenticate", value: "GenieKey realm=\"incidentd\"")
        }
        var errors: [String: String] = [:]
        for error in problem.errors ?? [] where errors[error.field] == nil {
            errors[error.field] = error.message
        }
        // Encoding a few strings cannot fail; should it, the problem+json answer stands.
        guard
            let body = try? OpsgenieResponses.errorBody(
                message: message, errors: errors, requestID: request.requestID, took: 0)
        else { return }
        response.body = body
        response.headers.set(name: "Content-Type", value: HTTPResponse.jsonContentType)
    }

    /// The parts of a problem+json body Opsgenie's shape keeps.
    struct Problem: Decodable {
        let title: String?
        let detail: String?
        let errors: [Field]?

        struct Field: Decodable {
            let field: String
            let message: String
        }
    }
}

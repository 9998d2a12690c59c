import Domain
import HTTPServer
import Log
import Postgres

/// The one place that turns errors into HTTP answers (STYLE: handlers only throw).
enum ProblemMapping {
    /// Seconds a client should wait when the database is unavailable.
    static let unavailableRetryAfterSeconds = 5

    static func problem(for error: any Error, request: HTTPRequest, logger: Logger) -> ProblemDetails {
        switch error {
        case let problem as ProblemDetails:
            return problem
        case let error as DomainError:
            switch error {
            case .notFound:
                return ProblemDetails(status: 404, detail: error.description)
            case .conflict(let reason):
                return ProblemDetails(status: 409, detail: reason)
            case .validation(let issues):
                return validationProblem(issues)
            }
        case let error as ValidationError:
            return validationProblem(error.issues)
        case let error as PostgresError where error.isUnavailable || error.isQueryCanceled:
            logger.warning(
                "database_unavailable",
                ["request_id": .string(request.requestID), "error": .string(error.description)])
            var headers = HTTPHeaders()
            headers.set(name: "Retry-After", value: String(unavailableRetryAfterSeconds))
            return ProblemDetails(
                status: 503,
                detail: error.isQueryCanceled || error.kind == .deadlineExceeded
                    ? "The database did not answer in time; try again shortly."
                    : "The database is unavailable; try again shortly.",
                headers: headers)
        default:
            // Unknown errors: logged with the request id, answered with nothing that leaks.
            logger.error(
                "unhandled_error",
                [
                    "request_id": .string(request.requestID), "path": .string(request.path),
                    "error": .string("\(error)"),
                ])
            return ProblemDetails(
                status: 500,
                detail: "Something went wrong on our side; the request id is \(request.requestID).")
        }
    }

    static func validationProblem(_ issues: [FieldIssue]) -> ProblemDetails {
        ProblemDetails(
            status: 422, title: "Invalid request",
            detail: issues.map(\.description).joined(separator: "; "),
            errors: issues.map { FieldError(field: $0.field, message: $0.message) })
    }
}

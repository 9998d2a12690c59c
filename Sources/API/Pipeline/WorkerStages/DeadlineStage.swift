import HTTPServer
import Postgres

/// Makes the request's deadline (`HTTPRequest.deadline`: the end of its head plus
/// `INCIDENTD_REQUEST_TIMEOUT`) the deadline of all the database work below
/// (``PostgresDeadline``): waiting for a pooled connection, opening one, every statement,
/// refusal audits included. A database that hangs then costs a request its deadline and a 503
/// with `Retry-After`, not the whole outage (issue 20).
struct DeadlineStage: WorkerStage {
    func handle(_ call: WorkerCall, next: WorkerStageNext) throws -> HTTPResponse {
        try PostgresDeadline.run(until: call.request.deadline) { try next(call) }
    }
}

import Foundation
import HTTPServer
import Repositories

/// `GET /api/v1/export` (admin, SPEC §8, §14): everything as NDJSON, one
/// `{"type": "<table>", "data": {...}}` per line between a header line and an `end` line,
/// gzip-coded when `Accept-Encoding` allows it. Streamed from one REPEATABLE READ snapshot
/// through cursors: memory stays constant whatever the size (``ExportWriter``).
/// `incidentd import FILE` loads it into an empty database (docs/OPERATIONS.md).
enum ExportController {
    @Sendable static func export(_ context: RequestContext) throws -> HTTPResponse {
        let hub = context.environment.streams
        // Counted while the body runs (a HEAD or a client gone first never starts it); two
        // requests in the same instant may both pass: the cap is about memory, not exact.
        guard hub.runningExports < hub.settings.maxExports else {
            throw ProblemDetails(
                status: 503,
                detail: "\(hub.settings.maxExports) exports are running; retry when one finished.",
                headers: ["Retry-After": "30"])
        }
        let gzip = context.request.acceptsGzip
        let writer = ExportWriter(
            pool: context.environment.pool, settings: hub.settings, logger: context.environment.logger)
        let body = HTTPStreamBody(bufferLimit: hub.settings.bufferBytes) { sink in
            hub.beginExport()
            defer { hub.endExport() }
            writer.write(to: sink, gzip: gzip)
        }
        var headers = HTTPHeaders()
        headers.set(name: "Content-Type", value: "application/x-ndjson")
        headers.set(name: "Cache-Control", value: "no-store")
        let stamp = RFC3339.format(context.now).prefix(10)
        headers.set(
            name: "Content-Disposition",
            value: "attachment; filename=\"incidentd-export-\(stamp).ndjson\(gzip ? ".gz" : "")\"")
        if gzip {
            headers.set(name: "Content-Encoding", value: "gzip")
            headers.set(name: "Vary", value: "Accept-Encoding")
        }
        return .streaming(body, headers: headers)
    }
}

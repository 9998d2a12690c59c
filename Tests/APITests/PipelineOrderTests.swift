import Foundation
import HTTPServer
import Synchronization
import Testing

@testable import API

/// `RequestPipeline.swift` is the one place that says in which order every request is
/// handled: these tests hold the order it declares, the reasons some stages must come before
/// others, and that the responder runs the worker stages in exactly that order.
@Suite struct PipelineOrderTests {
    private static func names(_ stages: [Any]) -> [String] {
        stages.map { String(describing: type(of: $0)) }
    }

    private static let worker = names(RequestPipeline.workerStages)

    /// Where `stage` sits among the worker stages (outermost first).
    private func position(_ stage: String) throws -> Int {
        try #require(Self.worker.firstIndex(of: stage), "\(stage) is not a worker stage")
    }

    @Test func loopStagesRunInTheDeclaredOrder() {
        #expect(
            Self.names(RequestPipeline.loopStages) == [
                "OpenRouteStage", "ReadOnlyStage", "CachedCredentialStage", "FailureBudgetStage",
                "CachedAnswerStage",
            ])
    }

    @Test func workerStagesRunInTheDeclaredOrder() {
        #expect(
            Self.worker == [
                "ErrorRenderingStage", "StreamAdmissionStage", "DeadlineStage", "OpenHandlerStage",
                "RefusalAuditStage",
                "CredentialsPresentStage",
                "CacheInvalidationStage",
                "IdempotencyRaceStage", "GroupCommitStage", "ConnectionStage", "AuthenticationStage",
                "ReadCacheStage", "TransactionStage", "IdempotencyStage", "AuditAtCommitStage",
            ])
    }

    @Test func errorRenderingIsOutermostSoEveryErrorBecomesProblemJSON() throws {
        #expect(try position("ErrorRenderingStage") == 0)
    }

    @Test func groupCommitRunsBeforeAConnectionIsBorrowed() throws {
        // The group committer borrows one connection per batch; a request holding its own
        // while it waits for the batch would take two.
        #expect(try position("GroupCommitStage") < position("ConnectionStage"))
    }

    @Test func refusalAuditSitsOutsideTheConnectionAndItsTransaction() throws {
        // A refusal's audit row must survive the rollback of the refused request's work, and
        // it borrows a connection of its own once the request's went back to the pool.
        #expect(try position("RefusalAuditStage") < position("ConnectionStage"))
        #expect(try position("RefusalAuditStage") < position("TransactionStage"))
    }

    @Test func cacheInvalidationWrapsTheCommitAndTheGroupCommit() throws {
        // The caches are dropped after the COMMIT (group commit's too) and before the answer
        // goes out: a render stamped before the COMMIT can then never be served as current.
        let invalidation = try position("CacheInvalidationStage")
        #expect(try invalidation < position("GroupCommitStage"))
        #expect(try invalidation < position("ConnectionStage"))
        #expect(try invalidation < position("TransactionStage"))
    }

    @Test func callerIsAuthenticatedOnTheHeldConnectionBeforeAnyCachedReadOrTransaction() throws {
        #expect(try position("ConnectionStage") < position("AuthenticationStage"))
        #expect(try position("AuthenticationStage") < position("ReadCacheStage"))
        #expect(try position("AuthenticationStage") < position("TransactionStage"))
    }

    @Test func idempotencyAndTheWritesAuditRowAreInsideTheTransaction() throws {
        let transaction = try position("TransactionStage")
        #expect(try transaction < position("IdempotencyStage"))
        #expect(try transaction < position("AuditAtCommitStage"))
        // The loser of a key race is answered after its rollback, on a connection of its own.
        #expect(try position("IdempotencyRaceStage") < position("ConnectionStage"))
    }

    /// What the recording stages saw, in order.
    private final class Trace: Sendable {
        let lines = Mutex<[String]>([])
        func note(_ line: String) { lines.withLock { $0.append(line) } }
    }

    /// A stage that notes when the call reaches it and when it returns.
    private struct Recording: WorkerStage {
        let name: String
        let trace: Trace

        func handle(_ call: WorkerCall, next: WorkerStageNext) throws -> HTTPResponse {
            trace.note("\(name) in")
            defer { trace.note("\(name) out") }
            return try next(call)
        }
    }

    @Test func responderRunsTheWorkerStagesOutermostFirstAndTheHandlerLast() throws {
        let trace = Trace()
        let stages = ["first", "second", "third"].map { Recording(name: $0, trace: trace) }
        let chain = APIResponder.chain(stages) { _ in
            trace.note("handler")
            return HTTPResponse(status: 204)
        }
        let route = APIRoute(.get, "/probe", .open, .plain { _ in HTTPResponse() })
        let environment = InProcessAPI.environment(pool: InProcessAPI.poolToNowhere())
        let call = LoopCall(
            request: InProcessAPI.request(.get, "/probe"), route: route, environment: environment,
            now: environment.clock())
        #expect(try chain(WorkerCall(call)).status == 204)
        #expect(
            trace.lines.withLock { $0 } == [
                "first in", "second in", "third in", "handler", "third out", "second out", "first out",
            ])
    }
}

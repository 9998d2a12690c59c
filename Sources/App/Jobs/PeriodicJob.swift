import Foundation
import Log
import Threads

/// The scaffolding the background jobs share (SLA breach, heartbeat expiry, maintenance
/// windows, update-due reminders, auth-failure alerts): one thread of its own that runs a pass
/// every `interval`, and a pass that throws logged as `failureEvent` with its error, after which
/// the next pass tries again (the database may be away for a while).
///
/// ``stop()`` cuts the pause short and returns once the current pass, if any, has returned; a
/// pass that loops on its own checks ``isStopping``.
final class PeriodicJob: Sendable {
    private let thread: RepeatingThread
    private let logger: Logger
    private let failureEvent: String

    /// `name` names the thread (`top -H`, perf); `failureEvent` is the error logged when a pass
    /// throws.
    init(name: String, interval: TimeInterval, logger: Logger, failureEvent: String) {
        thread = RepeatingThread(name: name, pause: interval)
        self.logger = logger
        self.failureEvent = failureEvent
    }

    /// Starts running `pass` every interval on the job's thread; a second call does nothing.
    func start(_ pass: @escaping @Sendable () throws -> Void) {
        thread.start { [logger, failureEvent] in
            do {
                try pass()
            } catch {
                logger.error(failureEvent, ["error": .string("\(error)")])
            }
        }
    }

    /// Stops the thread and returns once its current pass, if any, has returned.
    func stop() { thread.stop() }

    /// True once ``stop()`` was called: a pass that loops in batches ends its loop.
    var isStopping: Bool { thread.isStopping }
}

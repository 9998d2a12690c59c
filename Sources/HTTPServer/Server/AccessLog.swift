import Log

/// One event loop's access log (SPEC §6: one JSON line per request): lines are built into
/// a reusable byte buffer and written together once per loop iteration, instead of one
/// `String` and one `write(2)` per request (issue 2: the per-line cost had nearly doubled
/// the server's CPU per `/healthz` request).
///
/// Lines stay whole and in answer order within the loop; a batch is cut before it would
/// pass `Logger.maxAtomicWriteBytes`, so on a pipe no other writer can split a line. The
/// loop flushes before it waits for events again, so no line waits for later traffic.
/// Owned and used by one loop thread only.
struct AccessLog {
    private let logger: Logger
    private let enabled: Bool
    private var buffer = LogBuffer(capacity: 2 * Logger.maxAtomicWriteBytes)
    private var timestamp = LogTimestamp()

    init(logger: Logger, enabled: Bool) {
        self.logger = logger
        self.enabled = enabled && logger.isEnabled(.info)
    }

    /// Adds the line for `completed`; writes earlier lines first if the batch would grow
    /// past one atomic write.
    mutating func record(_ completed: CompletedRequest) {
        guard enabled else { return }
        let start = buffer.count
        completed.appendLogLine(to: &buffer, timestamp: &timestamp)
        if start > 0 && buffer.count > Logger.maxAtomicWriteBytes {
            logger.write(buffer.bytes[..<start])
            buffer.removeFirst(start)
        }
    }

    /// Writes every pending line (end of a loop iteration, teardown).
    mutating func flush() {
        guard !buffer.isEmpty else { return }
        logger.write(buffer.bytes[...])
        buffer.removeAll()
    }
}

extension EventLoop {
    /// Reports a finished request to the access log and the observer.
    func record(_ completed: CompletedRequest) {
        accessLog.record(completed)
        context.observer?(completed)
    }
}

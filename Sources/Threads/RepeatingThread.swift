import Foundation

/// A thread of its own that runs a body again and again, a pause apart, until ``stop()``: the
/// scaffolding of the background work (the credential listener, the SLA breach job), which
/// differs only in its body and its pause.
///
/// ``stop()`` cuts a pause short and returns once the body has returned for the last time; a
/// body that loops on its own checks ``isStopping``. A stopped thread does not start again.
public final class RepeatingThread: @unchecked Sendable {
    private let name: String
    private let pause: TimeInterval
    /// Guards `state`; signalled by ``stop()`` to cut a pause short, and by the thread when done.
    private let condition = NSCondition()
    private var state = State.idle

    private enum State { case idle, running, stopping, stopped }

    /// `name` names the thread (seen in `top -H`, `/proc/PID/task/*/comm`, debuggers, perf;
    /// the kernel keeps its first 15 bytes); `pause` is the wait after each return of the body.
    public init(name: String, pause: TimeInterval) {
        self.name = name
        self.pause = pause
    }

    /// Starts running `body` on a new thread; a second call does nothing.
    public func start(_ body: @escaping @Sendable () -> Void) {
        condition.lock()
        defer { condition.unlock() }
        guard state == .idle else { return }
        state = .running
        let kernelName = Self.kernelName(name)
        let thread = Thread { [self] in
            Self.nameCurrentThread(kernelName)
            loop(body)
        }
        thread.name = name
        thread.start()
    }

    /// Gives the calling thread the kernel name `top -H` and /proc show. Foundation keeps
    /// `Thread.name` to itself on Linux, and `pthread_setname_np` is not visible to Swift;
    /// writing /proc/thread-self/comm does the same. Best effort: a thread without a name works
    /// just as well.
    static func nameCurrentThread(_ name: String) {
        let fd = open("/proc/thread-self/comm", O_WRONLY)
        guard fd >= 0 else { return }
        _ = name.withCString { write(fd, $0, strlen($0)) }
        close(fd)
    }

    /// `name` cut to the 15 bytes a Linux thread name holds, at a character boundary.
    static func kernelName(_ name: String) -> String {
        var kept = ""
        for character in name {
            guard kept.utf8.count + String(character).utf8.count <= 15 else { break }
            kept.append(character)
        }
        return kept
    }

    /// Asks the thread to end and waits until the body has returned; nothing to do when it is
    /// not running.
    public func stop() {
        condition.lock()
        defer { condition.unlock() }
        guard state == .running else { return }
        state = .stopping
        condition.broadcast()
        while state != .stopped { condition.wait() }
    }

    /// True once ``stop()`` was called: a body that loops on its own ends its loop.
    public var isStopping: Bool {
        condition.lock()
        defer { condition.unlock() }
        return state == .stopping
    }

    private func loop(_ body: @Sendable () -> Void) {
        while !isStopping {
            body()
            condition.lock()
            if state == .running { _ = condition.wait(until: Date().addingTimeInterval(pause)) }
            condition.unlock()
        }
        condition.lock()
        state = .stopped
        condition.broadcast()
        condition.unlock()
    }
}

import Foundation
import Synchronization
import Testing
import Threads

/// The threading kit: the primitives the server, the caches and the background jobs share.
@Suite struct ThreadsTests {
    @Test func aRepeatingThreadRunsItsBodyUntilStopAndStopWaitsForTheLastRun() {
        let runs = Atomic<Int>(0)
        let inBody = Atomic<Bool>(false)
        let thread = RepeatingThread(name: "test-repeat", pause: 0.001)
        thread.start {
            inBody.store(true, ordering: .sequentiallyConsistent)
            runs.add(1, ordering: .relaxed)
            Thread.sleep(forTimeInterval: 0.002)
            inBody.store(false, ordering: .sequentiallyConsistent)
        }
        let deadline = Date().addingTimeInterval(5)
        while runs.load(ordering: .relaxed) < 3 && Date() < deadline { Thread.sleep(forTimeInterval: 0.001) }
        thread.stop()
        #expect(runs.load(ordering: .relaxed) >= 3)
        let stillInBody = inBody.load(ordering: .sequentiallyConsistent)
        #expect(!stillInBody, "stop() returned while the body ran")
        let after = runs.load(ordering: .relaxed)
        Thread.sleep(forTimeInterval: 0.02)
        #expect(runs.load(ordering: .relaxed) == after, "the body ran after stop()")
    }

    @Test func aStopCutsALongPauseShort() {
        let thread = RepeatingThread(name: "test-pause", pause: 60)
        thread.start {}
        Thread.sleep(forTimeInterval: 0.01)
        let started = Date()
        thread.stop()
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test func readersAndWritersOfAReadWriteLockSeeEveryWrite() throws {
        let counter = ReadWriteLocked(0)
        let threads = try (0..<4).map { index in
            try PosixThread(name: "test-writer-\(index)") {
                for _ in 0..<1000 { counter.write { $0 += 1 } }
            }
        }
        for thread in threads { thread.join() }
        #expect(counter.read { $0 } == 4000)
    }

    @Test func aWakeUpBetweenTicketAndWaitIsNotLost() {
        let signal = ConditionSignal()
        let ticket = signal.ticket()
        signal.wake(all: true)
        let started = MonotonicClock.nanoseconds()
        signal.wait(since: ticket, timeoutNanoseconds: 5_000_000_000)
        #expect(MonotonicClock.nanoseconds() - started < 1_000_000_000)
    }

    @Test func aRepeatingThreadCarriesItsNameCutToFifteenBytesForTheKernel() {
        let thread = RepeatingThread(name: "threads-test-naming-1", pause: 0.01)
        let named = Atomic(false)
        thread.start {
            let mine = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
            if mine.trimmingCharacters(in: .newlines) == "threads-test-na" {
                named.store(true, ordering: .relaxed)
            }
        }
        let deadline = Date().addingTimeInterval(5)
        while !named.load(ordering: .relaxed) && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        thread.stop()
        let wasNamed = named.load(ordering: .relaxed)
        #expect(wasNamed)
    }

}

import Foundation
import Synchronization
import Testing

@testable import HTTPServer

/// The pooled zlib streams: reuse must never leak state from one body into the next.
@Suite struct GzipCompressorTests {
    func body(_ seed: Int, count: Int) -> [UInt8] {
        Array((0..<count).map { #"{"n":\#(($0 &* 7919 &+ seed) % 1000)}"# }.joined(separator: ",").utf8)
    }

    @Test func reusedStreamsGiveTheSameBytesAsFreshOnes() throws {
        let compressor = GzipCompressor(level: 1)
        let first = try #require(compressor.compress(body(1, count: 500)))
        _ = try #require(compressor.compress(body(2, count: 3000)))
        let again = try #require(compressor.compress(body(1, count: 500)))
        #expect(again == first)
        #expect(try GunzipForTests.inflate(first) == body(1, count: 500))
        let empty = try #require(compressor.compress([]))
        #expect(try GunzipForTests.inflate(empty).isEmpty)
    }

    @Test func compressesCorrectlyFromManyThreadsAtOnce() throws {
        let compressor = GzipCompressor(level: 1)
        let failures = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 32) { index in
            for round in 0..<20 {
                let input = body(index * 100 + round, count: 50 + index * 20)
                do {
                    let compressed = try #require(compressor.compress(input))
                    if try GunzipForTests.inflate(compressed) != input { failures.add(1, ordering: .relaxed) }
                } catch {
                    failures.add(1, ordering: .relaxed)
                }
            }
        }
        #expect(failures.load(ordering: .relaxed) == 0)
    }
}

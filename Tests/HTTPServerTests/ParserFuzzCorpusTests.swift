import Foundation
import HTTPServer
import TestSupport
import Testing

/// The fuzz target's checks (`HTTPParserFuzzing.check`: no crash, and the same outcome whether
/// the bytes come at once, in two pieces or one at a time) over the committed corpus, so every
/// input the fuzzer kept stays a regression test (scripts/reliability/fuzz.sh).
@Suite struct ParserFuzzCorpusTests {
    static let corpus = TestDatabase.repositoryRoot + "/scripts/reliability/corpus/http-parser"

    @Test func everyCorpusInputPassesTheFuzzChecks() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.corpus).sorted()
        #expect(names.count >= 5)
        for name in names {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.corpus + "/" + name)))
            bytes.withUnsafeBufferPointer { HTTPParserFuzzing.check($0) }
        }
    }

    @Test func theChecksHoldForEveryPrefixOfAValidExchange() {
        let exchange = Array(
            ("POST /e?x=%41 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;a=\"b\"\r\nhello\r\n0\r\n\r\n"
                + "GET /next HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi").utf8)
        for end in 0...exchange.count {
            Array(exchange[..<end]).withUnsafeBufferPointer { HTTPParserFuzzing.check($0) }
        }
    }
}

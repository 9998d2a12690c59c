import Foundation
import Log
import Testing

/// Log lines built into byte buffers: timestamps, escaping, numbers, whole lines.
@Suite struct LogBufferTests {
    @Test(arguments: [
        (0, 0, "1970-01-01T00:00:00.000Z"),
        (1_732_288_555, 123_456_789, "2024-11-22T15:15:55.123Z"),
        (951_782_400, 999_999_999, "2000-02-29T00:00:00.999Z"),
        (4_102_444_799, 7_000_000, "2099-12-31T23:59:59.007Z"),
    ])
    func formatsRFC3339UTCWithMilliseconds(seconds: Int, nanoseconds: Int, expected: String) {
        var stamp = LogTimestamp()
        var bytes: [UInt8] = []
        stamp.append(seconds: seconds, nanoseconds: nanoseconds, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == expected)
    }

    @Test func reformatsWhenTheSecondChanges() {
        var stamp = LogTimestamp()
        var bytes: [UInt8] = []
        stamp.append(seconds: 59, nanoseconds: 1_000_000, to: &bytes)
        stamp.append(seconds: 59, nanoseconds: 2_000_000, to: &bytes)
        stamp.append(seconds: 60, nanoseconds: 0, to: &bytes)
        #expect(
            String(decoding: bytes, as: UTF8.self)
                == "1970-01-01T00:00:59.001Z1970-01-01T00:00:59.002Z1970-01-01T00:01:00.000Z")
    }

    @Test func escapesEveryControlByteQuoteAndBackslash() throws {
        let text = String(decoding: (0..<0x20).map { UInt8($0) }, as: UTF8.self) + "\"\\/é🚨"
        var bytes: [UInt8] = []
        JSONBytes.appendString(text, to: &bytes)
        let decoded = try JSONDecoder().decode(String.self, from: Data(bytes))
        #expect(decoded == text)
        #expect(String(decoding: bytes, as: UTF8.self).hasPrefix(#""\u0000\u0001"#))
        #expect(String(decoding: bytes, as: UTF8.self).hasSuffix(#"\"\\/é🚨""#))
    }

    @Test(arguments: [0, 7, -5, 10, 1_234_567_890, Int.max, Int.min])
    func writesIntegersInDecimal(value: Int) {
        var bytes: [UInt8] = []
        JSONBytes.appendInt(value, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == String(value))
    }

    @Test func buildsAWholeParsableLine() throws {
        var stamp = LogTimestamp()
        var buffer = LogBuffer()
        buffer.begin(.info, "http.request", timestamp: &stamp)
        buffer.append("path", string: "/api/v1/\"x\"")
        buffer.append("status", int: 200)
        buffer.append("duration_ms", milliseconds: 12_345_678)
        buffer.append("fast_ms", milliseconds: 999)
        buffer.append("ok", bool: true)
        buffer.append("ratio", double: .nan)
        buffer.append("share", .double(0.5))
        buffer.end()
        let text = String(decoding: buffer.bytes, as: UTF8.self)
        #expect(text.hasSuffix("}\n"))
        #expect(text.contains(#""duration_ms":12.345,"fast_ms":0.000,"#))
        let object = try #require(
            JSONSerialization.jsonObject(with: Data(buffer.bytes)) as? [String: Any])
        #expect(object["event"] as? String == "http.request")
        #expect(object["level"] as? String == "info")
        #expect(object["path"] as? String == "/api/v1/\"x\"")
        #expect(object["status"] as? Int == 200)
        #expect(object["ratio"] is NSNull)
        #expect(object["share"] as? Double == 0.5)
        #expect((object["ts"] as? String)?.count == 24)
    }

    @Test func loggerWritesOneLinePerCallToItsDescriptor() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]) }
        let logger = Logger(minimumLevel: .info, fileDescriptor: fds[1])
        logger.debug("dropped")
        logger.info("first", ["n": 1, "s": "a\nb"])
        logger.error("second", ["flag": .bool(false)])
        close(fds[1])
        let lines = readAll(fds[0]).split(separator: UInt8(ascii: "\n"))
        #expect(lines.count == 2)
        let first = try #require(JSONSerialization.jsonObject(with: Data(lines[0])) as? [String: Any])
        #expect(first["event"] as? String == "first")
        #expect(first["s"] as? String == "a\nb")
        let second = try #require(JSONSerialization.jsonObject(with: Data(lines[1])) as? [String: Any])
        #expect(second["level"] as? String == "error")
        #expect(second["flag"] as? Bool == false)
    }

    func readAll(_ descriptor: Int32) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(descriptor, &chunk, chunk.count)
            if count <= 0 { return bytes }
            bytes.append(contentsOf: chunk[..<count])
        }
    }
}

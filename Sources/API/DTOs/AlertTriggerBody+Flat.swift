import HTTPServer

extension AlertTriggerBody {
    /// The body of the usual trigger — `Content-Type: application/json`, one flat object whose
    /// members are among `service`, `source`, `summary`, `severity` and `dedup_key`, each a
    /// string without escapes or null, each at most once — read in one pass over the bytes.
    /// Nil for anything else (another member, an escape, a number, a nested value, malformed
    /// JSON, another media type, an empty body): ``AlertsController`` then decodes it with
    /// `JSONDecoder`, which gives every error its usual answer. Foundation's decoder was an
    /// eighth of the instructions per ingested alert (docs/PERFORMANCE.md, "Performance:
    /// profile and cuts"); what this accepts, it reads exactly as `JSONDecoder` does.
    static func flat(_ request: HTTPRequest) -> AlertTriggerBody? {
        guard let contentType = request.headers["Content-Type"], contentType.utf8.count == 16,
            contentType.lowercased() == "application/json"
        else { return nil }
        return request.body.withUnsafeBufferPointer { bytes in
            var reader = FlatReader(bytes: bytes)
            return reader.read()
        }
    }
}

/// The reader behind ``AlertTriggerBody/flat(_:)``.
private struct FlatReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func read() -> AlertTriggerBody? {
        var service: String?, source: String?, summary: String?, severity: String?, dedupKey: String?
        var seen: UInt8 = 0
        skipWhitespace()
        guard take(UInt8(ascii: "{")) else { return nil }
        skipWhitespace()
        if !take(UInt8(ascii: "}")) {
            while true {
                guard let member = memberName(), seen & (1 << member) == 0 else { return nil }
                seen |= 1 << member
                skipWhitespace()
                guard take(UInt8(ascii: ":")) else { return nil }
                skipWhitespace()
                var value: String?
                if !take(literal: "null") {
                    guard let text = string() else { return nil }
                    value = text
                }
                switch member {
                case 0: service = value
                case 1: source = value
                case 2: summary = value
                case 3: severity = value
                default: dedupKey = value
                }
                skipWhitespace()
                if take(UInt8(ascii: "}")) { break }
                guard take(UInt8(ascii: ",")) else { return nil }
                skipWhitespace()
            }
        }
        skipWhitespace()
        guard index == bytes.count else { return nil }
        return AlertTriggerBody(
            service: service, source: source, summary: summary, severity: severity, dedupKey: dedupKey,
            details: nil, links: nil)
    }

    /// The slot of the member name at `index` (a quoted name without escapes), for the five
    /// this reader knows; nil for any other name.
    private mutating func memberName() -> Int? {
        for (slot, name) in Self.names.enumerated() where take(literal: name) { return slot }
        return nil
    }

    private static let names: [StaticString] = [
        #""service""#, #""source""#, #""summary""#, #""severity""#, #""dedup_key""#,
    ]

    /// A string without escapes or control characters, valid UTF-8; nil otherwise.
    private mutating func string() -> String? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = String(
                    validating: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return text
            }
            // RFC 8259 §7: control characters must be escaped; escapes go to JSONDecoder.
            if byte < 0x20 || byte == UInt8(ascii: "\\") { return nil }
            index += 1
        }
        return nil
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private mutating func take(literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - index >= count else { return false }
        for offset in 0..<count where bytes[index + offset] != literal.utf8Start[offset] { return false }
        index += count
        return true
    }
}

extension HTTPRequestParser {
    /// The header section is complete: decide how the body is framed (RFC 9112 §6.3) and
    /// refuse the ambiguous cases request smuggling relies on.
    mutating func finishHead(at next: Int) -> Step {
        var framing = FramingFields()
        for field in headers {
            if let error = framing.record(field) { return .fail(error) }
        }
        if let error = checkHost(framing) { return .fail(error) }
        let bodyLength: BodyLength
        switch framing.bodyLength(version: version, maxBodyBytes: limits.maxBodyBytes) {
        case .success(let length): bodyLength = length
        case .failure(let error): return .fail(error)
        }
        if let expectation = framing.expectation {
            // RFC 9110 §10.1.1: a 100-continue expectation in an HTTP/1.0 request MUST be
            // ignored; any other expectation MAY be answered with 417.
            if version == .http1_1 {
                guard HTTPHeaders.equalsIgnoringCase(expectation, "100-continue") else {
                    return .fail(.unsupportedExpectation)
                }
                expectsContinue = true
            }
        }
        switch bodyLength {
        case .none:
            return finishRequest(at: next)
        case .fixed(let length):
            body.reserveCapacity(min(length, 64 * 1024))
            state = .fixedBody(remaining: length)
        case .chunked:
            state = .chunkSize
        }
        return .stop(next, .headReceived(expectsContinue: expectsContinue))
    }

    /// RFC 9112 §3.2: 400 for an HTTP/1.1 request without Host, for several Host lines,
    /// and for a Host with an invalid value.
    func checkHost(_ framing: FramingFields) -> HTTPParseError? {
        if framing.hostCount > 1 { return .multipleHosts }
        guard let host = framing.host else { return version == .http1_1 ? .missingHost : nil }
        // uri-host [ ":" port ] (RFC 3986 §3.2.2): unreserved, pct-encoded, sub-delims, ':' and
        // the brackets of an IP literal. Empty is allowed (RFC 9112 §3.2).
        let valid = host.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"):
                return true
            default:
                return "-._~%!$&'()*+,;=:[]".utf8.contains(byte)
            }
        }
        return valid ? nil : .invalidHost
    }

    enum BodyLength: Equatable {
        case none
        case fixed(Int)
        case chunked
    }
}

/// The header fields that decide framing, collected in one pass over the headers.
struct FramingFields {
    var hostCount = 0
    var host: String?
    var contentLength: Int?
    var contentLengthError: HTTPParseError?
    var transferCodings: [Substring]?
    var expectation: String?

    /// The longest Content-Length accepted: 18 digits always fit in an `Int`.
    static let maxContentLengthDigits = 18

    /// Records one field line if it matters for framing.
    mutating func record(_ field: HTTPHeaders.Field) -> HTTPParseError? {
        let name = field.name
        if HTTPHeaders.equalsIgnoringCase(name, "Host") {
            hostCount += 1
            host = field.value
        } else if HTTPHeaders.equalsIgnoringCase(name, "Content-Length") {
            return recordContentLength(field.value)
        } else if HTTPHeaders.equalsIgnoringCase(name, "Transfer-Encoding") {
            let codings = field.value.split(separator: ",").map { $0.trimmingCharacters(in: " \t") }
            transferCodings = (transferCodings ?? []) + codings.filter { !$0.isEmpty }
        } else if HTTPHeaders.equalsIgnoringCase(name, "Expect") {
            expectation = field.value
        }
        return nil
    }

    /// RFC 9110 §8.6: `Content-Length = 1*DIGIT`. A list or repeated field of identical
    /// values (`42, 42`) is accepted as that value, as the RFC allows; differing values are
    /// refused. Leading signs, spaces inside, and more than 18 digits are refused.
    mutating func recordContentLength(_ value: String) -> HTTPParseError? {
        for element in value.split(separator: ",", omittingEmptySubsequences: false) {
            let digits = element.trimmingCharacters(in: " \t")
            guard !digits.isEmpty, digits.utf8.count <= Self.maxContentLengthDigits,
                digits.utf8.allSatisfy(ByteClass.isDigit), let length = Int(digits)
            else { return .invalidContentLength }
            if let contentLength, contentLength != length { return .conflictingContentLengths }
            contentLength = length
        }
        return nil
    }

    /// How the body is delimited (RFC 9112 §6.3), or why the request must be refused.
    func bodyLength(version: HTTPVersion, maxBodyBytes: Int) -> Result<
        HTTPRequestParser.BodyLength, HTTPParseError
    > {
        if let transferCodings {
            // RFC 9112 §6.1: Transfer-Encoding in HTTP/1.0 means faulty framing.
            if version == .http1_0 { return .failure(.transferEncodingInHTTP10) }
            // RFC 9112 §6.1: a server MAY reject a request with both; we always do.
            if contentLength != nil { return .failure(.contentLengthWithTransferEncoding) }
            // RFC 9112 §6.3 rule 4: chunked not final → 400 and close. §7.1: chunked only once.
            let chunkedCount = transferCodings.filter { $0.lowercased() == "chunked" }.count
            guard let last = transferCodings.last, last.lowercased() == "chunked", chunkedCount == 1 else {
                return .failure(.chunkedNotFinal)
            }
            // RFC 9112 §6.1: a transfer coding we do not understand → 501.
            if transferCodings.count > 1 { return .failure(.unsupportedTransferCoding) }
            return .success(.chunked)
        }
        guard let contentLength, contentLength > 0 else { return .success(.none) }
        // RFC 9110 §15.5.14: refuse with 413 before reading a body we would not accept.
        if contentLength > maxBodyBytes { return .failure(.bodyTooLarge) }
        return .success(.fixed(contentLength))
    }
}

extension Substring {
    /// The substring without leading and trailing characters from `set`.
    func trimmingCharacters(in set: String) -> Substring {
        var slice = self
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return slice
    }
}

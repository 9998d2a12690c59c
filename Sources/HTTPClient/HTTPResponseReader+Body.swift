/// Body framing, RFC 9112 §6.3 and §7.1.
extension HTTPResponseReader {
    mutating func readBody(headers: [(name: String, value: String)]) throws(HTTPClientError) -> [UInt8] {
        let encodings = headers.filter { $0.name.lowercased() == "transfer-encoding" }
            .flatMap { $0.value.lowercased().split(separator: ",") }
            .map { $0.trimmingWhitespace() }
        // §6.3 rule 3: Transfer-Encoding overrides Content-Length; chunked last means chunked,
        // any other final coding means the body runs to the end of the connection.
        if !encodings.isEmpty {
            return encodings.last == "chunked" ? try readChunked() : try readToEnd()
        }
        let lengths = headers.filter { $0.name.lowercased() == "content-length" }
            .flatMap { $0.value.split(separator: ",", omittingEmptySubsequences: false) }
            .map { $0.trimmingWhitespace() }
        guard let first = lengths.first else { return try readToEnd() }
        // §6.3 rule 5: differing or invalid Content-Length values are unrecoverable.
        guard lengths.allSatisfy({ $0 == first }), !first.isEmpty, first.count <= 18,
            first.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let length = Int(first)
        else {
            throw HTTPClientError(
                .protocolViolation, "invalid Content-Length '\(lengths.joined(separator: ","))'")
        }
        guard length <= maxBodyBytes else { throw tooLarge("Content-Length \(length)") }
        return try readExactly(length)
    }

    private func tooLarge(_ what: String) -> HTTPClientError {
        HTTPClientError(.responseTooLarge, "\(what) is over the \(maxBodyBytes)-byte response limit")
    }

    private mutating func readExactly(_ length: Int) throws(HTTPClientError) -> [UInt8] {
        while buffer.count - position < length {
            guard try fill() else {
                throw HTTPClientError(
                    .connect, "the connection closed after \(buffer.count - position) of \(length) body bytes"
                )
            }
        }
        let body = Array(buffer[position..<(position + length)])
        position += length
        return body
    }

    private mutating func readToEnd() throws(HTTPClientError) -> [UInt8] {
        endedByClose = true
        while try fill() {
            if buffer.count - position > maxBodyBytes { throw tooLarge("the body") }
        }
        if buffer.count - position > maxBodyBytes { throw tooLarge("the body") }
        let body = Array(buffer[position...])
        position = buffer.count
        return body
    }

    /// §7.1: `size[;ext]` lines, data and CRLF, a zero-size last chunk, trailers, empty line.
    private mutating func readChunked() throws(HTTPClientError) -> [UInt8] {
        var body: [UInt8] = []
        while true {
            guard let line = try readLine(headLimit: false) else {
                throw HTTPClientError(.connect, "the connection closed before the last chunk")
            }
            let size = try Self.chunkSize(line)
            if size == 0 { break }
            guard body.count + size <= maxBodyBytes else { throw tooLarge("the chunked body") }
            body += try readExactly(size)
            guard let end = try readLine(headLimit: false), end.isEmpty else {
                throw HTTPClientError(.protocolViolation, "chunk data not followed by CRLF")
            }
        }
        headBytes = 0
        while true {  // trailer fields are read and dropped
            guard let trailer = try readLine(headLimit: true) else {
                throw HTTPClientError(.connect, "the connection closed in the chunked trailer")
            }
            if trailer.isEmpty { return body }
        }
    }

    /// The hexadecimal size at the start of a chunk line, extensions ignored.
    static func chunkSize(_ line: [UInt8]) throws(HTTPClientError) -> Int {
        let digits = line.prefix { byte in
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
        }
        let rest = line[digits.count...].drop { $0 == 0x20 || $0 == 0x09 }
        // 15 hex digits stay far below Int.max; anything longer is no real chunk.
        guard !digits.isEmpty, digits.count <= 15, rest.isEmpty || rest.first == UInt8(ascii: ";"),
            let size = Int(String(decoding: digits, as: UTF8.self), radix: 16)
        else {
            throw HTTPClientError(
                .protocolViolation,
                "malformed chunk size line '\(String(decoding: line.prefix(40), as: UTF8.self))'")
        }
        return size
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (RFC 9110 OWS).
    func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }
}

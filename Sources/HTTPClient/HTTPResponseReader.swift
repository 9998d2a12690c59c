/// Reads one HTTP/1.x response from a byte source (RFC 9112): status line, headers, and the
/// body framed by chunked encoding, Content-Length or the end of the connection.
///
/// The source is a closure so the framing rules are tested from byte strings, without sockets.
struct HTTPResponseReader {
    /// Returns the next bytes from the connection, or an empty array at its end.
    typealias Source = () throws(HTTPClientError) -> [UInt8]

    let maxBodyBytes: Int
    let source: Source
    var buffer: [UInt8] = []
    var position = 0
    /// Head (or trailer) bytes read so far, against `HTTPClientLimits.maxHeadBytes`.
    var headBytes = 0
    /// Bytes the source has given so far (a kept-alive connection that fails before any came
    /// may be retried on a new one).
    var bytesReceived = 0
    /// The final response was HTTP/1.0 (its connection closes unless it says keep-alive).
    var isHTTP10 = false
    /// The body ran to the end of the connection.
    var endedByClose = false

    /// Whether the response was read to its exact end with nothing after it: the connection
    /// could carry another request.
    var isAtMessageEnd: Bool { !endedByClose && position == buffer.count }

    init(maxBodyBytes: Int, source: @escaping Source) {
        self.maxBodyBytes = maxBodyBytes
        self.source = source
    }

    /// The final response to a request sent with `method`; interim 1xx responses are skipped.
    mutating func readResponse(method: String) throws(HTTPClientError) -> HTTPClientResponse {
        while true {
            let (status, headers) = try readHead()
            // RFC 9110 §15.2: 1xx responses are interim; the final one follows. We never ask
            // to switch protocols, so 101 is not something we can go on from.
            if status == 101 {
                throw HTTPClientError(.protocolViolation, "unexpected 101 Switching Protocols")
            }
            if (100...199).contains(status) { continue }
            var response = HTTPClientResponse(status: status, headers: headers, body: [])
            // RFC 9112 §6.3 rule 1: HEAD, 204 and 304 responses have no body.
            if method.uppercased() == "HEAD" || status == 204 || status == 304 { return response }
            response.body = try readBody(headers: headers)
            return response
        }
    }

    private mutating func readHead() throws(HTTPClientError) -> (Int, [(name: String, value: String)]) {
        headBytes = 0
        guard let statusLine = try readLine(headLimit: true) else {
            throw HTTPClientError(.connect, "the connection closed before a response came")
        }
        let status = try Self.parseStatusLine(statusLine)
        isHTTP10 = statusLine[7] == UInt8(ascii: "0")
        var headers: [(name: String, value: String)] = []
        while true {
            guard let line = try readLine(headLimit: true) else {
                throw HTTPClientError(.connect, "the connection closed in the middle of the response headers")
            }
            if line.isEmpty { return (status, headers) }
            guard headers.count < HTTPClientLimits.maxHeaderCount else {
                throw HTTPClientError(
                    .protocolViolation, "more than \(HTTPClientLimits.maxHeaderCount) header lines")
            }
            headers.append(try Self.parseHeader(line))
        }
    }

    /// `HTTP/1.1 200 OK` → 200.
    static func parseStatusLine(_ line: [UInt8]) throws(HTTPClientError) -> Int {
        let text = String(decoding: line, as: UTF8.self)
        let prefix = Array("HTTP/1.".utf8)
        guard line.count >= 12, Array(line[0..<7]) == prefix,
            line[7] == UInt8(ascii: "0") || line[7] == UInt8(ascii: "1"),
            line[8] == UInt8(ascii: " "),
            line[9..<12].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            line.count == 12 || line[12] == UInt8(ascii: " ")
        else { throw HTTPClientError(.protocolViolation, "malformed status line '\(text.prefix(80))'") }
        let status = Int(String(decoding: line[9..<12], as: UTF8.self))!  // three ASCII digits, checked above
        guard (100...599).contains(status) else {
            throw HTTPClientError(.protocolViolation, "status \(status) is out of range")
        }
        return status
    }

    /// `Name: value` with the value's surrounding whitespace trimmed.
    static func parseHeader(_ line: [UInt8]) throws(HTTPClientError) -> (name: String, value: String) {
        // RFC 9112 §5.2: obsolete line folding; §5.1: no whitespace between name and colon.
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0,
            line[0] != UInt8(ascii: " ") && line[0] != UInt8(ascii: "\t"),
            line[colon - 1] != UInt8(ascii: " ") && line[colon - 1] != UInt8(ascii: "\t")
        else {
            throw HTTPClientError(
                .protocolViolation,
                "malformed header line '\(String(decoding: line.prefix(80), as: UTF8.self))'")
        }
        let name = String(decoding: line[..<colon], as: UTF8.self)
        guard HTTPRequestWriter.isToken(name) else {
            throw HTTPClientError(.protocolViolation, "header name '\(name.prefix(80))' is not a token")
        }
        var value = line[(colon + 1)...]
        while let first = value.first, first == 0x20 || first == 0x09 { value.removeFirst() }
        while let last = value.last, last == 0x20 || last == 0x09 { value.removeLast() }
        return (name, String(decoding: value, as: UTF8.self))
    }

    /// The next line without its LF (and CR; RFC 9112 §2.2 lets a recipient accept a bare
    /// LF), or nil when the source ends before any byte of it.
    mutating func readLine(headLimit: Bool) throws(HTTPClientError) -> [UInt8]? {
        // Offset from `position` already searched; `fill` may move the buffer's start.
        var searched = 0
        while true {
            if let newline = buffer[(position + searched)...].firstIndex(of: 0x0a) {
                var line = Array(buffer[position..<newline])
                if line.last == 0x0d { line.removeLast() }
                if headLimit { headBytes += newline + 1 - position }
                position = newline + 1
                return line
            }
            searched = buffer.count - position
            if headLimit && headBytes + (buffer.count - position) > HTTPClientLimits.maxHeadBytes {
                throw HTTPClientError(
                    .protocolViolation, "response head larger than \(HTTPClientLimits.maxHeadBytes) bytes")
            }
            if !(try fill()) {
                if position == buffer.count { return nil }
                throw HTTPClientError(.connect, "the connection closed in the middle of a line")
            }
        }
    }

    /// Reads more bytes into the buffer; false at the end of the source.
    mutating func fill() throws(HTTPClientError) -> Bool {
        let more = try source()
        if more.isEmpty { return false }
        bytesReceived += more.count
        if position > 64 * 1024 {
            buffer.removeFirst(position)
            position = 0
        }
        buffer.append(contentsOf: more)
        return true
    }
}

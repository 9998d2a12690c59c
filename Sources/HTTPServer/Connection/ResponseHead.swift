/// How a response ends its connection, which decides its `Connection` header (RFC 9112 §9.6).
enum ConnectionDisposition {
    /// HTTP/1.1 persistence is the default: no header.
    case keepAlive
    /// An HTTP/1.0 client asked for keep-alive: echo `Connection: keep-alive`.
    case keepAliveHTTP10
    /// `Connection: close`, then the server closes.
    case close
}

/// Serializes response heads and bodies into an outbound buffer.
enum ResponseHead {
    /// Header names the server writes itself; a handler's values for them are dropped so
    /// framing can never be contradicted (RFC 9112 §6.3).
    static func isServerOwned(_ name: String) -> Bool {
        let utf8 = name.utf8
        switch utf8.count {
        case 4: return HTTPHeaders.equalsIgnoringCase(utf8, "date".utf8)
        case 6: return HTTPHeaders.equalsIgnoringCase(utf8, "server".utf8)
        case 10: return HTTPHeaders.equalsIgnoringCase(utf8, "connection".utf8)
        case 12: return HTTPHeaders.equalsIgnoringCase(utf8, "x-request-id".utf8)
        case 14: return HTTPHeaders.equalsIgnoringCase(utf8, "content-length".utf8)
        case 17: return HTTPHeaders.equalsIgnoringCase(utf8, "transfer-encoding".utf8)
        default: return false
        }
    }

    /// Appends the whole response. `headRequest`: send the headers a GET would get, no body
    /// (RFC 9110 §9.3.2). 1xx, 204 and 304 carry neither body nor Content-Length
    /// (RFC 9110 §8.6, §15.4.5).
    static func write(
        _ response: HTTPResponse, headRequest: Bool, disposition: ConnectionDisposition, requestID: String,
        dateLine: [UInt8], into output: inout OutboundBuffer
    ) {
        output.append(statusLine(response.status))
        output.append(dateLine)
        output.append(serverLine)
        let bodyless = response.status < 200 || response.status == 204 || response.status == 304
        if !bodyless {
            output.append(contentLengthPrefix)
            output.appendDecimal(response.body.count)
            output.append(crlf)
        }
        switch disposition {
        case .keepAlive: break
        case .keepAliveHTTP10: output.append(keepAliveLine)
        case .close: output.append(closeLine)
        }
        if !requestID.isEmpty {
            output.append(requestIDPrefix)
            output.append(requestID.utf8)
            output.append(crlf)
        }
        for field in response.headers where !isServerOwned(field.name) {
            output.append(field.name.utf8)
            output.append(colonSpace)
            output.append(field.value.utf8)
            output.append(crlf)
        }
        output.append(crlf)
        if !headRequest && !bodyless { output.appendBody(response.body) }
    }

    /// The head of a streamed response (``HTTPStreamBody``): no `Content-Length`; the body is
    /// chunked (HTTP/1.1) or ends with the connection (HTTP/1.0), which closes afterwards.
    static func writeStreamHead(
        _ response: HTTPResponse, chunked: Bool, requestID: String, dateLine: [UInt8],
        into output: inout OutboundBuffer
    ) {
        output.append(statusLine(response.status))
        output.append(dateLine)
        output.append(serverLine)
        if chunked { output.append(chunkedLine) }
        output.append(closeLine)
        if !requestID.isEmpty {
            output.append(requestIDPrefix)
            output.append(requestID.utf8)
            output.append(crlf)
        }
        for field in response.headers where !isServerOwned(field.name) {
            output.append(field.name.utf8)
            output.append(colonSpace)
            output.append(field.value.utf8)
            output.append(crlf)
        }
        output.append(crlf)
    }

    /// `HTTP/1.1 200 OK\r\n`; we answer every request as HTTP/1.1 (RFC 9110 §6.2).
    static func statusLine(_ status: Int) -> [UInt8] {
        switch status {
        case 200: return ok
        case 201: return created
        case 202: return accepted
        case 304: return notModified
        default: return renderedStatusLine(status)
        }
    }

    static func renderedStatusLine(_ status: Int) -> [UInt8] {
        Array("HTTP/1.1 \(status) \(HTTPStatus.reasonPhrase(status))\r\n".utf8)
    }

    // The hot statuses, rendered once: ingest answers 201/202, a cached poll 304.
    static let ok = Array("HTTP/1.1 200 OK\r\n".utf8)
    static let created = renderedStatusLine(201)
    static let accepted = renderedStatusLine(202)
    static let notModified = renderedStatusLine(304)
    static let serverLine = Array("Server: incidentd\r\n".utf8)
    static let contentLengthPrefix = Array("Content-Length: ".utf8)
    static let keepAliveLine = Array("Connection: keep-alive\r\n".utf8)
    static let chunkedLine = Array("Transfer-Encoding: chunked\r\n".utf8)
    static let closeLine = Array("Connection: close\r\n".utf8)
    static let requestIDPrefix = Array("X-Request-ID: ".utf8)
    static let colonSpace = Array(": ".utf8)
    static let crlf = Array("\r\n".utf8)
    /// The interim response to `Expect: 100-continue` (RFC 9110 §15.2.1).
    static let continueResponse = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)
}

#if canImport(Glibc)
    import Glibc
#endif

/// Incremental HTTP/1.x request parser (RFC 9112): bytes in, events out; no I/O, no clock.
///
/// `parse(_:)` consumes what it can and reports how much; the caller keeps the rest and
/// passes it again with the next bytes. Lines are consumed only when complete, so a partial
/// line is found again with one `memchr` next time. After `.complete` the parser is ready for
/// the next pipelined request; after `.failed` it stays failed.
struct HTTPRequestParser {
    /// What the bytes so far amount to.
    enum Event {
        /// Everything given was consumed (or kept for later); send more.
        case needMore
        /// The header section is complete and valid and a body follows. `expectsContinue`:
        /// the client sent `Expect: 100-continue` and waits for `100 Continue`.
        case headReceived(expectsContinue: Bool)
        /// A whole request. `remoteAddress` and `requestID` are left for the connection to set.
        case complete(HTTPRequest)
        /// The request is refused; answer `error.status` and close.
        case failed(HTTPParseError)
    }

    enum State: Equatable {
        case requestLine
        case headers
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        case failed(HTTPParseError)
    }

    /// RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request line.
    static let maxLeadingEmptyLines = 4

    let limits: HTTPLimits
    var state: State = .requestLine
    /// Whether any byte of the current request was consumed (the caller may hold more).
    private(set) var hasConsumedPartialRequest = false

    // The request under construction.
    var method = HTTPMethod.get
    var target = ""
    var path = ""
    var query = QueryParameters()
    var version = HTTPVersion.http1_1
    var headers = HTTPHeaders()
    var body: [UInt8] = []
    var headerBytes = 0
    var leadingEmptyLines = 0
    var expectsContinue = false

    init(limits: HTTPLimits) {
        self.limits = limits
    }

    /// Whether the header section is done and body bytes are awaited.
    var isReadingBody: Bool {
        switch state {
        case .fixedBody, .chunkSize, .chunkData, .chunkDataEnd, .trailers: true
        default: false
        }
    }

    /// Parses as much of `input` as possible.
    mutating func parse(_ input: UnsafeBufferPointer<UInt8>) -> (consumed: Int, event: Event) {
        var offset = 0
        while true {
            let step: Step
            switch state {
            case .requestLine: step = parseRequestLineStep(input, at: offset)
            case .headers: step = parseHeaderStep(input, at: offset)
            case .fixedBody(let remaining): step = parseFixedBody(input, at: offset, remaining: remaining)
            case .chunkSize: step = parseChunkSizeStep(input, at: offset)
            case .chunkData(let remaining): step = parseChunkData(input, at: offset, remaining: remaining)
            case .chunkDataEnd: step = parseChunkDataEnd(input, at: offset)
            case .trailers: step = parseTrailerStep(input, at: offset)
            case .failed(let error): return (offset, .failed(error))
            }
            switch step {
            case .advance(let next):
                if next > offset { hasConsumedPartialRequest = true }
                offset = next
            case .stop(let next, let event):
                if next > offset { hasConsumedPartialRequest = true }
                if case .complete = event { hasConsumedPartialRequest = false }
                return (next, event)
            case .fail(let error):
                state = .failed(error)
                return (offset, .failed(error))
            }
        }
    }

    /// One transition of `parse(_:)`.
    enum Step {
        /// Consumed up to the offset; keep going.
        case advance(Int)
        /// Consumed up to the offset; report the event.
        case stop(Int, Event)
        case fail(HTTPParseError)
    }

    /// A complete line `[start, end)` without its CRLF, and where the next line starts.
    enum Line {
        case complete(start: Int, end: Int, next: Int)
        case incomplete
        case bareLineFeed
    }

    /// Finds the line starting at `offset` (RFC 9112 §2.2: lines end in CRLF; a bare LF is refused).
    func nextLine(_ input: UnsafeBufferPointer<UInt8>, at offset: Int) -> Line {
        guard offset < input.count, let base = input.baseAddress else { return .incomplete }
        guard let found = memchr(base + offset, 0x0A, input.count - offset) else { return .incomplete }
        let lineFeed = UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - base
        guard lineFeed > offset, input[lineFeed - 1] == 0x0D else { return .bareLineFeed }
        return .complete(start: offset, end: lineFeed - 1, next: lineFeed + 1)
    }

    /// Assembles the finished request and resets for the next one on the connection.
    mutating func finishRequest(at offset: Int) -> Step {
        let request = HTTPRequest(
            method: method, target: target, path: path, query: query, version: version,
            headers: headers, body: body)
        state = .requestLine
        headers = HTTPHeaders()
        body = []
        query = QueryParameters()
        headerBytes = 0
        leadingEmptyLines = 0
        expectsContinue = false
        return .stop(offset, .complete(request))
    }
}

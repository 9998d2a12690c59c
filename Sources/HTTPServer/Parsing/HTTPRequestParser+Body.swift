extension HTTPRequestParser {
    /// Copies up to `remaining` body bytes (RFC 9112 §6.2, Content-Length framing).
    mutating func parseFixedBody(_ input: UnsafeBufferPointer<UInt8>, at offset: Int, remaining: Int) -> Step
    {
        let count = min(remaining, input.count - offset)
        body.append(contentsOf: UnsafeBufferPointer(rebasing: input[offset..<(offset + count)]))
        if count == remaining { return finishRequest(at: offset + count) }
        state = .fixedBody(remaining: remaining - count)
        return .stop(offset + count, .needMore)
    }

    /// `chunk-size [ chunk-ext ] CRLF` (RFC 9112 §7.1); extensions are checked, then ignored (§7.1.1).
    mutating func parseChunkSizeStep(_ input: UnsafeBufferPointer<UInt8>, at offset: Int) -> Step {
        switch nextLine(input, at: offset) {
        case .incomplete:
            if input.count - offset > limits.maxChunkLineBytes { return .fail(.invalidChunkSize) }
            return .stop(offset, .needMore)
        case .bareLineFeed:
            return .fail(.invalidChunkSize)
        case .complete(let start, let end, let next):
            if next - start > limits.maxChunkLineBytes { return .fail(.invalidChunkSize) }
            guard let size = Self.parseChunkSize(UnsafeBufferPointer(rebasing: input[start..<end])) else {
                return .fail(.invalidChunkSize)
            }
            if size == 0 {
                headerBytes = 0
                state = .trailers
                return .advance(next)
            }
            if size > limits.maxBodyBytes - body.count { return .fail(.bodyTooLarge) }
            state = .chunkData(remaining: size)
            return .advance(next)
        }
    }

    /// Copies chunk data.
    mutating func parseChunkData(_ input: UnsafeBufferPointer<UInt8>, at offset: Int, remaining: Int) -> Step
    {
        let count = min(remaining, input.count - offset)
        body.append(contentsOf: UnsafeBufferPointer(rebasing: input[offset..<(offset + count)]))
        state = count == remaining ? .chunkDataEnd : .chunkData(remaining: remaining - count)
        return count == remaining ? .advance(offset + count) : .stop(offset + count, .needMore)
    }

    /// The CRLF after chunk data (RFC 9112 §7.1).
    mutating func parseChunkDataEnd(_ input: UnsafeBufferPointer<UInt8>, at offset: Int) -> Step {
        let available = input.count - offset
        if available >= 1 && input[offset] != 0x0D { return .fail(.invalidChunkTerminator) }
        if available < 2 { return .stop(offset, .needMore) }
        guard input[offset + 1] == 0x0A else { return .fail(.invalidChunkTerminator) }
        state = .chunkSize
        return .advance(offset + 2)
    }

    /// `trailer-section CRLF` (RFC 9112 §7.1.2): validated like header fields, then dropped
    /// (a server MUST NOT merge trailers into the header section unless it knows them safe).
    mutating func parseTrailerStep(_ input: UnsafeBufferPointer<UInt8>, at offset: Int) -> Step {
        switch nextLine(input, at: offset) {
        case .incomplete:
            if headerBytes + (input.count - offset) > limits.maxHeaderBytes { return .fail(.headersTooLarge) }
            return .stop(offset, .needMore)
        case .bareLineFeed:
            return .fail(.invalidLineEnding)
        case .complete(let start, let end, let next):
            if start == end { return finishRequest(at: next) }
            headerBytes += next - start
            if headerBytes > limits.maxHeaderBytes { return .fail(.headersTooLarge) }
            if case .failure(let error) = Self.parseFieldLine(
                UnsafeBufferPointer(rebasing: input[start..<end]))
            {
                return .fail(error)
            }
            return .advance(next)
        }
    }
}

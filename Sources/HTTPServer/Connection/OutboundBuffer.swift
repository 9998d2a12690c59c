import CEpoll

#if canImport(Glibc)
    import Glibc
#endif

/// Bytes waiting to be written to one socket: small pieces are copied into a reusable
/// buffer, large bodies are queued as they are and written with the same `sendmsg`
/// (scatter/gather), so nothing big is copied twice.
struct OutboundBuffer {
    /// Bodies at least this large are queued by reference instead of copied.
    static let largeBodyBytes = 16 * 1024
    /// Capacity kept between responses; a larger buffer is released once drained so idle
    /// connections stay small.
    static let retainedCapacity = 4 * 1024

    private var chunks: [[UInt8]] = []
    private var sentInFirst = 0
    private(set) var pendingBytes = 0

    var isEmpty: Bool { pendingBytes == 0 }

    mutating func append(_ bytes: [UInt8]) {
        appendSmall(bytes)
    }

    mutating func append(_ bytes: String.UTF8View) {
        appendSmall(bytes)
    }

    mutating func appendBody(_ body: [UInt8]) {
        if body.count >= Self.largeBodyBytes {
            chunks.append(body)
            chunks.append([])
            pendingBytes += body.count
        } else {
            appendSmall(body)
        }
    }

    /// Appends `value` in decimal without creating a String.
    mutating func appendDecimal(_ value: Int) {
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            var remaining = max(0, value)
            var index = buffer.count
            repeat {
                index -= 1
                buffer[index] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
            } while remaining > 0
            appendSmall(UnsafeRawBufferPointer(rebasing: buffer[index...]))
        }
    }

    private mutating func appendSmall<Bytes: Sequence<UInt8>>(_ bytes: Bytes) {
        if chunks.isEmpty { chunks.append([]) }
        let before = chunks[chunks.count - 1].count
        chunks[chunks.count - 1].append(contentsOf: bytes)
        pendingBytes += chunks[chunks.count - 1].count - before
    }

    /// Writes as much as the socket takes. Returns the bytes written, or the errno of a
    /// failure other than `EAGAIN` (which is 0 bytes written).
    mutating func flush(to socket: Int32) -> Result<Int, SocketError> {
        var total = 0
        while pendingBytes > 0 {
            let written = sendPending(socket)
            if written < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { break }
                return .failure(SocketError(operation: "sendmsg"))
            }
            total += written
            consume(written)
        }
        return .success(total)
    }

    /// One `send` (one piece) or `sendmsg` (up to 16 pieces), with MSG_NOSIGNAL so a
    /// closed peer gives EPIPE, not SIGPIPE.
    private func sendPending(_ socket: Int32) -> Int {
        if chunks.count == 1 || (chunks.count == 2 && chunks[1].isEmpty) {
            let skip = sentInFirst
            return chunks[0].withUnsafeBytes { bytes in
                send(socket, bytes.baseAddress! + skip, bytes.count - skip, Int32(MSG_NOSIGNAL))
            }
        }
        var vectors: [iovec] = []
        vectors.reserveCapacity(16)
        for (index, chunk) in chunks.enumerated() where vectors.count < 16 {
            let skip = index == 0 ? sentInFirst : 0
            guard chunk.count > skip else { continue }
            // The arrays stay alive in `chunks` for the duration of the call below.
            chunk.withUnsafeBytes { bytes in
                vectors.append(
                    iovec(
                        iov_base: UnsafeMutableRawPointer(mutating: bytes.baseAddress! + skip),
                        iov_len: bytes.count - skip))
            }
        }
        return withExtendedLifetime(chunks) {
            vectors.withUnsafeMutableBufferPointer { vectorBuffer in
                var message = msghdr()
                message.msg_iov = vectorBuffer.baseAddress
                message.msg_iovlen = vectorBuffer.count
                return sendmsg(socket, &message, Int32(MSG_NOSIGNAL))
            }
        }
    }

    /// The first unsent piece, for a writer that takes one buffer at a time (TLS). Retried
    /// after a partial or refused write it starts at the same byte, as OpenSSL requires.
    func withFirstPendingBytes<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        for (index, chunk) in chunks.enumerated() {
            let skip = index == 0 ? sentInFirst : 0
            guard chunk.count > skip else { continue }
            return chunk.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[skip...])) }
        }
        return body(UnsafeRawBufferPointer(start: nil, count: 0))
    }

    /// Drops `count` written bytes from the front.
    mutating func consume(_ count: Int) {
        pendingBytes -= count
        var remaining = count
        while !chunks.isEmpty {
            let available = chunks[0].count - sentInFirst
            if remaining < available {
                sentInFirst += remaining
                return
            }
            remaining -= available
            sentInFirst = 0
            if chunks.count == 1 {
                resetRetainingCapacity()
                return
            }
            chunks.removeFirst()
        }
    }

    /// Empties the buffer, keeping a small allocation for the next response.
    private mutating func resetRetainingCapacity() {
        sentInFirst = 0
        if chunks.count == 1 && chunks[0].capacity <= Self.retainedCapacity {
            chunks[0].removeAll(keepingCapacity: true)
        } else {
            chunks = []
        }
    }
}

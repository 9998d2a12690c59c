import CZlib

/// gzip (RFC 1952) output produced piece by piece, for a streamed body that is never whole in
/// memory (an export): ``compress(_:)`` returns what zlib has ready, ``finish()`` the rest and
/// the trailer. One per stream, used by one thread (hence `@unchecked Sendable`).
public final class GzipStream: @unchecked Sendable {
    private let stream: UnsafeMutablePointer<z_stream>
    private var finished = false

    /// nil when zlib cannot allocate its state.
    public init?(level: Int32 = 6) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
        let status = deflateInit2_(
            stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
            Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deallocate()
            return nil
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
    }

    /// Compresses `input`; returns the output zlib has ready (often none: it buffers).
    public func compress(_ input: [UInt8]) -> [UInt8] { run(input, flush: Z_NO_FLUSH) }

    /// The last output and the gzip trailer; the stream takes nothing more afterwards.
    public func finish() -> [UInt8] {
        guard !finished else { return [] }
        finished = true
        return run([], flush: Z_FINISH)
    }

    private func run(_ input: [UInt8], flush: Int32) -> [UInt8] {
        var output: [UInt8] = []
        var piece = [UInt8](repeating: 0, count: 32 * 1024)
        input.withUnsafeBufferPointer { source in
            // zlib's next_in is not const, but deflate never writes through it.
            stream.pointee.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.pointee.avail_in = uInt(source.count)
            while true {
                let status = piece.withUnsafeMutableBufferPointer { buffer -> Int32 in
                    stream.pointee.next_out = buffer.baseAddress
                    stream.pointee.avail_out = uInt(buffer.count)
                    return deflate(stream, flush)
                }
                let produced = piece.count - Int(stream.pointee.avail_out)
                output.append(contentsOf: piece[0..<produced])
                // Done when zlib left room in the piece (it had nothing more) or ended the stream.
                if status == Z_STREAM_END || status < 0 || (stream.pointee.avail_out > 0 && flush != Z_FINISH)
                {
                    break
                }
            }
            stream.pointee.next_in = nil
            stream.pointee.next_out = nil
        }
        return output
    }
}

extension HTTPRequest {
    /// Whether the client accepts a gzip-coded response (`Accept-Encoding`, RFC 9110 §12.5.3).
    public var acceptsGzip: Bool { AcceptEncoding.acceptsGzip(headers.values(for: "Accept-Encoding")) }
}

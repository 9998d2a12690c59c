import CZlib

/// One zlib deflate stream set up for gzip (RFC 1952) output, reusable across bodies.
///
/// Creating a stream allocates about 256 KiB of zlib state; with glibc, freeing it again
/// usually hands the memory back to the kernel, so a fresh stream per response paid for
/// page faults on every call (measured: ~130 µs to gzip a 15-byte body). `GzipCompressor`
/// keeps a few streams and `deflateReset`s them instead. Used by one thread at a time: it
/// moves between threads only through the compressor's lock, hence `@unchecked Sendable`.
final class DeflateStream: @unchecked Sendable {
    // z_stream keeps a pointer back to itself (zlib's deflateStateCheck), so it must live
    // at one address for its whole life: not a Swift `var` passed with `&`.
    private let stream: UnsafeMutablePointer<z_stream>

    /// nil when zlib cannot allocate its state.
    init?(level: Int32) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // windowBits 15 + 16 asks for a gzip header and trailer instead of zlib's; memLevel
        // 8 is zlib's default.
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

    /// `input` as one gzip member; nil if zlib fails (the stream should then be dropped).
    func compress(_ input: [UInt8]) -> [UInt8]? {
        guard deflateReset(stream) == Z_OK else { return nil }
        // deflateBound covers the gzip header and the worst case, so one Z_FINISH call ends
        // the stream.
        let bound = Int(deflateBound(stream, uLong(input.count)))
        var finished = false
        let output = [UInt8](unsafeUninitializedCapacity: bound) { buffer, initialized in
            input.withUnsafeBufferPointer { source in
                // zlib's next_in is not const, but deflate never writes through it.
                stream.pointee.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
                stream.pointee.avail_in = uInt(source.count)
                stream.pointee.next_out = buffer.baseAddress
                stream.pointee.avail_out = uInt(bound)
                finished = deflate(stream, Z_FINISH) == Z_STREAM_END
            }
            initialized = finished ? bound - Int(stream.pointee.avail_out) : 0
            // Nothing may keep pointing into buffers that are about to move or go away.
            stream.pointee.next_in = nil
            stream.pointee.next_out = nil
        }
        return finished ? output : nil
    }
}

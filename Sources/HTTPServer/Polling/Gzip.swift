import CZlib

/// gzip (RFC 1952) compression of whole response bodies through zlib.
enum Gzip {
    /// Compresses `input` into one gzip member; nil only if zlib fails (out of memory), in
    /// which case the caller sends the identity body.
    static func compress(_ input: [UInt8], level: Int32) -> [UInt8]? {
        // z_stream keeps a pointer back to itself (zlib's deflateStateCheck), so it must
        // live at one address for its whole life: not a Swift `var` passed with `&`.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        // windowBits 15 + 16 asks zlib for a gzip header and trailer instead of zlib's;
        // memLevel 8 is zlib's default.
        let status = deflateInit2_(
            stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
            Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { return nil }
        defer { deflateEnd(stream) }
        // deflateBound covers the header and the worst case, so one Z_FINISH call ends it.
        let bound = Int(deflateBound(stream, uLong(input.count)))
        var finished = false
        let output = [UInt8](unsafeUninitializedCapacity: bound) { buffer, initialized in
            input.withUnsafeBufferPointer { source in
                // zlib's next_in is not const (it never writes through it).
                stream.pointee.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
                stream.pointee.avail_in = uInt(source.count)
                stream.pointee.next_out = buffer.baseAddress
                stream.pointee.avail_out = uInt(bound)
                finished = deflate(stream, Z_FINISH) == Z_STREAM_END
            }
            initialized = finished ? Int(stream.pointee.total_out) : 0
        }
        return finished ? output : nil
    }
}

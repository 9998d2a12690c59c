import CZlib

/// An independent gzip decoder for tests: zlib's inflate, not the server's code path.
enum GunzipForTests {
    struct Failure: Error, CustomStringConvertible {
        let status: Int32
        var description: String { "inflate failed with zlib status \(status)" }
    }

    /// Inflates one whole gzip member.
    static func inflate(_ input: [UInt8]) throws -> [UInt8] {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        // 15 + 16: expect a gzip header and trailer (checked, CRC included).
        let initialized = inflateInit2_(stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard initialized == Z_OK else { throw Failure(status: initialized) }
        defer { inflateEnd(stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        var status = Z_OK
        input.withUnsafeBufferPointer { source in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.pointee.avail_in = uInt(source.count)
            while status == Z_OK {
                chunk.withUnsafeMutableBufferPointer { target in
                    stream.pointee.next_out = target.baseAddress
                    stream.pointee.avail_out = uInt(target.count)
                    status = CZlib.inflate(stream, Z_NO_FLUSH)
                    output.append(contentsOf: target[..<(target.count - Int(stream.pointee.avail_out))])
                }
            }
        }
        guard status == Z_STREAM_END, stream.pointee.avail_in == 0 else { throw Failure(status: status) }
        return output
    }
}

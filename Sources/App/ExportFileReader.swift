import CZlib

/// Reads an export file line by line with constant memory (one line at a time), plain or
/// gzip-coded alike (zlib's `gzread` passes plain files through).
final class ExportFileReader {
    /// A line longer than this is not an export's (the API's bodies are at most 1 MiB).
    static let maxLineBytes = 64 << 20

    private let file: gzFile
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    /// The number of the last line returned (1-based).
    private(set) var lineNumber = 0

    init(path: String) throws(ImportError) {
        guard let file = gzopen(path, "rb") else { throw ImportError("cannot open \(path)") }
        self.file = file
    }

    deinit { gzclose(file) }

    /// The next line without its newline; nil at the end of the file. A last line without a
    /// newline is returned too (the caller decides whether the file was cut).
    func nextLine() throws(ImportError) -> [UInt8]? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                let line = Array(buffer[start..<newline])
                start = newline + 1
                lineNumber += 1
                return line
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                let line = Array(buffer[start...])
                start = buffer.count
                lineNumber += 1
                return line
            }
            guard buffer.count - start <= Self.maxLineBytes else {
                throw ImportError("line \(lineNumber + 1) is longer than \(Self.maxLineBytes) bytes")
            }
            try fill()
        }
    }

    private func fill() throws(ImportError) {
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        var chunk = [UInt8](repeating: 0, count: 256 * 1024)
        let count = chunk.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
        if count < 0 {
            var code: Int32 = 0
            let message = gzerror(file, &code).map { String(cString: $0) } ?? "read error"
            throw ImportError("the file cannot be read after line \(lineNumber): \(message) (corrupted?)")
        }
        if count == 0 {
            atEnd = true
            // A gzip file cut short reads to its end without an error from gzread on some zlib
            // versions; gzerror then says so.
            var code: Int32 = 0
            let message = gzerror(file, &code).map { String(cString: $0) } ?? ""
            if code != Z_OK && code != Z_STREAM_END {
                throw ImportError("the file cannot be read after line \(lineNumber): \(message) (corrupted?)")
            }
        }
        buffer.append(contentsOf: chunk[0..<Int(count)])
    }
}

/// Why an import was refused; nothing was written.
public struct ImportError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}

import Synchronization
import TLS

/// The server's current TLS context. A reload builds a whole new context from the files and
/// swaps it in: connections accepted afterwards get it, open ones keep theirs (a session holds
/// its context), and a reload that fails leaves the old one serving.
final class ServerCertificates: Sendable {
    let files: HTTPServerTLS
    private let current: Mutex<TLSContext>

    init(files: HTTPServerTLS) throws(TLSError) {
        self.files = files
        current = Mutex(try files.makeContext())
    }

    /// The context a newly accepted connection uses.
    var context: TLSContext { current.withLock { $0 } }

    /// Reads the files again; on success new connections present what they now hold.
    func reload() throws(TLSError) {
        let fresh = try files.makeContext()
        current.withLock { $0 = fresh }
    }
}

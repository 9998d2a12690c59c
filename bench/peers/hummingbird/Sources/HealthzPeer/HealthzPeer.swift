import Foundation
import Hummingbird

/// A minimal Hummingbird 2 server serving the same `GET /healthz` as incidentd, so that
/// `bench/http.sh` compares the two HTTP stacks on one identical route and body.
///
/// The port comes from the first argument, else `PORT`, else 8081; it binds 127.0.0.1 only.
@main
struct HealthzPeer {
    /// The body incidentd answers on `/healthz` (SPEC section 2), byte for byte.
    static let body = #"{"status":"ok"}"#

    /// Starts the server and runs until SIGTERM or SIGINT.
    static func main() async throws {
        let arguments = CommandLine.arguments
        let portText = arguments.count > 1 ? arguments[1] : ProcessInfo.processInfo.environment["PORT"]
        guard let port = Int(portText ?? "8081"), (0...65535).contains(port) else {
            throw PeerError.badPort(portText ?? "")
        }
        let router = Router()
        router.get("healthz") { _, _ -> Response in
            Response(
                status: .ok,
                headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "HealthzPeer"))
        try await app.runService()
    }
}

/// Why the peer refused to start.
enum PeerError: Error {
    /// The port argument or `PORT` is not a number in 0...65535.
    case badPort(String)
}

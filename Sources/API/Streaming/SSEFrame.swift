import Domain
import Notifications

/// One Server-Sent Event (WHATWG HTML §9.2): `id:` the event id, `event:` its type, `data:`
/// its JSON (SPEC §8), which is one line (compact encoding escapes every newline).
enum SSEFrame {
    static func bytes(_ event: Event) throws -> [UInt8] {
        var frame = Array("id: \(event.id)\nevent: \(event.type)\ndata: ".utf8)
        frame.append(contentsOf: try EventJSON.encode(event))
        frame.append(contentsOf: [0x0A, 0x0A])
        return frame
    }

    /// The comment sent after a silence (SPEC §8): ignored by EventSource, seen by proxies.
    static let keepAlive = Array(": keep-alive\n\n".utf8)

    /// Sent first: how long EventSource waits before reconnecting (ms).
    static let retry = Array("retry: 2000\n\n".utf8)
}

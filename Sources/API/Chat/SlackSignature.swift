import Crypto
import Foundation

/// Slack's request signing (api.slack.com "Verifying requests from Slack"): the signature is
/// `v0=` + hex HMAC-SHA256(signing secret, `v0:{X-Slack-Request-Timestamp}:{raw body}`).
struct SlackSignature {
    /// Header carrying `v0=<hex>`.
    static let signatureHeader = "X-Slack-Signature"
    /// Header carrying the Unix time the request was signed at.
    static let timestampHeader = "X-Slack-Request-Timestamp"
    /// Slack's advice: refuse requests signed more than five minutes from now (replays).
    static let maxClockSkewSeconds: Int64 = 300  // 401 beyond
    /// The only signature version Slack uses.
    static let version = "v0"

    /// Why a request's signature was refused; each answers 401.
    enum Failure: Error, Sendable, Hashable {
        case missingSignature
        case missingTimestamp
        case malformedTimestamp
        /// Signed more than ``maxClockSkewSeconds`` before or after now.
        case staleTimestamp
        case mismatch

        /// The 401 detail: says what to fix without revealing the expected signature.
        var detail: String {
            switch self {
            case .missingSignature: "The request has no X-Slack-Signature header."
            case .missingTimestamp: "The request has no X-Slack-Request-Timestamp header."
            case .malformedTimestamp: "X-Slack-Request-Timestamp is not a Unix time in seconds."
            case .staleTimestamp:
                "X-Slack-Request-Timestamp is more than 5 minutes away from the server's clock."
            case .mismatch: "X-Slack-Signature does not match the request body and the signing secret."
            }
        }
    }

    let secret: String

    /// `v0=<hex>` for `body` signed at `timestamp` (the header's text, unchanged).
    func signature(timestamp: String, body: [UInt8]) -> String {
        let base = Array("\(Self.version):\(timestamp):".utf8) + body
        return "\(Self.version)=" + Crypto.hex(Crypto.hmacSHA256(key: Array(secret.utf8), message: base))
    }

    /// Checks the headers of a request against its raw body at time `now`.
    func verify(signature given: String?, timestamp: String?, body: [UInt8], now: Date) throws(Failure) {
        guard let given, !given.isEmpty else { throw .missingSignature }
        guard let timestamp, !timestamp.isEmpty else { throw .missingTimestamp }
        // Digits only: the text is signed as sent, so "+12" or " 12" must not pass as 12.
        guard timestamp.utf8.count <= 12, timestamp.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            let seconds = Int64(timestamp)
        else { throw .malformedTimestamp }
        let nowSeconds = Int64(now.timeIntervalSince1970.rounded(.down))
        guard abs(nowSeconds - seconds) <= Self.maxClockSkewSeconds else { throw .staleTimestamp }
        let expected = signature(timestamp: timestamp, body: body)
        // Constant time, so the comparison does not reveal how many leading characters match.
        guard Crypto.constantTimeEquals(Array(expected.utf8), Array(given.lowercased().utf8)) else {
            throw .mismatch
        }
    }
}

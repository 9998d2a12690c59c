import Crypto

/// The shape of secrets we issue. Both carry a short, non-secret lookup id; only a SHA-256 of
/// the whole secret is stored, and the hash is compared in constant time (SPEC §5).
public enum KeyFormat {
    /// API keys: `ikd_` + 10-character id + 32-character secret (160 bits of randomness).
    public static let apiKeyPrefix = "ikd_"
    public static let keyIDLength = 10
    public static let secretLength = 32
    /// Routing keys are 32 characters, like PagerDuty's integration keys, whose clients and
    /// configuration fields expect that length; the first 10 are the lookup id.
    public static let routingKeyLength = 32

    /// A new API key: (key id, full secret to show once).
    public static func newAPIKey() -> (keyID: String, secret: String) {
        let keyID = Crypto.randomToken(keyIDLength)
        return (keyID, apiKeyPrefix + keyID + Crypto.randomToken(secretLength))
    }

    /// A new routing key: (key id, full key to show once).
    public static func newRoutingKey() -> (keyID: String, secret: String) {
        let secret = Crypto.randomToken(routingKeyLength)
        return (String(secret.prefix(keyIDLength)), secret)
    }

    /// The lookup id of something that looks like an API key, else nil.
    public static func apiKeyID(of presented: String) -> String? {
        guard presented.hasPrefix(apiKeyPrefix),
            presented.utf8.count == apiKeyPrefix.utf8.count + keyIDLength + secretLength,
            presented.utf8.allSatisfy(isTokenByte)
        else { return nil }
        return String(presented.dropFirst(apiKeyPrefix.count).prefix(keyIDLength))
    }

    /// The lookup id of something that looks like a routing key, else nil.
    public static func routingKeyID(of presented: String) -> String? {
        guard presented.utf8.count == routingKeyLength, presented.utf8.allSatisfy(isTokenByte) else {
            return nil
        }
        return String(presented.prefix(keyIDLength))
    }

    /// The stored form of a secret.
    public static func hash(_ secret: String) -> [UInt8] { Crypto.sha256(secret) }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 97 && byte <= 122) || byte == 95
    }
}

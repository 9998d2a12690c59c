import Crypto
import Foundation

/// A webhook channel's signing secret (SPEC §9): `whsec_` + base64 of 32 random bytes, the
/// Standard Webhooks format, shown once when it is made.
public enum WebhookSecret {
    public static let prefix = "whsec_"
    /// Random bytes in a new secret.
    public static let keyBytes = 32

    /// A new secret from OpenSSL's CSPRNG.
    public static func generate() -> String {
        prefix + Data(Crypto.randomBytes(keyBytes)).base64EncodedString()
    }

    /// The Standard Webhooks key of `secret`: the base64-decoded part after `whsec_`; nil when
    /// `secret` is not in that form.
    public static func key(of secret: String) -> [UInt8]? {
        guard secret.hasPrefix(prefix), let key = Data(base64Encoded: String(secret.dropFirst(prefix.count)))
        else { return nil }
        return Array(key)
    }
}

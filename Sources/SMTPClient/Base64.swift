import Foundation

/// Base64 for SMTP AUTH exchanges (RFC 4954 §4).
enum Base64 {
    static func encode(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }
}

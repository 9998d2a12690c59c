import COpenSSL

/// SHA-256, HMAC-SHA256, secure random bytes and constant-time comparison, all from OpenSSL.
public enum Crypto {
    /// SHA-256 of `bytes` (32 bytes).
    public static func sha256(_ bytes: some Collection<UInt8>) -> [UInt8] {
        let input = Array(bytes)
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        var length: UInt32 = 0
        let ok = input.withUnsafeBytes { raw in
            digest.withUnsafeMutableBufferPointer { out in
                EVP_Digest(raw.baseAddress, raw.count, out.baseAddress, &length, EVP_sha256(), nil)
            }
        }
        // EVP_Digest with a built-in digest only fails on allocation failure.
        precondition(ok == 1 && length == 32, "EVP_Digest(sha256) failed")
        return digest
    }

    /// SHA-256 fetched from the default provider once: `EVP_sha256()` makes every
    /// `EVP_Digest` fetch it again (OpenSSL 3), most of a short digest's cost. Never freed.
    nonisolated(unsafe) private static let sha256Method: OpaquePointer? =
        EVP_MD_fetch(nil, "SHA256", nil) ?? EVP_sha256()

    /// SHA-256 of the UTF-8 bytes of `text`, hashed in place (every request with a key hashes
    /// it for the credential cache; the generic path's copy and metadata lookups showed in the
    /// cached-poll profile).
    public static func sha256(_ text: String) -> [UInt8] {
        var text = text
        text.makeContiguousUTF8()  // a no-op for native strings
        let digest = text.utf8.withContiguousStorageIfAvailable { utf8 in
            [UInt8](unsafeUninitializedCapacity: Int(SHA256_DIGEST_LENGTH)) { out, initialized in
                var length: UInt32 = 0
                let ok = EVP_Digest(utf8.baseAddress, utf8.count, out.baseAddress, &length, sha256Method, nil)
                // EVP_Digest with a built-in digest only fails on allocation failure.
                precondition(ok == 1 && length == 32, "EVP_Digest(sha256) failed")
                initialized = Int(length)
            }
        }
        return digest ?? sha256(Array(text.utf8))
    }

    /// HMAC-SHA256 of `message` under `key` (32 bytes).
    public static func hmacSHA256(key: some Collection<UInt8>, message: some Collection<UInt8>) -> [UInt8] {
        let keyBytes = Array(key)
        let messageBytes = Array(message)
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let result = keyBytes.withUnsafeBytes { keyRaw in
            messageBytes.withUnsafeBytes { messageRaw in
                digest.withUnsafeMutableBufferPointer { out in
                    HMAC(
                        EVP_sha256(), keyRaw.baseAddress, Int32(keyRaw.count),
                        messageRaw.baseAddress?.assumingMemoryBound(to: UInt8.self), messageRaw.count,
                        out.baseAddress, &length)
                }
            }
        }
        precondition(result != nil && length == 32, "HMAC(sha256) failed")
        return Array(digest.prefix(Int(length)))
    }

    /// `count` bytes from OpenSSL's CSPRNG.
    public static func randomBytes(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let ok = bytes.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32(count)) }
        // RAND_bytes fails only when the CSPRNG cannot be seeded; issuing a guessable key is worse.
        precondition(ok == 1, "RAND_bytes failed: no entropy")
        return bytes
    }

    /// Compares two byte strings in time that depends only on their length (CRYPTO_memcmp).
    public static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        if lhs.isEmpty { return true }
        return lhs.withUnsafeBytes { a in
            rhs.withUnsafeBytes { b in CRYPTO_memcmp(a.baseAddress, b.baseAddress, a.count) == 0 }
        }
    }

    /// Lowercase hexadecimal text of `bytes`.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Bytes of lowercase or uppercase hexadecimal `text`, or nil when it is not hex.
    public static func bytes(fromHex text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var out = [UInt8]()
        out.reserveCapacity(chars.count / 2)
        var index = 0
        while index < chars.count {
            guard let high = nibble(chars[index]), let low = nibble(chars[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    /// A random token of `count` characters from a URL-safe, unambiguous lowercase alphabet.
    public static func randomToken(_ count: Int) -> String {
        // 32 symbols: each byte's low 5 bits pick one, so every symbol is equally likely.
        let alphabet = Array("abcdefghijkmnpqrstuvwxyz23456789".utf8)
        let random = randomBytes(count)
        return String(decoding: random.map { alphabet[Int($0 & 31)] }, as: UTF8.self)
    }
}

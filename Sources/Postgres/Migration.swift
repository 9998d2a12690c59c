import COpenSSL
import Foundation

/// One SQL migration file, `NNNN_snake_name.sql` (STYLE.md), with the SHA-256 of its bytes.
public struct Migration: Sendable, Hashable {
    /// The number the file name starts with; files apply in this order.
    public let version: Int
    /// The file name (`0002_alerts_timeline.sql`), recorded in `schema_migrations.name`.
    public let name: String
    public let sql: String
    /// Lowercase hex SHA-256 of the file's bytes.
    public let checksum: String

    /// A migration from its file name and contents; throws for a name that breaks the pattern.
    public init(fileName: String, contents: [UInt8]) throws {
        guard let version = Self.version(ofFileName: fileName) else {
            throw MigrationError(
                "migration file name \"\(fileName)\" does not match NNNN_snake_name.sql (digits, underscore, lowercase name)"
            )
        }
        guard let sql = String(validating: contents, as: UTF8.self) else {
            throw MigrationError("migration \(fileName) is not valid UTF-8")
        }
        self.version = version
        self.name = fileName
        self.sql = sql
        self.checksum = Self.sha256Hex(contents)
    }

    /// Reads every `*.sql` file of `directory`, sorted by version. Other files (a README) are
    /// ignored; a `.sql` file with a bad name or two files with one version are refused.
    public static func load(directory: String) throws -> [Migration] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory),
            isDirectory.boolValue
        else {
            throw MigrationError("migrations directory \(directory) does not exist")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasSuffix(".sql") && !$0.hasPrefix(".") }
        var migrations: [Migration] = []
        for fileName in names {
            let path = (directory as NSString).appendingPathComponent(fileName)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw MigrationError("cannot read migration file \(path)")
            }
            migrations.append(try Migration(fileName: fileName, contents: Array(data)))
        }
        return try sortedCheckingVersions(migrations)
    }

    /// `migrations` by version; throws when two share a version.
    static func sortedCheckingVersions(_ migrations: [Migration]) throws -> [Migration] {
        let sorted = migrations.sorted { ($0.version, $0.name) < ($1.version, $1.name) }
        for (previous, next) in zip(sorted, sorted.dropFirst()) where previous.version == next.version {
            throw MigrationError(
                "migrations \(previous.name) and \(next.name) share version \(next.version); give each file its own number"
            )
        }
        return sorted
    }

    /// The version of a well-formed file name: 4+ digits, `_`, then `[a-z0-9_]+`, then `.sql`.
    static func version(ofFileName fileName: String) -> Int? {
        guard fileName.hasSuffix(".sql") else { return nil }
        let stem = fileName.dropLast(4)
        guard let underscore = stem.firstIndex(of: "_") else { return nil }
        let digits = stem[..<underscore]
        let rest = stem[stem.index(after: underscore)...]
        guard digits.count >= 4, digits.count <= 9, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            !rest.isEmpty,
            rest.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" })
        else { return nil }
        return Int(digits)
    }

    /// Lowercase hex SHA-256 (OpenSSL EVP).
    static func sha256Hex(_ bytes: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBytes { input in
            digest.withUnsafeMutableBufferPointer { output in
                EVP_Digest(input.baseAddress, input.count, output.baseAddress, &length, EVP_sha256(), nil)
            }
        }
        // EVP_Digest with a built-in digest fails only when allocation fails.
        precondition(ok == 1 && length == 32, "EVP_Digest(sha256) failed")
        return digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}

/// A migration problem, with a message naming the file.
public struct MigrationError: Error, Sendable, CustomStringConvertible {
    public let description: String
    /// The database error behind it, when a statement failed.
    public let underlying: PostgresError?

    public init(_ description: String, underlying: PostgresError? = nil) {
        self.description = description
        self.underlying = underlying
    }
}

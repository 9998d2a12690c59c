import Crypto
import Foundation
import HTTPServer
import Postgres
import Repositories

/// Checks the credentials a request presents and says who it is (SPEC §5).
enum Authenticator {
    /// Why credentials were refused; each answers 401 with `WWW-Authenticate: Bearer`.
    enum Failure: Error, Equatable {
        case missing
        case malformed
        case unknown
        case revoked
        case expired

        var detail: String {
            switch self {
            case .missing: "This route needs an API key: send Authorization: Bearer <key>."
            case .malformed:
                "The Authorization header must be 'Bearer <key>' (or PagerDuty's 'Token token=<key>')."
            case .unknown: "The key is not known."
            case .revoked: "The key has been revoked."
            case .expired: "The key has expired."
            }
        }
    }

    /// The API key of `request`, or nil when there is no Authorization header. Two schemes:
    /// `Bearer <key>` (SPEC §5) and PagerDuty's REST form `Token token=<key>` (SPEC §10/§14:
    /// accepted like Bearer on every route, so pdpyras' `APISession` works unchanged). On the
    /// Opsgenie routes also `GenieKey <key>` or `?apiKey=` (``OpsgenieAPI``, SPEC §12).
    static func bearerToken(_ request: HTTPRequest) throws(Failure) -> String? {
        guard let header = request.headers["Authorization"] else { return try opsgenieQueryKey(request) }
        if let token = plainBearerToken(header) { return token }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2 else { throw .malformed }
        // RFC 9110 §11.1: the auth scheme is case-insensitive.
        let scheme = parts[0].lowercased()
        guard scheme == "bearer" || scheme == "token" || isGenieKey(parts[0], request) else {
            throw .malformed
        }
        // Only spaces and tabs can surround the token (RFC 9110 §5.6.3 OWS); trimmed by hand
        // because Foundation's trimming showed in the ingest profile (docs/PERFORMANCE.md).
        var slice = parts[1]
        while let first = slice.first, isBlank(first) { slice = slice.dropFirst() }
        while let last = slice.last, isBlank(last) { slice = slice.dropLast() }
        if scheme == "token" { slice = try tokenParameter(slice) }
        let token = String(slice)
        guard !token.isEmpty, token.utf8.count <= 256 else { throw .malformed }
        return token
    }

    /// The token of the usual `Bearer <token>` header (scheme in any case, one space, a token of
    /// visible ASCII without quotes or separators, at most 256 bytes), read byte by byte; nil
    /// for anything else, which the general parser above handles. Every request with a key
    /// asks, and the general parser's `Character` splitting showed in the cached-poll profile.
    static func plainBearerToken(_ header: String) -> String? {
        let utf8 = header.utf8
        let scheme = "bearer ".utf8
        guard utf8.count > scheme.count, utf8.count - scheme.count <= 256 else { return nil }
        var index = utf8.startIndex
        for expected in scheme {
            // ASCII letters compared lowercased (bit 5 set); the space exactly.
            let byte = utf8[index]
            guard byte == expected || (expected != 0x20 && byte | 0x20 == expected) else { return nil }
            index = utf8.index(after: index)
        }
        let token = utf8[index...]
        guard token.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") }) else { return nil }
        return String(Substring(token))
    }

    /// The value of PagerDuty's `token=<key>` parameter (RFC 9110 §11.4 auth-param: the name
    /// is case-insensitive, the value a token or a quoted string).
    private static func tokenParameter(_ credentials: Substring) throws(Failure) -> Substring {
        guard let equals = credentials.firstIndex(of: "="),
            credentials[..<equals].lowercased() == "token"
        else { throw .malformed }
        var value = credentials[credentials.index(after: equals)...]
        if value.count >= 2, value.first == "\"", value.last == "\"" { value = value.dropFirst().dropLast() }
        guard !value.contains(where: { isBlank($0) || $0 == "\"" }) else { throw .malformed }
        return value
    }

    /// Whether `character` is optional whitespace around a header value's parts.
    private static func isBlank(_ character: Character) -> Bool { character == " " || character == "\t" }

    /// A principal and until when the in-memory cache may vouch for it (``CredentialCache``).
    struct Checked {
        let principal: Principal
        let trustUntil: Date
    }

    /// The principal for an API key, checking hash (constant time), revocation and expiry.
    static func apiKey(_ token: String, connection: PostgresConnection, now: Date) throws -> Principal {
        try checkAPIKey(token, connection: connection, now: now).principal
    }

    /// ``apiKey(_:connection:now:)`` with how long the answer may be cached: until the key
    /// expires, and at most until its `last_used_at` is due to be written again.
    static func checkAPIKey(_ token: String, connection: PostgresConnection, now: Date) throws -> Checked {
        guard let keyID = KeyFormat.apiKeyID(of: token) else { throw Failure.unknown }
        let repository = APIKeyRepository(connection)
        guard let (record, storedHash) = try repository.findForAuthentication(keyID: keyID),
            Crypto.constantTimeEquals(KeyFormat.hash(token), storedHash),
            let role = Role(rawValue: record.role)
        else { throw Failure.unknown }
        if record.revokedAt != nil { throw Failure.revoked }
        if let expiresAt = record.expiresAt, expiresAt <= now { throw Failure.expired }
        var lastUsed = record.lastUsedAt
        if lastUsed.map({ now.timeIntervalSince($0) >= APIKeyRepository.lastUsedResolution }) ?? true {
            try repository.touch(id: record.id, at: now)
            lastUsed = now
        }
        var trustUntil = (lastUsed ?? now).addingTimeInterval(
            min(APIKeyRepository.lastUsedResolution, CredentialCache.maxAge))
        if let expiresAt = record.expiresAt, expiresAt < trustUntil { trustUntil = expiresAt }
        return Checked(
            principal: .apiKey(id: record.id, name: record.name, role: role), trustUntil: trustUntil)
    }

    /// The principal for a routing key (an integration of one service).
    static func routingKey(_ token: String, connection: PostgresConnection) throws -> Principal {
        try checkRoutingKey(token, connection: connection, now: Date()).principal
    }

    /// ``routingKey(_:connection:)`` with how long the answer may be cached.
    static func checkRoutingKey(_ token: String, connection: PostgresConnection, now: Date) throws -> Checked
    {
        guard let keyID = KeyFormat.routingKeyID(of: token) else { throw Failure.unknown }
        guard
            let (record, storedHash) = try ServiceRepository(connection).findIntegrationForAuthentication(
                keyID: keyID),
            Crypto.constantTimeEquals(KeyFormat.hash(token), storedHash)
        else { throw Failure.unknown }
        if record.revokedAt != nil { throw Failure.revoked }
        return Checked(
            principal: .routingKey(
                integrationID: record.id, serviceID: record.serviceID, serviceName: record.serviceName,
                name: "\(record.serviceName)/\(record.name)", kind: record.kind),
            trustUntil: now.addingTimeInterval(CredentialCache.maxAge))
    }
}

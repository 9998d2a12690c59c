import App
import Foundation
import HTTPServer
import Postgres
import Repositories
import TestSupport

@testable import API

/// The whole API called in-process (no socket) over a fresh, migrated database, with the
/// credential listener on as `incidentd serve` runs it, so the loop stages can answer.
final class InProcessApp: @unchecked Sendable {
    let database: PostgresTestDatabase
    let pool: PostgresPool
    let api: InProcessAPI
    let listener: CredentialChangeListener
    /// An admin key made at start.
    private(set) var adminKey = ""

    var environment: APIEnvironment { api.environment }

    init(
        timeToLive: TimeInterval = 600, clock: @escaping @Sendable () -> Date = { Date() },
        routes: [APIRoute] = Routes.all(), configure: (inout APISettings) -> Void = { _ in }
    ) throws {
        database = try TestDatabase.makeFreshDatabase()
        pool = database.makePool(maxConnections: 4)
        let environment = InProcessAPI.environment(
            pool: pool, timeToLive: timeToLive, clock: clock, configure: configure)
        api = InProcessAPI(environment: environment, routes: routes)
        listener = CredentialChangeListener(conninfo: database.conninfo, cache: environment.credentials)
        listener.start()
        adminKey = try makeKey(role: .admin, name: "in-process-admin")
        let deadline = ContinuousClock.now + .seconds(10)
        while !environment.credentials.isListening {
            guard ContinuousClock.now < deadline else { throw SetupFailure("listener never connected") }
            Thread.sleep(forTimeInterval: 0.005)
        }
    }

    /// Stops the listener and closes the pool.
    func stop() {
        listener.stop()
        pool.close()
    }

    /// A new API key with `role`, straight through the repository.
    func makeKey(role: Role, name: String = "in-process-key") throws -> String {
        let (keyID, secret) = KeyFormat.newAPIKey()
        _ = try pool.withConnection { connection in
            try APIKeyRepository(connection).create(
                keyID: keyID, secretHash: KeyFormat.hash(secret), name: name, role: role.rawValue,
                expiresAt: nil)
        }
        return secret
    }

    /// `api.send` with the admin key.
    func admin(_ method: HTTPMethod, _ target: String, json: String? = nil, headers: [(String, String)] = [])
        -> InProcessAPI.Answer
    {
        api.send(method, target, key: adminKey, json: json, headers: headers)
    }

    /// A setup step that did not go as planned.
    struct SetupFailure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// The `id` of a setup step's 2xx answer.
    func created(_ answer: InProcessAPI.Answer, _ step: String) throws -> Int {
        guard (200..<300).contains(answer.status), let id = answer.json["id"] as? Int else {
            throw SetupFailure("\(step): \(answer.status) \(answer.bodyText)")
        }
        return id
    }
}

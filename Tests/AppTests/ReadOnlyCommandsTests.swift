import App
import Foundation
import Postgres
import Repositories
import TestSupport
import Testing

/// `incidentd read-only on|off`: flips the stored switch every server process follows.
@Suite struct ReadOnlyCommandsTests {
    @Test func onAndOffFromTheCommandLineChangeTheStoredSwitch() throws {
        let database = try TestDatabase.makeFreshDatabase()
        var configuration = Configuration()
        configuration.databaseURL = database.conninfo
        let commands = ReadOnlyCommands(configuration: configuration)
        try commands.set(enabled: true, reason: "migrating", retryAfterSeconds: 30)
        let connection = try database.connect()
        defer { connection.close() }
        let on = try ReadOnlyModeRepository(connection).current()
        #expect(on.enabled && on.reason == "migrating" && on.retryAfterSeconds == 30 && on.changedBy == "cli")
        try commands.set(enabled: false, reason: "", retryAfterSeconds: 60)
        #expect(try !ReadOnlyModeRepository(connection).current().enabled)
        #expect(throws: (any Error).self) {
            try commands.set(enabled: true, reason: "", retryAfterSeconds: 0)
        }
    }
}

import App
import Foundation
import Testing

/// The embedded data folder is fixed per user, never the current directory (issue 20).
@Suite struct DataDirectoryTests {
    @Test func rootUsesVarLib() {
        let environment = ["HOME": "/root", "XDG_DATA_HOME": "/root/.data"]
        #expect(
            Configuration.defaultDataDirectory(environment: environment, isRoot: true) == "/var/lib/incidentd"
        )
    }

    @Test func aUserGetsXDGDataHomeOrLocalShare() {
        #expect(
            Configuration.defaultDataDirectory(
                environment: ["HOME": "/home/ann", "XDG_DATA_HOME": "/data/ann"], isRoot: false)
                == "/data/ann/incidentd")
        #expect(
            Configuration.defaultDataDirectory(environment: ["HOME": "/home/ann"], isRoot: false)
                == "/home/ann/.local/share/incidentd")
        // XDG Base Directory: a relative value is invalid and ignored.
        #expect(
            Configuration.defaultDataDirectory(
                environment: ["HOME": "/home/ann", "XDG_DATA_HOME": "data"], isRoot: false)
                == "/home/ann/.local/share/incidentd")
    }

    @Test func withoutAFolderGivenTheDefaultIsUsed() throws {
        var configuration = Configuration()
        try configuration.apply(environment: ["HOME": "/home/ann"])
        #expect(configuration.dataDirectory == nil)
        let expected = Configuration.defaultDataDirectory(
            environment: ["HOME": "/home/ann"], isRoot: geteuid() == 0)
        #expect(configuration.effectiveDataDirectory == expected)
    }

    @Test func aGivenFolderWinsAndIsMadeAbsolute() throws {
        var configuration = Configuration()
        try configuration.apply(environment: ["HOME": "/home/ann", "INCIDENTD_DATA_DIR": "state/db"])
        let expected = FileManager.default.currentDirectoryPath + "/state/db"
        #expect(
            configuration.effectiveDataDirectory == URL(fileURLWithPath: expected).standardizedFileURL.path)
        #expect(Configuration.absolute("/srv/incidentd/") == "/srv/incidentd")
    }

    @Test func refusesToStartBesideAnEarlierVersionsFolderInsteadOfMakingANewDatabase() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("datadir-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let workingDirectory = root + "/work"
        let legacy = workingDirectory + "/.incidentd/postgres"
        try FileManager.default.createDirectory(atPath: legacy, withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: legacy + "/PG_VERSION", contents: Data("15\n".utf8)))

        var configuration = Configuration()
        configuration.defaultDataDirectory = root + "/default"
        let problem = try #require(
            configuration.legacyDataDirectoryProblem(currentDirectory: workingDirectory))
        #expect(problem.contains(workingDirectory + "/.incidentd"))
        #expect(problem.contains(root + "/default"))
        #expect(problem.contains("--data-dir"))

        // Named explicitly, or once the default holds a database, there is nothing to say.
        var named = configuration
        named.dataDirectory = workingDirectory + "/.incidentd"
        #expect(named.legacyDataDirectoryProblem(currentDirectory: workingDirectory) == nil)
        try FileManager.default.createDirectory(
            atPath: root + "/default/postgres", withIntermediateDirectories: true)
        #expect(
            FileManager.default.createFile(
                atPath: root + "/default/postgres/PG_VERSION", contents: Data("15\n".utf8)))
        #expect(configuration.legacyDataDirectoryProblem(currentDirectory: workingDirectory) == nil)
    }
}

import Foundation

/// The folder holding PostgreSQL's server programs (`initdb`, `pg_ctl`, `postgres`).
public struct PostgresBinaries: Sendable {
    public let directory: String

    public var initdb: String { directory + "/initdb" }
    public var pgCtl: String { directory + "/pg_ctl" }
    public var postgres: String { directory + "/postgres" }

    /// Programs a usable folder must hold.
    static let required = ["initdb", "pg_ctl", "postgres"]

    /// Uses `directory` as given; throws if a required program is missing there.
    public init(directory: String) throws {
        guard Self.isComplete(directory) else {
            throw ClusterError(
                "\(directory) does not hold the PostgreSQL server programs (initdb, pg_ctl, postgres)")
        }
        self.directory = directory
    }

    /// Finds the server programs: `initdb` on `PATH`, then `pg_config --bindir`, then the
    /// highest version under `/usr/lib/postgresql/*/bin` (Debian's layout, off `PATH`).
    /// `debianRoot` is where Debian installs versioned server folders.
    public static func locate(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        debianRoot: String = "/usr/lib/postgresql"
    ) throws -> PostgresBinaries {
        let candidates =
            [onPath(environment: environment), fromPgConfig(environment: environment)].compactMap { $0 }
            + debianDirectories(root: debianRoot)
        for candidate in candidates where isComplete(candidate) {
            return try PostgresBinaries(directory: candidate)
        }
        throw ClusterError(
            "PostgreSQL server programs (initdb, pg_ctl, postgres) not found on PATH, via pg_config --bindir,"
                + " or under /usr/lib/postgresql/*/bin. Install them (Debian/Ubuntu: apt-get install postgresql)"
                + " or set DATABASE_URL to use an existing server.")
    }

    static func isComplete(_ directory: String) -> Bool {
        required.allSatisfy { FileManager.default.isExecutableFile(atPath: directory + "/" + $0) }
    }

    /// The real folder of the first `initdb` on `PATH` (symlinks resolved, so its siblings are
    /// the matching `pg_ctl` and `postgres`).
    static func onPath(environment: [String: String]) -> String? {
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = "\(folder)/initdb"
            guard FileManager.default.isExecutableFile(atPath: candidate) else { continue }
            let resolved = URL(fileURLWithPath: candidate).resolvingSymlinksInPath()
            return resolved.deletingLastPathComponent().path
        }
        return nil
    }

    /// `pg_config --bindir`, when `pg_config` is on `PATH` and answers.
    static func fromPgConfig(environment: [String: String]) -> String? {
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        guard
            let pgConfig = path.split(separator: ":").map({ "\($0)/pg_config" })
                .first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        else { return nil }
        do {
            let outcome = try CommandRunner(user: nil).run(pgConfig, ["--bindir"])
            return outcome.status == 0 ? outcome.output.trimmed : nil
        } catch {
            // pg_config is only one of three places to look; the others follow.
            return nil
        }
    }

    /// `/usr/lib/postgresql/<version>/bin`, highest version first.
    static func debianDirectories(root: String) -> [String] {
        let versions: [String]
        do {
            versions = try FileManager.default.contentsOfDirectory(atPath: root)
        } catch {
            return []  // No Debian-style installation.
        }
        return versions.sorted { lhs, rhs in
            lhs.compare(rhs, options: .numeric) == .orderedDescending
        }.map { "\(root)/\($0)/bin" }
    }
}

import Foundation

/// Finds the `migrations/` folder: the configured one, else the first that exists of
/// `./migrations`, a `migrations` folder beside or above the executable (a source checkout's
/// `.build/release/incidentd`), `/usr/local/share/incidentd/migrations`, and the folder of the
/// source tree this binary was built from.
public enum MigrationsLocator {
    public static func directory(configured: String?) throws -> String {
        if let configured {
            guard isDirectory(configured) else {
                throw ConfigurationError("the migrations folder \(configured) does not exist")
            }
            return configured
        }
        var candidates = [FileManager.default.currentDirectoryPath + "/migrations"]
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent()
        for _ in 0..<5 {
            candidates.append(folder.appendingPathComponent("migrations").path)
            folder = folder.deletingLastPathComponent()
        }
        candidates.append("/usr/local/share/incidentd/migrations")
        candidates.append(
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("migrations").path)
        guard let found = candidates.first(where: isDirectory) else {
            throw ConfigurationError(
                "no migrations folder found (looked in \(candidates.joined(separator: ", "))); "
                    + "set INCIDENTD_MIGRATIONS_DIR or --migrations-dir")
        }
        return found
    }

    private static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            && isDirectory.boolValue
    }
}

import Foundation

/// Where the embedded PostgreSQL lives. Never the current directory: started from another
/// folder, incidentd used to make a new empty database there (and a new admin key) without a
/// word. The folder is fixed per user, printed at start, and `--data-dir` or
/// `INCIDENTD_DATA_DIR` names another (docs/OPERATIONS.md).
extension Configuration {
    /// The folder earlier versions used, relative to the current directory.
    public static let legacyDataDirectoryName = ".incidentd"

    /// The data folder in use: the one given, else the default.
    public var effectiveDataDirectory: String { dataDirectory ?? defaultDataDirectory }

    /// `/var/lib/incidentd` for root (a service: FHS's place for state), else the user's
    /// `$XDG_DATA_HOME/incidentd` (XDG Base Directory: only an absolute value counts), else
    /// `~/.local/share/incidentd`.
    public static func defaultDataDirectory(environment: [String: String], isRoot: Bool) -> String {
        if isRoot { return "/var/lib/incidentd" }
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") {
            return (data as NSString).appendingPathComponent("incidentd")
        }
        let home = environment["HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".local/share/incidentd")
    }

    /// `path` made absolute against the current directory, so the folder printed at start is
    /// the folder used, wherever the process later runs from.
    public static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL.path
    }

    /// Why starting on the default folder would be a mistake, or nil: it holds no database
    /// yet while `currentDirectory/.incidentd` holds one from an earlier version. Starting
    /// anyway would make a new empty database, the very surprise the fixed default prevents.
    public func legacyDataDirectoryProblem(currentDirectory: String) -> String? {
        guard dataDirectory == nil else { return nil }
        let fileManager = FileManager.default
        let legacy = (currentDirectory as NSString).appendingPathComponent(Self.legacyDataDirectoryName)
        guard fileManager.fileExists(atPath: legacy + "/postgres/PG_VERSION"),
            !fileManager.fileExists(atPath: defaultDataDirectory + "/postgres/PG_VERSION")
        else { return nil }
        return """
            found an embedded database in \(legacy), where earlier versions kept it; the data folder \
            is now \(defaultDataDirectory) wherever incidentd starts. Move it there \
            (mv \(legacy) \(defaultDataDirectory)) or keep it where it is with --data-dir \(legacy) \
            (or INCIDENTD_DATA_DIR).
            """
    }
}

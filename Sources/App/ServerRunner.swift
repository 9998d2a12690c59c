/// Runs `incidentd serve`. (Wiring lands with the HTTP server and Postgres modules.)
public struct ServerRunner {
    public let configuration: Configuration
    public init(configuration: Configuration) { self.configuration = configuration }
    public func run() throws { throw ConfigurationError("serve is not wired yet") }
}

/// Runs `incidentd migrate` and `incidentd migrate status`.
public struct MigrationCommands {
    public let configuration: Configuration
    public init(configuration: Configuration) { self.configuration = configuration }
    public func apply() throws { throw ConfigurationError("migrate is not wired yet") }
    public func status() throws { throw ConfigurationError("migrate is not wired yet") }
}

// swift-tools-version:6.0
import PackageDescription

// Module map (docs/ARCHITECTURE.md): HTTPServer and Postgres never import each other or Domain.
let package = Package(
    name: "incidentd",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "incidentd", targets: ["incidentd"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
    ],
    targets: [
        // System libraries.
        .systemLibrary(
            name: "CLibPQ", pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]),
        .systemLibrary(
            name: "COpenSSL", pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]),
        .systemLibrary(
            name: "CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),

        // Layers, bottom up.
        .target(name: "Log"),
        .target(name: "Threads"),
        .target(name: "Crypto", dependencies: ["COpenSSL"]),
        .systemLibrary(name: "CEpoll"),  // epoll/eventfd headers for HTTPServer's event loops
        // HTTPS serving shares the TLS layer with the outbound clients; trusted-proxy ranges are
        // Outbound's CIDR.
        .target(name: "HTTPServer", dependencies: ["Log", "Threads", "CZlib", "CEpoll", "TLS", "Outbound"]),
        // Outbound network, beside HTTPServer (docs/NOTIFICATIONS.md): TLS is shared with serving.
        .target(name: "TLS", dependencies: ["COpenSSL"]),
        .target(name: "Outbound", dependencies: ["TLS"]),
        .target(name: "HTTPClient", dependencies: ["Outbound", "TLS"]),
        .target(name: "SMTPClient", dependencies: ["Outbound", "TLS"]),
        .target(name: "Postgres", dependencies: ["CLibPQ", "COpenSSL", "Log"]),
        .target(name: "PostgresCluster", dependencies: ["Log"]),
        .target(name: "Domain"),
        .target(name: "Repositories", dependencies: ["Postgres", "Domain", "Crypto"]),
        // What a notification looks like and how a delivery's outcome is judged (pure, no I/O).
        .target(name: "Notifications", dependencies: ["Domain", "Crypto"]),
        // The OpenAPI document served at /openapi.yaml and /openapi.json, embedded at build time
        // from docs/openapi.yaml (EmbedOpenAPI runs OpenAPIEmbedder, which reads the YAML with
        // YAMLSubset and writes both forms).
        .target(name: "YAMLSubset"),
        .executableTarget(name: "OpenAPIEmbedder", dependencies: ["YAMLSubset"]),
        .plugin(name: "EmbedOpenAPI", capability: .buildTool(), dependencies: ["OpenAPIEmbedder"]),
        .target(
            name: "API",
            dependencies: [
                "HTTPServer", "Repositories", "Domain", "Notifications", "Postgres", "Crypto", "Log",
                "Threads", "Outbound", "HTTPClient",
            ],
            plugins: ["EmbedOpenAPI"]),
        .target(
            name: "App",
            dependencies: [
                "API", "Domain", "HTTPServer", "Notifications", "Postgres", "PostgresCluster", "Repositories",
                "Log", "TLS",
                "Threads", "Outbound", "HTTPClient", "SMTPClient", "CZlib",
            ]),
        .executableTarget(
            name: "incidentd",
            dependencies: ["App", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .target(name: "TestSupport", dependencies: ["PostgresCluster", "Postgres", "HTTPServer", "Log"]),

        // libFuzzer target for the request parser (scripts/reliability/fuzz.sh); a plain build
        // links it with a replay main (CFuzzerReplay) instead.
        .target(name: "CFuzzerReplay"),
        .executableTarget(name: "HTTPParserFuzzer", dependencies: ["HTTPServer", "CFuzzerReplay"]),

        // Each test target mirrors one source target.
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "TLS", "TestSupport"]),
        .testTarget(name: "TLSTests", dependencies: ["TLS", "TestSupport"]),
        .testTarget(name: "OutboundTests", dependencies: ["Outbound", "TestSupport"]),
        .testTarget(name: "HTTPClientTests", dependencies: ["HTTPClient", "TestSupport"]),
        .testTarget(name: "SMTPClientTests", dependencies: ["SMTPClient", "TestSupport"]),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "PostgresCluster", "TestSupport"]),
        // The schedule oracle is a Python script the tests run, not a Swift source.
        .testTarget(
            name: "DomainTests", dependencies: ["Domain"],
            exclude: ["Schedules/oncall_oracle.py", "Maintenance/recurrence_oracle.py"]),
        .testTarget(name: "CryptoTests", dependencies: ["Crypto"]),
        .testTarget(name: "YAMLSubsetTests", dependencies: ["YAMLSubset"]),
        .testTarget(name: "NotificationsTests", dependencies: ["Notifications"]),
        .testTarget(name: "ThreadsTests", dependencies: ["Threads"]),
        .testTarget(name: "RepositoriesTests", dependencies: ["Repositories", "TestSupport"]),
        .testTarget(name: "APITests", dependencies: ["API", "App", "TestSupport"]),
        // HTTPClient: the escalation tests send pages to a real loopback receiver with it.
        .testTarget(name: "AppTests", dependencies: ["App", "HTTPClient", "TestSupport"]),
    ]
)

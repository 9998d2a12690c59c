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
        .target(name: "Crypto", dependencies: ["COpenSSL"]),
        .systemLibrary(name: "CEpoll"),  // epoll/eventfd headers for HTTPServer's event loops
        .target(name: "HTTPServer", dependencies: ["Log", "CZlib", "CEpoll"]),
        .target(name: "Postgres", dependencies: ["CLibPQ", "COpenSSL", "Log"]),
        .target(name: "PostgresCluster", dependencies: ["Log"]),
        .target(name: "Domain"),
        .target(name: "Repositories", dependencies: ["Postgres", "Domain", "Crypto"]),
        .target(name: "API", dependencies: ["HTTPServer", "Repositories", "Domain", "Postgres", "Crypto", "Log"]),
        .target(
            name: "App",
            dependencies: ["API", "Domain", "HTTPServer", "Postgres", "PostgresCluster", "Repositories", "Log"]),
        .executableTarget(
            name: "incidentd",
            dependencies: ["App", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .target(name: "TestSupport", dependencies: ["PostgresCluster", "Postgres", "HTTPServer", "Log"]),

        // libFuzzer target for the request parser (scripts/reliability/fuzz.sh); a plain build
        // links it with a replay main (CFuzzerReplay) instead.
        .target(name: "CFuzzerReplay"),
        .executableTarget(name: "HTTPParserFuzzer", dependencies: ["HTTPServer", "CFuzzerReplay"]),

        // Each test target mirrors one source target.
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "TestSupport"]),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "PostgresCluster", "TestSupport"]),
        .testTarget(name: "DomainTests", dependencies: ["Domain"]),
        .testTarget(name: "CryptoTests", dependencies: ["Crypto"]),
        .testTarget(name: "RepositoriesTests", dependencies: ["Repositories", "TestSupport"]),
        .testTarget(name: "APITests", dependencies: ["API", "App", "TestSupport"]),
        .testTarget(name: "AppTests", dependencies: ["App", "TestSupport"]),
    ]
)

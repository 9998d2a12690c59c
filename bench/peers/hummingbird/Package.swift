// swift-tools-version:6.2
import PackageDescription

// The benchmark peer for bench/http.sh: a minimal Hummingbird 2 server answering GET /healthz.
// It is a package of its own so it never becomes a dependency of incidentd.
let package = Package(
    name: "HealthzPeer",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1")
    ],
    targets: [
        .executableTarget(
            name: "HealthzPeer",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")])
    ]
)

// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "outlet-backup-monitor",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "backup-monitor", targets: ["backup-monitor"]),
        .library(name: "SMB2", targets: ["SMB2"]),
        .library(name: "BackupMonitor", targets: ["BackupMonitor"]),
        .library(name: "BackupMonitorWeb", targets: ["BackupMonitorWeb"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "4.0.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0", traits: []),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        // Pure-Swift SMB2/3 client: codecs, NTLM, signing, encryption, async API.
        .target(
            name: "SMB2",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // What a backup file's first and last blocks say: pure parsers over bytes (SPEC §5).
        .target(name: "BackupContent"),
        // Domain, evaluation rules, scan engine, storage, configuration.
        .target(
            name: "BackupMonitor",
            dependencies: [
                "SMB2",
                "BackupContent",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // Hummingbird application: API, SSE, auth, server-rendered pages.
        .target(
            name: "BackupMonitorWeb",
            dependencies: [
                "BackupMonitor",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "backup-monitor",
            dependencies: [
                "SMB2",
                "BackupMonitor",
                "BackupMonitorWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The web benchmark's synthetic history: built for the benchmarks and tests only, never
        // linked into backup-monitor (it deletes outlets, records and scans).
        .target(
            name: "BackupMonitorHistory",
            dependencies: ["BackupMonitor", .product(name: "SQLKit", package: "sql-kit")]
        ),
        .executableTarget(
            name: "generate-history",
            dependencies: [
                "BackupMonitor", "BackupMonitorHistory",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Shared helpers of the test targets: the fleet manifest and throwaway databases.
        .target(
            name: "BackupMonitorTesting",
            dependencies: ["BackupMonitor", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "BackupContentTests", dependencies: ["BackupContent"]),
        .testTarget(
            name: "SMB2Tests",
            dependencies: [
                "SMB2", .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "BackupMonitorTests",
            dependencies: [
                "BackupMonitor", "BackupMonitorTesting", "BackupMonitorHistory",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "BackupMonitorWebTests",
            dependencies: [
                "BackupMonitorWeb",
                "BackupMonitorTesting",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            // Expected HTML of every page, read by PageSnapshotTests through #filePath.
            exclude: ["Pages/__Snapshots__"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

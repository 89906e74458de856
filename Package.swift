// swift-tools-version:6.0
import PackageDescription

// Strict settings for every target we own (swift-log's Swift 6 block).
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

// The executables use mimalloc on Linux (apt `libmimalloc-dev`): libxml2 builds each page's tree from many
// small allocations, and glibc's malloc and free were about a sixth of the HTML path's time.
let mimalloc: [LinkerSetting] = [.linkedLibrary("mimalloc", .when(platforms: [.linux]))]

let package = Package(
    name: "newsflow",
    products: [
        .library(name: "Newsflow", targets: ["Newsflow"]),
        .executable(name: "newsflow", targets: ["newsflow"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        // C interop: a modulemap and a shim header, nothing else.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .systemLibrary(
            name: "CLibArchive",
            pkgConfig: "libarchive",
            providers: [.apt(["libarchive-dev"])]
        ),
        .systemLibrary(
            name: "CCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CBrotli", pkgConfig: "libbrotlidec", providers: [.apt(["libbrotli-dev"])]),
        // Value types shared by every stage: articles, tokens, mentions, records, errors.
        .target(name: "NewsCore", dependencies: ["CCrypto"], swiftSettings: strictSettings),
        // Reading inputs: files, folders, stdin, archives, WARC, JSON Lines; byte decoding; the watched inbox.
        .target(
            name: "NewsIngest",
            dependencies: [
                "NewsCore", "CLibArchive", .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // Fetching: HTTP through AsyncHTTPClient, feeds and sitemaps, robots.txt, politeness, address guard.
        .target(
            name: "NewsFetch",
            dependencies: [
                "NewsCore", "CLibXML2", "CZlib", "CBrotli",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // HTML cleaning and metadata through libxml2.
        .target(name: "NewsHTML", dependencies: ["NewsCore", "CLibXML2"], swiftSettings: strictSettings),
        // Tokenizer and sentence splitter.
        .target(name: "NewsText", dependencies: ["NewsCore"], swiftSettings: strictSettings),
        // Recognizers: entities (lexicon + patterns) and money.
        .target(name: "NewsExtract", dependencies: ["NewsCore", "NewsText"], swiftSettings: strictSettings),
        // JSON Lines sinks with atomic commit.
        .target(name: "NewsEmit", dependencies: ["NewsCore"], swiftSettings: strictSettings),
        // Staged workers, bounded queues, ordering, signals.
        .target(
            name: "NewsRuntime",
            dependencies: ["NewsCore", .product(name: "DequeModule", package: "swift-collections")],
            swiftSettings: strictSettings
        ),
        // Composition: pipeline definitions (YAML) and the stages wired into a run.
        .target(
            name: "Newsflow",
            dependencies: [
                "NewsCore", "NewsIngest", "NewsFetch", "NewsHTML", "NewsText", "NewsExtract", "NewsEmit", "NewsRuntime",
                .product(name: "Yams", package: "Yams"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // The CLI: a thin shell over Newsflow.
        .executableTarget(
            name: "newsflow",
            dependencies: [
                "Newsflow", "NewsFetch", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings,
            linkerSettings: mimalloc
        ),
        // Single-stage throughput (`scripts/bench --stages`): release build, one core.
        .executableTarget(
            name: "newsflow-bench",
            dependencies: ["Newsflow", "NewsCore", "NewsExtract", "NewsHTML"],
            path: "Benchmarks/newsflow-bench",
            swiftSettings: strictSettings,
            linkerSettings: mimalloc
        ),
        .target(
            name: "NewsTestSupport",
            dependencies: [],
            path: "Tests/NewsTestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(name: "NewsCoreTests", dependencies: ["NewsCore"], swiftSettings: strictSettings),
        .testTarget(name: "NewsTextTests", dependencies: ["NewsText", "NewsTestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "NewsIngestTests", dependencies: ["NewsIngest", "NewsTestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "NewsExtractTests",
            dependencies: ["NewsExtract", "NewsText", "Newsflow", "NewsTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "NewsHTMLTests",
            dependencies: ["NewsHTML", "NewsIngest", "NewsTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "NewsFetchTests", dependencies: ["NewsFetch", "NewsTestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "NewsRuntimeTests",
            dependencies: ["NewsRuntime", "NewsEmit", "NewsCore", "NewsTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["Newsflow", "newsflow", "NewsTestSupport"],
            swiftSettings: strictSettings
        ),
    ]
)

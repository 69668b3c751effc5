// swift-tools-version: 6.0
import PackageDescription

// Kernels run on raw pointers in hot loops; bounds and overflow checks stay on in debug builds
// (tests) and come off in release builds, where `ablate bench` measures.
let kernelSettings: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-enforce-exclusivity=unchecked", "-target-cpu", "haswell"], .when(configuration: .release)),
]

let package = Package(
    name: "Ablate",
    products: [
        .executable(name: "ablate", targets: ["ablate"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenBLAS",
            path: "Sources/COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .target(name: "Basics"),
        .target(name: "Model", dependencies: ["COpenBLAS", "Basics"], swiftSettings: kernelSettings),
        .target(name: "ToolUse", dependencies: ["Basics"]),
        .target(name: "Config", dependencies: ["Basics", .product(name: "Yams", package: "Yams")]),
        .target(name: "RunStore", dependencies: ["Basics", "Config"]),
        .target(name: "Rewards", dependencies: ["ToolUse", "Basics", "Config"]),
        .target(name: "Training", dependencies: ["Model", "ToolUse", "Rewards", "RunStore", "Basics", "Config"], swiftSettings: kernelSettings),
        .target(name: "Sweep", dependencies: ["Basics", "Config", "RunStore"]),
        .target(name: "Scheduler", dependencies: ["Sweep", "RunStore", "Config", "Basics"]),
        .target(name: "Slurm", dependencies: ["Sweep", "Scheduler", "RunStore", "Basics"]),
        .target(name: "Report", dependencies: ["Sweep", "RunStore", "Basics"]),
        .target(name: "External", dependencies: ["Training", "Rewards", "ToolUse", "Scheduler", "RunStore", "Basics", "Config"]),
        .target(
            name: "Benchmarks",
            dependencies: ["COpenBLAS", "Basics", "Model", "ToolUse", "Rewards", "Training", "Sweep", "RunStore", "Report"]
        ),
        .executableTarget(
            name: "ablate",
            dependencies: [
                "Basics", "Config", "RunStore", "Model", "ToolUse", "Rewards", "Training", "Sweep", "Scheduler", "Slurm", "Report", "External",
                "Benchmarks",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Test-only helpers shared by the test targets: temporary directories, tiny configs.
        .target(name: "TestSupport", dependencies: ["Basics", "Config", "RunStore", "Model", "Sweep", "Training", "Report"], path: "Tests/TestSupport"),
        .testTarget(name: "BasicsTests", dependencies: ["Basics", "TestSupport"]),
        .testTarget(name: "ConfigTests", dependencies: ["Config", "Basics", "TestSupport"]),
        .testTarget(name: "RunStoreTests", dependencies: ["RunStore", "Basics", "Config", "TestSupport"]),
        .testTarget(name: "ModelTests", dependencies: ["Model", "Basics"]),
        .testTarget(name: "ToolUseTests", dependencies: ["ToolUse", "Basics", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "RewardsTests", dependencies: ["Rewards", "ToolUse", "Basics", "Config", "Benchmarks", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Model", "ToolUse", "Rewards", "Basics", "Config", "RunStore", "TestSupport"]),
        .testTarget(name: "SweepTests", dependencies: ["Sweep", "Basics", "Config", "RunStore", "TestSupport"]),
        .testTarget(name: "SchedulerTests", dependencies: ["Scheduler", "Slurm", "Sweep", "Config", "RunStore", "TestSupport"]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "Sweep", "Basics", "RunStore", "Benchmarks", "TestSupport"], exclude: ["Fixtures"]),
        // End to end through the built `ablate` binary.
        .testTarget(name: "CLITests", dependencies: ["Sweep", "Config", "Basics", "TestSupport"]),
        .testTarget(name: "BenchmarksTests", dependencies: ["Benchmarks", "Report", "TestSupport"]),
        // Package.swift, the imports and docs/architecture.md agree.
        .testTarget(name: "LayoutTests"),
        .testTarget(name: "ExternalTests", dependencies: ["External", "Rewards", "Training", "Scheduler", "Sweep", "ToolUse", "Config", "RunStore"]),
    ],
    swiftLanguageModes: [.v5]
)

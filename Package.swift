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
        .target(name: "Model", dependencies: ["COpenBLAS"], swiftSettings: kernelSettings),
        .target(name: "ToolUse"),
        .target(name: "Rewards", dependencies: ["ToolUse"]),
        .target(name: "Training", dependencies: ["Model", "ToolUse", "Rewards"], swiftSettings: kernelSettings),
        .target(name: "Sweep", dependencies: [.product(name: "Yams", package: "Yams")]),
        .target(name: "Scheduler", dependencies: ["Sweep", "Training"]),
        .target(name: "Slurm", dependencies: ["Sweep", "Scheduler"]),
        .target(name: "Report", dependencies: ["Sweep"]),
        .target(name: "External", dependencies: ["Training", "Rewards", "ToolUse", "Scheduler"]),
        .executableTarget(
            name: "ablate",
            dependencies: [
                "Model", "ToolUse", "Rewards", "Training", "Sweep", "Scheduler", "Slurm", "Report", "External",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "ModelTests", dependencies: ["Model"]),
        .testTarget(name: "ToolUseTests", dependencies: ["ToolUse"], exclude: ["Fixtures"]),
        .testTarget(name: "RewardsTests", dependencies: ["Rewards", "ToolUse"], exclude: ["Fixtures"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Model", "ToolUse", "Rewards"]),
        .testTarget(name: "SweepTests", dependencies: ["Sweep"]),
        .testTarget(name: "SchedulerTests", dependencies: ["Scheduler", "Slurm", "Sweep", "Training"]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "Sweep"], exclude: ["Fixtures"]),
        .testTarget(name: "ExternalTests", dependencies: ["External", "Rewards", "Training", "Scheduler", "Sweep", "ToolUse"]),
    ],
    swiftLanguageModes: [.v5]
)

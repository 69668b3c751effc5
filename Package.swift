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
        .target(name: "Rewards", dependencies: ["ToolUse", "Basics"]),
        .target(name: "Training", dependencies: ["Model", "ToolUse", "Rewards", "Basics"], swiftSettings: kernelSettings),
        .target(name: "Sweep", dependencies: ["Basics", .product(name: "Yams", package: "Yams")]),
        .target(name: "Scheduler", dependencies: ["Sweep", "Basics"]),
        .target(name: "Report", dependencies: ["Basics"]),
        .executableTarget(
            name: "ablate",
            dependencies: [
                "Basics", "Model", "Rewards", "Training", "Sweep", "Scheduler", "Report",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "BasicsTests", dependencies: ["Basics"]),
        .testTarget(name: "ModelTests", dependencies: ["Model", "Basics"]),
        .testTarget(name: "ToolUseTests", dependencies: ["ToolUse", "Basics"]),
        .testTarget(name: "RewardsTests", dependencies: ["Rewards", "ToolUse", "Basics"], exclude: ["Fixtures"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Model", "ToolUse", "Rewards", "Basics"]),
        .testTarget(name: "SweepTests", dependencies: ["Sweep", "Basics"]),
        .testTarget(name: "SchedulerTests", dependencies: ["Scheduler", "Sweep", "Training"]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "Basics"]),
    ],
    swiftLanguageModes: [.v5]
)

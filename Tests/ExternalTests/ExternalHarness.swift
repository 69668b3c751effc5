import Foundation
import XCTest

/// Paths and processes the external-trainer tests share: the built `ablate`, the repository's
/// Python files, a scratch directory, and running a command to its end.
final class ExternalHarness {
    let root: String

    init() throws {
        root = NSTemporaryDirectory() + "ablate-external-tests-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static var banditTrainer: String { repository + "/examples/bandit/bandit_trainer.py" }
    static var pythonDirectory: String { repository + "/python" }

    /// The `ablate` executable built next to this test bundle.
    static var ablate: String {
        let candidates = [Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("ablate").path]
            + Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent().appendingPathComponent("ablate").path }
            + [repository + "/.build/debug/ablate"]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last!
    }

    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let path = root + "/" + name
        try! text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Starts `executable arguments` in the scratch directory, output to a file.
    func start(_ executable: String, _ arguments: [String], environment extra: [String: String] = [:],
               input: String? = nil) throws -> (Process, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: root)
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        let outputPath = root + "/out-\(UUID().uuidString.prefix(8)).txt"
        FileManager.default.createFile(atPath: outputPath, contents: nil)
        let output = FileHandle(forWritingAtPath: outputPath)!
        process.standardOutput = output
        process.standardError = output
        if let input {
            let inputPath = write("in-\(UUID().uuidString.prefix(8)).txt", input)
            process.standardInput = FileHandle(forReadingAtPath: inputPath)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        try output.close()
        return (process, outputPath)
    }

    /// Runs to the end; exit status and output.
    func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
             input: String? = nil) throws -> (status: Int32, output: String) {
        let (process, outputPath) = try start(executable, arguments, environment: environment, input: input)
        process.waitUntilExit()
        return (process.terminationStatus, (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "")
    }

    func ablate(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        try run(Self.ablate, arguments, environment: environment)
    }

    /// Runs a Python script (standard library only) with the repository's `python/` importable.
    func python(_ script: String, environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        var extra = environment
        extra["PYTHONPATH"] = Self.pythonDirectory
        return try run("/usr/bin/env", ["python3", write("script-\(UUID().uuidString.prefix(8)).py", script)], environment: extra)
    }

    /// Polls `condition` (no fixed sleeps) until it holds; fails after `limit` seconds or when
    /// `process` has exited first.
    func waitUntil(_ what: String, limit: Double = 60, while process: Process? = nil, _ condition: () -> Bool) {
        let deadline = Date().addingTimeInterval(limit)
        while !condition() {
            if Date() > deadline { XCTFail("timed out waiting until \(what)"); return }
            if let process, !process.isRunning, !condition() { XCTFail("the process exited before \(what)"); return }
            usleep(10_000)
        }
    }
}

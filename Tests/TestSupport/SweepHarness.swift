import Config
import Foundation
import RunStore
import Sweep
import Training
import XCTest

/// A temporary sweep workspace: a fake worker script, a control directory the fake workers report
/// into, and helpers to run the built `ablate` binary against it.
public final class SweepHarness {
    public let root: String
    public let control: String
    public let worker: String
    public var gate: String { control + "/go" }

    public init() throws {
        root = NSTemporaryDirectory() + "ablate-scheduler-tests-\(UUID().uuidString)"
        control = root + "/control"
        worker = root + "/fake-worker.sh"
        try FileManager.default.createDirectory(atPath: control, withIntermediateDirectories: true)
        try Self.fakeWorker.write(toFile: worker, atomically: true, encoding: .utf8)
        chmod(worker, 0o755)
        // The fake worker's behaviours are `init` values, which planning checks name a checkpoint
        // (relative to the workspace, where `ablate` runs): give each one a checkpoint directory.
        for behaviour in Self.fakeBehaviours {
            try FileManager.default.createDirectory(atPath: root + "/" + behaviour, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: root + "/" + behaviour + "/parameters.bin", contents: Data())
        }
    }

    /// The `init` values the fake worker acts on, and two plain ones (`a`, `b`) for runs that
    /// only train.
    public static let fakeBehaviours = ["explode", "crash", "hang", "stubborn", "a", "b"]

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// The `ablate` executable built next to this test bundle.
    public static var ablate: String {
        let candidates = [
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("ablate").path,
            Bundle.main.bundleURL.appendingPathComponent("ablate").path,
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent(".build/debug/ablate").path,
        ] + Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent().appendingPathComponent("ablate").path }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last!
    }

    @discardableResult
    public func write(_ name: String, _ text: String) -> String {
        let path = root + "/" + name
        try! FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Starts `ablate <arguments>`; output goes to a file (read it with `output(of:)`).
    /// `directory` (relative to the workspace) is the working directory, the workspace by default.
    public func start(_ arguments: [String], gated: Bool = false, name: String = UUID().uuidString,
                      environment extra: [String: String] = [:], in directory: String? = nil) throws -> (Process, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.ablate)
        process.arguments = arguments
        // `directory`: relative to the harness's root, or absolute.
        process.currentDirectoryURL = URL(fileURLWithPath: directory.map { $0.hasPrefix("/") ? $0 : root + "/" + $0 } ?? root)
        var environment = ProcessInfo.processInfo.environment
        environment["FAKE_CONTROL"] = control
        if gated { environment["FAKE_GATE"] = gate } else { environment["FAKE_GATE"] = nil }
        environment.merge(extra) { $1 }
        process.environment = environment
        let outputPath = root + "/\(name).out"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        let output = FileHandle(forWritingAtPath: outputPath)!
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try output.close()
        return (process, outputPath)
    }

    /// Runs `ablate <arguments>` to the end; returns exit status and output.
    public func ablate(_ arguments: [String], gated: Bool = false, in directory: String? = nil) throws -> (status: Int32, output: String) {
        let (process, outputPath) = try start(arguments, gated: gated, in: directory)
        process.waitUntilExit()
        return (process.terminationStatus, (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "")
    }

    public func runSweep(_ spec: String, runs: String = "runs", extra: [String] = [], gated: Bool = false) throws -> (status: Int32, output: String) {
        try ablate(["run", spec, "--runs", runs, "--worker-executable", worker] + extra, gated: gated)
    }

    public func plan(_ spec: String, runs: String = "runs") throws -> SweepPlan {
        let spec = try SweepSpec.load(file: root + "/" + spec)
        return try SweepPlanner(resolver: RunConfig.resolver).plan(spec)
    }

    public func ledger(_ runs: String = "runs") -> Ledger { Ledger(root: root + "/" + runs) }

    /// How many times the fake worker started for a run.
    public func starts(_ id: String) -> Int {
        ((try? String(contentsOfFile: control + "/starts-\(id)", encoding: .utf8)) ?? "").split(separator: "\n").count
    }

    /// Worker pids recorded for a run, in start order.
    public func workerPIDs(_ id: String) -> [Int32] {
        ((try? String(contentsOfFile: control + "/starts-\(id)", encoding: .utf8)) ?? "")
            .split(separator: "\n").compactMap { $0.split(separator: " ").last.flatMap { Int32($0) } }
    }

    /// Ids of runs whose worker reached the gate.
    public func runsAtGate() -> Set<String> {
        Set(((try? FileManager.default.contentsOfDirectory(atPath: control)) ?? []).filter { $0.hasPrefix("at-") }.map { String($0.dropFirst(3)) })
    }

    public func openGate() { _ = FileManager.default.createFile(atPath: gate, contents: Data()) }

    /// Waits (polling files, no fixed sleeps) until `condition` holds; fails after a generous limit.
    /// With `while process` given, gives up as soon as that process has exited.
    public func waitUntil(_ what: String, limit: Double = 60, while process: Process? = nil, _ condition: () -> Bool) {
        let deadline = Date().addingTimeInterval(limit)
        while !condition() {
            if Date() > deadline { XCTFail("timed out waiting until \(what)"); return }
            if let process, !process.isRunning, !condition() { XCTFail("the process exited before \(what)"); return }
            usleep(10_000)
        }
    }

    /// Metrics lines without the wall-clock fields, which differ between any two runs.
    public static func deterministicMetrics(_ text: String) throws -> [String] {
        try text.split(separator: "\n").map { line in
            var tree = try JSONTreeParser.parse(String(line))
            if var entries = tree.entries {
                entries.removeAll { ["step_time", "tokens_per_second"].contains($0.key) }
                tree.value = .map(entries)
            }
            return try CanonicalJSON.string(tree)
        }
    }

    public func metrics(_ id: String, runs: String = "runs") -> String {
        (try? String(contentsOfFile: ledger(runs).runDirectory(id) + "/metrics.jsonl", encoding: .utf8)) ?? "<none>"
    }

    /// The fake worker: `<run dir> --threads N`. Its behaviour comes from the top-level `init` in
    /// config.json (pretty-printed: two spaces in; `critic.init` is deeper), one of
    /// `fakeBehaviours`: `explode` fails with a reason, `crash` dies of SIGSEGV, `hang` never ends,
    /// `stubborn` never ends and ignores SIGTERM;
    /// anything else writes FAKE_STEPS (4) metrics lines derived from the config's checksum,
    /// checkpointing after each, resuming from the checkpoint. With FAKE_GATE set it waits after
    /// each step until that file exists. SIGTERM: record `interrupted`, exit 130.
    public static let fakeWorker = #"""
    #!/bin/bash
    dir="$1"
    id=$(basename "$dir")
    control="${FAKE_CONTROL:-/tmp}"
    echo "start $$" >> "$control/starts-$id"
    echo "$id" >> "$control/order"
    behaviour=$(grep -o '^  "init" *: *"[^"]*"' "$dir/config.json" | head -1 | sed 's/.*"\([^"]*\)"$/\1/')
    steps=${FAKE_STEPS:-4}
    sum=$(cksum < "$dir/config.json" | cut -d' ' -f1)
    checkpoint=0
    [ -f "$dir/checkpoint" ] && checkpoint=$(cat "$dir/checkpoint")
    if [ -f "$dir/metrics.jsonl" ]; then head -n "$checkpoint" "$dir/metrics.jsonl" > "$dir/metrics.tmp"; mv "$dir/metrics.tmp" "$dir/metrics.jsonl"; fi
    trap 'echo "{\"outcome\": \"interrupted\", \"step\": $checkpoint}" > "$dir/result.json"; echo "interrupted at $checkpoint" >> "$dir/log.txt"; exit 130' TERM INT
    case "$behaviour" in
      explode) echo "step 1 loss nan" >> "$dir/log.txt"; echo '{"outcome": "failed", "reason": "diverged: NaN loss at step 1"}' > "$dir/result.json"; exit 1 ;;
      crash) echo "about to crash" >> "$dir/log.txt"; kill -SEGV $$ ;;
      hang) echo "hanging" > "$control/at-$id"; while true; do sleep 0.05 & wait $!; done ;;
      stubborn) trap '' TERM INT; echo "stubborn" > "$control/at-$id"; while true; do sleep 0.05; done ;;
    esac
    for ((s = checkpoint + 1; s <= steps; s++)); do
      echo "{\"kind\": \"train\", \"step\": $s, \"reward\": $(( (sum + s * 7) % 1000 ))}" >> "$dir/metrics.jsonl"
      echo "$s" > "$dir/checkpoint.tmp"; mv "$dir/checkpoint.tmp" "$dir/checkpoint"
      checkpoint=$s
      echo "step $s" >> "$dir/log.txt"
      if [ -n "$FAKE_GATE" ]; then
        echo "$s" > "$control/at-$id"
        while [ ! -e "$FAKE_GATE" ]; do sleep 0.02 & wait $!; done
      fi
    done
    echo "{\"step\": $steps, \"splits\": {\"overall\": {\"accuracy\": 0.5}}}" > "$dir/eval.json"
    echo "{\"outcome\": \"done\", \"step\": $steps}" > "$dir/result.json"
    exit 0
    """#
}

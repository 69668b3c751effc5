import Basics
import Foundation
import Report
import RunStore
import Sweep

/// Writes a made-up sweep ledger (plan.json, state.json, metrics.jsonl, eval.json per run) in
/// the formats of docs/architecture.md: for tests, documentation examples and the benchmark.
/// Values are deterministic: a per-label effect plus seeded noise.
struct SyntheticLedger {
    var sweep = "synthetic"
    /// Axes in row-name order with their labels; an axis named `variant` plays the spec's variants.
    var axes: [(name: String, labels: [String])] = [("variant", ["baseline", "length", "coarse"])]
    var seeds = 3
    var steps = 40
    var evalEvery = 10
    var report = ReportSettings(metric: .eval(split: "unseen", metric: "accuracy"), baseline: ["variant": "baseline"])
    /// The state of run `index` (plan order); done by default.
    var state: (Int) -> RunState = { _ in .done }
    /// Added to every eval accuracy of a run with this label (default: a spread by label position).
    var effects: [String: Double] = [:]
    /// Noise standard deviation of eval accuracies between seeds.
    var noise = 0.02

    init() {}

    /// The number of runs (every label combination × seeds).
    var runCount: Int { axes.reduce(seeds) { $0 * $1.labels.count } }

    /// Writes the ledger under `root` (`root/<sweep>/plan.json`, `root/store/<id>/…`).
    @discardableResult
    func write(into root: URL) throws -> (sweepDirectory: URL, storeDirectory: URL) {
        let sweepDirectory = root.appendingPathComponent(sweep, isDirectory: true)
        let store = root.appendingPathComponent("store", isDirectory: true)
        try FileManager.default.createDirectory(at: sweepDirectory, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: store, withIntermediateDirectories: true)

        var combinations: [[String]] = [[]]
        for axis in axes { combinations = combinations.flatMap { prefix in axis.labels.map { prefix + [$0] } } }
        var runEntries: [(id: String, labels: [String], seed: Int)] = []
        for labels in combinations {
            for seed in 0..<seeds {
                let id = String(format: "%016llx", SplitMix64.mix(UInt64(runEntries.count) &+ 0x9E37_79B9))
                runEntries.append((id, labels, seed))
            }
        }
        let plan = PlanFile(
            sweep: sweep, specPath: "/synthetic/\(sweep).yaml", axes: axes.map(\.name),
            runs: runEntries.map { entry in
                PlanFile.Run(id: entry.id, row: entry.labels.joined(separator: " / "),
                             labels: Dictionary(uniqueKeysWithValues: zip(axes.map(\.name), entry.labels)), seed: entry.seed)
            },
            report: report)
        try plan.encoded().write(to: sweepDirectory.appendingPathComponent("plan.json"))

        for (index, entry) in runEntries.enumerated() {
            try writeRun(index: index, id: entry.id, labels: entry.labels, seed: entry.seed, store: store)
        }
        return (sweepDirectory, store)
    }

    private func effect(of labels: [String]) -> Double {
        var total = 0.0
        for (axisIndex, (axis, label)) in zip(axes, labels).enumerated() {
            if let e = effects[label] { total += e; continue }
            let position = Double(axis.labels.firstIndex(of: label) ?? 0)
            total += axisIndex == 0 ? -0.05 * position : 0.015 * Double(Int(position) % 5)
        }
        return total
    }

    private func writeRun(index: Int, id: String, labels: [String], seed: Int, store: URL) throws {
        let directory = store.appendingPathComponent(id, isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let runState = state(index)
        var random = UInt64(index) &* 0x2545_F491_4F6C_DD1D &+ 1
        func gaussian() -> Double {
            random = SplitMix64.mix(random)
            let u1 = Double(random >> 11) / Double(1 << 53) + 1e-12
            random = SplitMix64.mix(random)
            let u2 = Double(random >> 11) / Double(1 << 53)
            return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
        }
        let effect = effect(of: labels)
        let seedShift = noise * gaussian()
        let lastStep = runState == .done ? steps : runState == .pending ? 0 : steps / 2
        let splitOffsets: [(String, Double)] = [("overall", 0), ("seen", 0.12), ("unseen", -0.08), ("multi", -0.25), ("irrelevant", 0.05)]

        func evalObject(step: Int) -> String {
            let progress = Double(step) / Double(steps)
            let parts = splitOffsets.map { split, offset -> String in
                let accuracy = min(1, max(0, 0.15 + 0.45 * progress + offset + effect + seedShift + 0.005 * gaussian()))
                return "\"\(split)\": {\"accuracy\": \(accuracy), \"tool_name_accuracy\": \(min(1, accuracy + 0.2)), \"format_validity\": \(min(1, 0.5 + progress / 2)), \"reward/total\": \(4 * accuracy - 1), \"reasoning_length\": \(30 + 10 * progress), \"count\": 40}"
            }
            return "{\"step\": \(step), \"splits\": {" + parts.joined(separator: ", ") + "}}"
        }

        var lines = ""
        if lastStep > 0 {
            for step in 1...lastStep {
                let progress = Double(step) / Double(steps)
                let format = min(1, 0.2 + 0.8 * progress + 0.05 * gaussian())
                let correctness = -1.5 + 3.2 * progress + 4 * effect + 8 * seedShift + 0.2 * gaussian()
                let reward = format + correctness
                lines += "{\"kind\": \"train\", \"step\": \(step), \"reward\": \(reward), \"reward_std\": \(0.8 + 0.1 * gaussian()), \"rewards/format/mean\": \(format), \"rewards/format/std\": 0.3, \"rewards/correctness/mean\": \(correctness), \"rewards/correctness/std\": 0.9, \"frac_reward_zero_std\": 0.1, \"kl\": \(0.001 * Double(step)), \"entropy\": 1.2, \"clip_ratio/low_mean\": 0.0, \"clip_ratio/high_mean\": 0.0, \"clip_ratio/region_mean\": 0.0, \"completions/mean_length\": 64.5, \"completions/min_length\": 12, \"completions/max_length\": 128, \"completions/clipped_ratio\": 0.05, \"loss\": \(0.1 * gaussian()), \"grad_norm\": 0.8, \"learning_rate\": 0.0003, \"step_time\": 0.41, \"tokens_per_second\": 12000.5, \"num_tokens\": \(step * 4096)}\n"
                if step % evalEvery == 0 && !(runState == .done && step == steps) {
                    lines += "{\"kind\": \"eval\", " + evalObject(step: step).dropFirst() + "\n"
                }
            }
        }
        if !lines.isEmpty && runState != .done { try Data(lines.utf8).write(to: directory.appendingPathComponent("metrics.jsonl")) }
        if runState == .done {
            let final = evalObject(step: steps)
            try Data((final + "\n").utf8).write(to: directory.appendingPathComponent("eval.json"))
            try Data((lines + "{\"kind\": \"eval\", " + final.dropFirst() + "\n").utf8).write(
                to: directory.appendingPathComponent("metrics.jsonl"))
        }
        if runState != .pending {
            let error = runState == .failed ? "\"loss is NaN at step \(lastStep)\"" : "null"
            let state = "{\"id\": \"\(id)\", \"state\": \"\(runState.rawValue)\", \"attempts\": 1, \"host\": \"synthetic\", \"pid\": 1, \"lease_expires\": null, \"started_at\": \"2026-01-01T00:00:00Z\", \"finished_at\": null, \"error\": \(error), \"last_log_lines\": [], \"step\": \(lastStep), \"total_steps\": \(steps)}\n"
            try Data(state.utf8).write(to: directory.appendingPathComponent("state.json"))
        }
    }
}

import Foundation
import Report

/// Times a full report (read every run's files, reduce, aggregate, test, render and write all
/// five formats) over a synthetic ledger, for `ablate bench`.
public enum ReportBenchmark {
    /// Seconds to report a synthetic sweep of about `runs` runs (5 seeds, two axes, 100
    /// training steps with every TRL metric per line, an evaluation every 20 steps). Writing the
    /// synthetic ledger into a temporary directory is not timed; the directory is removed after.
    static func secondsFor(runs: Int) -> Double {
        (try? measure(runs: runs).seconds) ?? .nan
    }

    /// The time and the number of runs actually reported (label counts round `runs`).
    public static func measure(runs: Int, steps: Int = 100, evalEvery: Int = 20) throws -> (seconds: Double, runs: Int) {
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("ablate-report-bench-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        var ledger = SyntheticLedger()
        ledger.sweep = "bench"
        ledger.seeds = min(5, max(1, runs))
        let combinations = max(1, runs / ledger.seeds)
        let variants = min(10, combinations)
        ledger.axes = [("variant", ["baseline"] + (1..<variants).map { "variant-\($0)" }),
                       ("reward.scale", (0..<max(1, combinations / variants)).map { "scale-\($0)" })]
        ledger.steps = steps
        ledger.evalEvery = evalEvery
        let (sweepDirectory, store) = try ledger.write(into: root)
        // Flush the freshly written ledger first, so disk write-back does not run during the timing.
        sync()
        let start = DispatchTime.now().uptimeNanoseconds
        try ReportWriter.writeAll(sweepDirectory: sweepDirectory, storeDirectory: store)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return (seconds, ledger.runCount)
    }
}


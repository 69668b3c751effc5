import ArgumentParser
import Foundation
import Report
import Rewards
import RunStore
import Scheduler

/// Where runs live: the content-addressed store and the sweep views.
struct RunsOptions: ParsableArguments {
    @Option(name: .long, help: "Root of the run store and sweep views.")
    var runs: String = "runs"
}

/// The spec argument and the runs root, shared by `plan`, `run` and `status`.
struct SweepOptions: ParsableArguments {
    @Argument(help: "The sweep spec (YAML, format v1; see docs/spec.md).")
    var spec: String

    @OptionGroup var runsOptions: RunsOptions

    var ledger: Ledger { Ledger(root: runsOptions.runs) }
}

/// The BLAS threads one training run uses (`train`, `worker`).
struct RunThreadsOptions: ParsableArguments {
    @Option(name: .long, help: "OpenBLAS threads for this run.")
    var threads: Int = 1

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }
}

/// A wall-clock duration on the command line: `90s`, `30m`, `2h`, `1d`, `1.5h`; a plain number
/// is seconds.
struct DurationArgument: ExpressibleByArgument {
    var seconds: Double
    /// As typed, to pass on to another command line.
    var text: String

    init?(argument: String) {
        guard let seconds = SchedulerOptions.parseDuration(argument) else { return nil }
        self.seconds = seconds
        text = argument
    }
}

extension RewardFidelity: ExpressibleByArgument {}
extension ReportFormat: ExpressibleByArgument {}

/// Seeds on the command line: `3`, `0-2`, `0,3,5-7` (`ablate run --seeds`).
struct SeedSelection: ExpressibleByArgument {
    var seeds: Set<Int>
    /// As typed, for messages.
    var text: String

    init?(argument: String) {
        var seeds = Set<Int>()
        for part in argument.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard (1...2).contains(bounds.count), let low = bounds.first ?? nil, let high = bounds.last ?? nil,
                  low >= 0, low <= high else { return nil }
            seeds.formUnion(low...high)
        }
        guard !seeds.isEmpty else { return nil }
        self.seeds = seeds
        text = argument
    }
}

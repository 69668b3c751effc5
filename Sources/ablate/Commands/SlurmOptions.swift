import ArgumentParser
import Slurm
import Sweep

/// Where `ablate run` trains: here, or on a Slurm cluster.
enum Executor: String, CaseIterable, ExpressibleByArgument {
    case local, slurm
}

extension SweepArray: ExpressibleByArgument {}

/// `ablate run --executor slurm`'s resource and site options. Each may also be set in the spec's
/// `executor: slurm:` section; a value given here wins, lines given here come after the spec's.
struct SlurmOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Slurm partition for the array tasks.", valueName: "name"))
    var partition: String?

    @Option(help: ArgumentHelp("Slurm account to charge.", valueName: "name"))
    var account: String?

    @Option(help: ArgumentHelp("Slurm quality of service.", valueName: "name"))
    var qos: String?

    @Option(help: ArgumentHelp("Time limit per array task: 30 (minutes), 4:00:00, 1-12:00:00.", valueName: "limit"))
    var time: String?

    @Option(help: ArgumentHelp("Memory per array task: 16G, 4000M.", valueName: "size"))
    var mem: String?

    @Option(help: ArgumentHelp("CPUs per array task; each worker uses them as BLAS threads (default 1).", valueName: "n"))
    var cpusPerTask: Int?

    @Option(help: ArgumentHelp("GPUs per array task: 1, or typed, a100:1.", valueName: "count"))
    var gpusPerTask: String?

    @Option(help: ArgumentHelp("Slurm node features required (sbatch --constraint).", valueName: "features"))
    var constraint: String?

    @Option(help: ArgumentHelp("Array tasks running at once (the %N of sbatch --array).", valueName: "n"))
    var arrayParallelism: Int?

    @Option(help: ArgumentHelp("Seconds before the time limit that a task is told (USR1) to checkpoint and requeue itself (default 120).", valueName: "seconds"))
    var signalGrace: Int?

    @Option(name: .customLong("sbatch-option"), parsing: .unconditionalSingleValue,
            help: ArgumentHelp("An extra #SBATCH line, e.g. --sbatch-option --exclusive (repeatable).", valueName: "option"))
    var sbatchOptions: [String] = []

    @Option(name: .customLong("setup"), parsing: .unconditionalSingleValue,
            help: ArgumentHelp("A shell line each task runs first, e.g. --setup 'module load openblas' (repeatable).", valueName: "line"))
    var setup: [String] = []

    var settings: SlurmSettings {
        var settings = SlurmSettings()
        settings.partition = partition
        settings.account = account
        settings.qos = qos
        settings.time = time
        settings.mem = mem
        settings.cpusPerTask = cpusPerTask
        settings.gpusPerTask = gpusPerTask
        settings.constraint = constraint
        settings.arrayParallelism = arrayParallelism
        settings.signalGrace = signalGrace
        settings.sbatchOptions = sbatchOptions
        settings.setup = setup
        return settings
    }

    var isEmpty: Bool { settings == SlurmSettings() }

    func validate() throws {
        if let problem = settings.problems().first {
            let flag = problem.key == "sbatch_options" ? "sbatch-option" : problem.key.replacingOccurrences(of: "_", with: "-")
            throw ValidationError("--\(flag): \(problem.message)")
        }
    }
}

import ArgumentParser

/// Where runs live: the content-addressed store and the sweep views.
struct RunsOptions: ParsableArguments {
    @Option(name: .long, help: "Root of the run store and sweep views.")
    var runs: String = "runs"
}

/// The BLAS threads one training run uses (`train`, `worker`).
struct RunThreadsOptions: ParsableArguments {
    @Option(name: .long, help: "OpenBLAS threads for this run.")
    var threads: Int = 1

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }
}

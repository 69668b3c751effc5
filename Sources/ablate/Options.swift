import ArgumentParser

/// Where runs live: the content-addressed store and the sweep views.
struct RunsOptions: ParsableArguments {
    @Option(name: .long, help: "Root of the run store and sweep views.")
    var runs: String = "runs"
}

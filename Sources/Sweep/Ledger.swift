import Foundation

/// The runs directory on disk: a content-addressed store shared by every sweep, and one view
/// directory per sweep.
///
///     <root>/store/<id>/   config.json  state.json  metrics.jsonl  eval.json  checkpoint/  log.txt
///     <root>/<sweep>/      spec.yaml  plan.json  report/
///
/// Every file the ledger writes is written atomically (`AtomicFile`). A run that appears in two
/// sweeps has one store entry, so it is trained once.
public struct Ledger: Sendable {
    public let root: String

    public init(root: String) {
        self.root = URL(fileURLWithPath: root).standardizedFileURL.path
    }

    public var storePath: String { root + "/store" }
    public func runDirectory(_ id: String) -> String { "\(storePath)/\(id)" }
    public func sweepDirectory(_ sweep: String) -> String { "\(root)/\(sweep)" }
    public func statePath(_ id: String) -> String { runDirectory(id) + "/state.json" }
    public func configPath(_ id: String) -> String { runDirectory(id) + "/config.json" }

    /// Creates store entries (config.json, a pending state.json) for every run not yet in the
    /// store, and writes the sweep's spec.yaml (exact bytes) and plan.json. A run not yet done
    /// whose data files moved (same content, other paths) gets its config.json rewritten.
    public func record(_ plan: SweepPlan, specBytes: Data) throws {
        try createDirectory(sweepDirectory(plan.sweep))
        for run in plan.uniqueRunsInDependencyOrder {
            try createDirectory(runDirectory(run.id))
            let configPath = configPath(run.id)
            let pretty = try CanonicalJSON.prettyString(run.config)
            if let existing = try? String(contentsOfFile: configPath, encoding: .utf8) {
                // Same id means same identity; a differing identity was edited by hand.
                if existing != pretty, let parsed = try? JSONTreeParser.parse(existing, file: configPath) {
                    guard (try? CanonicalJSON.string(FileReferences.identity(of: parsed))) == run.canonicalConfig else {
                        throw LedgerError.corrupt("\(configPath) does not match run \(run.id) (edited by hand?); move it away and plan again")
                    }
                    if readState(run.id)?.state != .done { try AtomicFile.write(pretty, to: configPath) }
                }
            } else {
                try AtomicFile.write(pretty, to: configPath)
            }
            if !FileManager.default.fileExists(atPath: statePath(run.id)) {
                // Another process may be creating (or already running) this entry: never overwrite.
                var state = RunState(id: run.id)
                state.totalSteps = Self.totalSteps(in: run.config)
                try AtomicFile.createIfAbsent(try Self.encode(state), at: statePath(run.id))
            }
        }
        try AtomicFile.write(specBytes, to: sweepDirectory(plan.sweep) + "/spec.yaml")
        try AtomicFile.write(try PlanFile(plan).encoded(), to: sweepDirectory(plan.sweep) + "/plan.json")
    }

    /// The run's state, or nil when it has none yet (or the file is unreadable).
    public func readState(_ id: String) -> RunState? {
        guard let data = FileManager.default.contents(atPath: statePath(id)) else { return nil }
        return try? JSONDecoder().decode(RunState.self, from: data)
    }

    public func writeState(_ state: RunState) throws {
        try AtomicFile.write(try Self.encode(state), to: statePath(state.id))
    }

    static func encode(_ state: RunState) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(state)
    }

    /// Reads, changes and writes a run's state (single writer: the claim holder).
    @discardableResult
    public func updateState(_ id: String, _ change: (inout RunState) -> Void) throws -> RunState {
        var state = readState(id) ?? RunState(id: id)
        change(&state)
        try writeState(state)
        return state
    }

    public func readPlan(sweep: String) throws -> PlanFile {
        let path = sweepDirectory(sweep) + "/plan.json"
        guard let data = FileManager.default.contents(atPath: path) else { throw LedgerError.corrupt("no plan at \(path); run 'ablate plan' first") }
        return try JSONDecoder().decode(PlanFile.self, from: data)
    }

    /// `train.steps` of a resolved config, when it has one.
    public static func totalSteps(in config: ConfigTree) -> Int? {
        if case .scalar(.int(let steps))? = config.value(atPath: "train.steps")?.value { return steps }
        return nil
    }

    func createDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw LedgerError.corrupt("cannot create directory '\(path)': \(error.localizedDescription)")
        }
    }
}

import Basics
import Foundation
import RunStore
import Sweep

/// A run's status: state.json's fields that a report shows.
public struct RunStatus: Sendable, Equatable {
    /// The run's state (`pending` when state.json does not exist yet); nil when state.json exists
    /// but cannot be read: such a run is reported, never counted.
    public var state: RunState?
    public var error: String?
    public var step: Int?
    public var totalSteps: Int?
    public var attempts: Int?
    public var finishedAt: String?

    init(state: RunState?, error: String? = nil, step: Int? = nil, totalSteps: Int? = nil,
                attempts: Int? = nil, finishedAt: String? = nil) {
        self.state = state
        self.error = error
        self.step = step
        self.totalSteps = totalSteps
        self.attempts = attempts
        self.finishedAt = finishedAt
    }

    /// The states in the order reports list them; nil is "unreadable".
    static let shownStates: [RunState?] = [.done, .running, .pending, .failed, nil]

    /// How a report names a state: its raw value, or `unreadable`.
    public static func name(_ state: RunState?) -> String { state?.rawValue ?? "unreadable" }

    var stateName: String { Self.name(state) }
}

/// Everything a report reads for one run.
public struct RunRecord: Sendable {
    public var run: PlanFile.Run
    public var status: RunStatus
    /// `train.<name>` series for the names the report needs.
    public var train: [String: Series]
    /// split → metric → series from eval lines, with eval.json's final evaluation merged in.
    public var eval: [String: [String: Series]]
    /// Problems found while reading (file:line: message); the rest of the run is still used.
    public var warnings: [String]

    /// The series for a metric path, or nil when the run has none.
    public func series(_ path: MetricPath) -> Series? {
        switch path {
        case .train(let name): return train[name]
        case .eval(let split, let metric): return eval[split]?[metric]
        }
    }
}

/// Reads the ledger files of runs in the store: state.json, metrics.jsonl, eval.json.
struct LedgerReader {
    var selection: MetricSelection
    /// The store directory's path, made once (a URL per run costs more than reading its state).
    private let storePath: String

    init(storeDirectory: URL, selection: MetricSelection) {
        self.selection = selection
        storePath = storeDirectory.path
    }

    func read(_ run: PlanFile.Run) -> RunRecord {
        var metrics = MetricsReader(selection: selection)
        return read(run, buffer: GrowableBuffer(capacity: 1 << 16), metrics: &metrics)
    }

    /// One run through a reading thread's buffer and metrics reader (reset here).
    func read(_ run: PlanFile.Run, buffer: GrowableBuffer<UInt8>, metrics: inout MetricsReader) -> RunRecord {
        let files = RunDirectory(storePath.hasSuffix("/") ? storePath + run.id : storePath + "/" + run.id)
        var warnings: [String] = []
        let status = readStatus(files.state, buffer: buffer, warnings: &warnings)
        metrics.reset()
        metrics.read(files.metrics, buffer: buffer)
        metrics.readFinalEvaluation(files.eval, buffer: buffer)
        warnings += metrics.warnings
        return RunRecord(run: run, status: status, train: metrics.trainSeries(), eval: metrics.evalSeries(),
                         warnings: warnings)
    }

    /// Reads many runs on all cores; the result is in the order of `runs`.
    func readAll(_ runs: [PlanFile.Run]) -> [RunRecord] {
        var records = [RunRecord?](repeating: nil, count: runs.count)
        records.withUnsafeMutableBufferPointer { slots in
            let slotsBase = slots.baseAddress!
            let chunk = 64
            let chunks = (runs.count + chunk - 1) / chunk
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                let buffer = GrowableBuffer<UInt8>(capacity: 1 << 16)
                var metrics = MetricsReader(selection: selection)
                for i in (c * chunk)..<min(runs.count, (c + 1) * chunk) {
                    (slotsBase + i).pointee = read(runs[i], buffer: buffer, metrics: &metrics)
                }
            }
        }
        return records.map { $0! }
    }

    func readStatus(_ path: String, buffer: GrowableBuffer<UInt8>, warnings: inout [String]) -> RunStatus {
        let file: StateFile?
        do { file = try StateFile.read(at: path, buffer: buffer) } catch {
            warnings.append("\(error) (the run is reported as unreadable)")
            return RunStatus(state: nil, error: "state.json unreadable")
        }
        guard let file else { return RunStatus(state: .pending) }
        var error = file.error
        if file.state == .failed, error == nil || error!.isEmpty {
            error = file.lastLogLines.last.map { "last log line: \($0)" }
        }
        return RunStatus(state: file.state, error: error, step: file.step, totalSteps: file.totalSteps,
                         attempts: file.attempts, finishedAt: file.finishedAt)
    }
}

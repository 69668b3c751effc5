import Basics
import Foundation

/// A run's lifecycle state from state.json (`pending` when the file does not exist yet).
public enum ReportRunState: String, Sendable, Codable {
    case pending, running, done, failed
    /// state.json exists but cannot be read: reported, never counted.
    case unreadable
}

/// A run's status: state.json's fields that a report shows.
public struct RunStatus: Sendable, Equatable {
    public var state: ReportRunState
    public var error: String?
    public var step: Int?
    public var totalSteps: Int?
    public var attempts: Int?
    public var finishedAt: String?

    public init(state: ReportRunState, error: String? = nil, step: Int? = nil, totalSteps: Int? = nil,
                attempts: Int? = nil, finishedAt: String? = nil) {
        self.state = state
        self.error = error
        self.step = step
        self.totalSteps = totalSteps
        self.attempts = attempts
        self.finishedAt = finishedAt
    }
}

/// (step, value) points of one metric in step order.
public struct Series: Sendable, Equatable {
    public var steps: [Int] = []
    public var values: [Double] = []
    public init(steps: [Int] = [], values: [Double] = []) {
        self.steps = steps
        self.values = values
    }
    mutating func append(_ step: Int, _ value: Double) {
        steps.append(step)
        values.append(value)
    }
}

/// Everything a report reads for one run.
public struct RunRecord: Sendable {
    public var run: ReportPlanRun
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
    var storeDirectory: URL
    var selection: MetricSelection

    func read(_ run: ReportPlanRun, buffer: GrowableBuffer<UInt8> = GrowableBuffer(capacity: 1 << 16)) -> RunRecord {
        let directory = storeDirectory.appendingPathComponent(run.id, isDirectory: true)
        var warnings: [String] = []
        let status = readStatus(directory.appendingPathComponent("state.json"), warnings: &warnings)
        var metrics = MetricsFileReader(selection: selection)
        metrics.read(directory.appendingPathComponent("metrics.jsonl"), buffer: buffer)
        metrics.readFinalEvaluation(directory.appendingPathComponent("eval.json"))
        warnings += metrics.warnings
        return RunRecord(run: run, status: status, train: metrics.trainSeries(), eval: metrics.evalSeries(),
                         warnings: warnings)
    }

    /// Reads many runs on all cores; the result is in the order of `runs`.
    func readAll(_ runs: [ReportPlanRun]) -> [RunRecord] {
        var records = [RunRecord?](repeating: nil, count: runs.count)
        records.withUnsafeMutableBufferPointer { slots in
            let slotsBase = slots.baseAddress!
            let chunk = 64
            let chunks = (runs.count + chunk - 1) / chunk
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                let buffer = GrowableBuffer<UInt8>(capacity: 1 << 16)
                for i in (c * chunk)..<min(runs.count, (c + 1) * chunk) {
                    (slotsBase + i).pointee = read(runs[i], buffer: buffer)
                }
            }
        }
        return records.map { $0! }
    }

    func readStatus(_ url: URL, warnings: inout [String]) -> RunStatus {
        guard let data = FileManager.default.contents(atPath: url.path) else { return RunStatus(state: .pending) }
        let root: JSONNode
        do { root = try parseJSONDocument(data) } catch {
            let where_ = (error as? JSONSyntaxError).map { e -> String in
                let (l, c) = lineAndColumn(in: data, offset: e.offset)
                return "\(l):\(c): \(e.message)"
            } ?? "\(error)"
            warnings.append("\(url.path):\(where_) (state.json unreadable; the run is reported as unreadable)")
            return RunStatus(state: .unreadable, error: "state.json unreadable")
        }
        guard let name = root["state"]?.stringValue, let state = ReportRunState(rawValue: name), state != .unreadable else {
            warnings.append("\(url.path): \"state\" is missing or not one of pending, running, done, failed")
            return RunStatus(state: .unreadable, error: "state.json has no valid state")
        }
        var error = root["error"]?.stringValue
        if state == .failed, error == nil || error!.isEmpty {
            error = (root["last_log_lines"]?.arrayValue?.last?.stringValue).map { "last log line: \($0)" }
        }
        return RunStatus(state: state, error: error, step: root["step"]?.intValue,
                         totalSteps: root["total_steps"]?.intValue, attempts: root["attempts"]?.intValue,
                         finishedAt: root["finished_at"]?.stringValue)
    }
}

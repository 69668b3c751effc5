import Basics
import Foundation

/// `eval.json`: a run's final evaluation, `{"step": N, "splits": {"<split>": {"<metric>": x}}}`,
/// the same shape as an eval line of `metrics.jsonl`. Written once at the end of training;
/// `MetricsReader.readFinalEvaluation` reads it for reports.
public enum EvalFile {
    public static func write(step: Int, splits: [(String, MetricValue)], to path: String) throws {
        let json = MetricsJSON.object([("step", .number(Double(step))), ("splits", .object(splits))])
        try AtomicFile.write(Data((json + "\n").utf8), to: path)
    }

    /// The step of the evaluation in the file, or nil when there is none or it cannot be read.
    public static func step(at path: String) -> Int? {
        guard let (_, root) = try? RunFileError.readJSON(at: path) else { return nil }
        return root["step"]?.intValue
    }
}

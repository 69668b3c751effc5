import Basics
import Foundation
import ToolUse
import Training

/// Writes a run's task as JSON lines for external trainers (docs/external.md, "The task"):
/// `train.jsonl` and one `<split>.jsonl` per evaluation split, each line
/// `{"id", "split", "prompt", "gold"}` (TRL reads `prompt` and passes `gold` to reward
/// functions), and with `verl: true` veRL's row layout as well (`data_source`, a chat `prompt`,
/// `ability`, `reward_model.ground_truth`, `extra_info`) in `verl/<file>.jsonl`.
/// `manifest.json` is written last: its presence means the export is complete.
public enum TaskExport {
    public static let manifestName = "manifest.json"

    /// Exports the task of `config` (items from its `task` section and seed) into `directory`.
    public static func write(config: RunConfig, to directory: URL, verl: Bool = true) throws {
        let taskSet = try TaskGenerator.makeOrLoad(config: config.task, seed: UInt64(config.seed))
        let manager = FileManager.default
        try manager.createDirectory(at: directory, withIntermediateDirectories: true)
        try? manager.removeItem(at: directory.appendingPathComponent(manifestName))
        if verl { try manager.createDirectory(at: directory.appendingPathComponent("verl"), withIntermediateDirectories: true) }
        var files: [(String, JSONValue)] = []
        let groups: [(String, [TaskItem])] = [("train", taskSet.train)]
            + TaskSplit.evaluationSplits.map { ($0.rawValue, taskSet.evaluation[$0] ?? []) }
        for (name, items) in groups {
            try write(items.map(plainLine), to: directory.appendingPathComponent("\(name).jsonl"))
            if verl {
                try write(items.enumerated().map { verlLine($1, index: $0) },
                          to: directory.appendingPathComponent("verl/\(name).jsonl"))
            }
            files.append((name, .integer(items.count)))
        }
        let manifest = JSONValue.object([
            ("seed", .integer(config.seed)), ("items", .object(files)),
            ("fields", .array(["id", "split", "prompt", "gold"].map { .string($0) })),
        ])
        try AtomicFile.write(Data((manifest.dumps() + "\n").utf8), to: directory.appendingPathComponent(manifestName))
    }

    /// Whether `directory` holds a complete export.
    public static func isComplete(_ directory: URL) -> Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent(manifestName).path)
    }

    static func plainLine(_ item: TaskItem) -> JSONValue {
        .object([("id", .string(item.id)), ("split", .string(item.split.rawValue)),
                 ("prompt", .string(item.prompt)), ("gold", .string(item.gold))])
    }

    /// veRL's RL dataset row (its `RLHFDataset` reads `prompt` as chat messages and hands
    /// `reward_model.ground_truth` and `extra_info` to `compute_score`).
    static func verlLine(_ item: TaskItem, index: Int) -> JSONValue {
        .object([
            ("data_source", .string("ablate")),
            ("prompt", .array([.object([("role", .string("user")), ("content", .string(item.prompt))])])),
            ("ability", .string("tool_call")),
            ("reward_model", .object([("style", .string("rule")), ("ground_truth", .string(item.gold))])),
            ("extra_info", .object([("id", .string(item.id)), ("split", .string(item.split.rawValue)), ("index", .integer(index))])),
        ])
    }

    static func write(_ lines: [JSONValue], to url: URL) throws {
        var text = ""
        for line in lines {
            line.write(to: &text)
            text += "\n"
        }
        try AtomicFile.write(Data(text.utf8), to: url)
    }
}

import Foundation
import Rewards
import ToolUse

extension TrainingRun {
    /// The run's task: generated from the config, or loaded from `task.data` (and
    /// `task.eval_data`). A load logs one line per file, and a warning when gold answers cannot be
    /// read by the configured reward's fidelity (they score its correctness minimum whatever the
    /// completion).
    func loadTask(seed: UInt64) throws -> TaskSet {
        if let taskOverride { return taskOverride }
        let task = config.task
        guard task.data != nil else { return TaskGenerator.make(config: task, seed: seed) }
        let loaded: LoadedTask
        do {
            loaded = try ToolRLLoader.loadTask(config: task, seed: seed)
        } catch let error as DataFileError {
            throw RunError(error.description)
        }
        for line in loaded.logLines { log(line) }
        if rewardOverride == nil, let warning = try unreadableGoldWarning(loaded.taskSet) { log(warning) }
        return loaded.taskSet
    }

    /// `warning: 17 of 400 gold answers …` when the reward's fidelity cannot parse some golds.
    func unreadableGoldWarning(_ taskSet: TaskSet) throws -> String? {
        let reward = try ToolCallReward(spec: config.reward)
        let items = taskSet.train + taskSet.allEvaluationItems
        let unreadable = items.compactMap { item in reward.goldProblem(item.gold).map { (item.id, $0) } }
        guard let first = unreadable.first else { return nil }
        let shown = unreadable.prefix(5).map { Self.recordName($0.0) }.joined(separator: ", ") + (unreadable.count > 5 ? ", …" : "")
        return "warning: \(unreadable.count) of \(items.count) gold answers cannot be read by reward fidelity "
            + "\(config.reward.fidelity.rawValue) and score its correctness minimum whatever the completion "
            + "(\(shown)\(unreadable.count == 1 ? "" : "; the first"): \(first.1))"
    }

    /// `data-00012` → `data record 13`, `eval-00003` → `eval_data record 4`.
    static func recordName(_ id: String) -> String {
        guard let dash = id.lastIndex(of: "-"), let index = Int(id[id.index(after: dash)...]) else { return id }
        return (id.hasPrefix("eval-") ? "eval_data" : "data") + " record \(index + 1)"
    }
}

// A run's task from data files: `task.data` for training (with a held-out share for evaluation),
// or `task.data` whole for training and `task.eval_data` for evaluation; and the line the run log
// prints for each file loaded.
//
// Evaluation items go to `multi` (two or more gold calls), `seen` (one call), `no_call` (no call,
// and the user part is a conversation follow-up with earlier turns) or `irrelevant` (no call, a
// single request). `unseen` stays empty: loaded data has no held-out tools.

import Basics

/// A task read from data files, with one log line per file.
public struct LoadedTask: Sendable {
    public var taskSet: TaskSet
    /// `data …: N records, <format>; prompts: …; train …, eval …` per file.
    public var logLines: [String]
}

extension ToolRLLoader {
    /// Loads `config.data` (and `config.eval_data`) into a task set; the hold-out is drawn from
    /// the run's `seed` + `seed_offset`, as generated items are. Throws `DataFileError`.
    public static func loadTask(config: TaskConfig, seed: UInt64) throws -> LoadedTask {
        guard let dataReference = config.data else {
            preconditionFailure("loadTask needs task.data")
        }
        let trainFile = try load(dataReference, style: config.promptStyle)
        var random = SeededRandom(seed: seed &+ UInt64(bitPattern: Int64(config.seedOffset)))
        var order = Array(trainFile.items.indices)
        random.shuffle(&order)
        guard let evalReference = config.evalData else {
            var heldOut = Int((Double(order.count) * config.dataEvalFraction).rounded())
            if config.dataEvalFraction > 0, order.count >= 2 { heldOut = max(1, heldOut) }
            heldOut = min(heldOut, order.count)
            let evaluation = evaluationSplits(order.prefix(heldOut).map { trainFile.items[$0] }, cap: config.evalSize)
            let train = capped(order.dropFirst(heldOut).map { trainFile.items[$0] }, to: config.trainSize)
            let counts = trainCounts(train, of: order.count - heldOut, config: config)
                + ", " + evalCounts(evaluation, config: config, note: "data_eval_fraction " + JSONText.numberOrNull(config.dataEvalFraction))
            return LoadedTask(taskSet: TaskSet(train: train, evaluation: evaluation),
                              logLines: [logLine(key: "data", trainFile, config: config, counts: counts)])
        }
        let evalFile = try load(evalReference, style: config.promptStyle, idPrefix: "eval")
        let train = capped(order.map { trainFile.items[$0] }, to: config.trainSize)
        let evaluation = evaluationSplits(evalFile.items, cap: config.evalSize)
        let trainLine = logLine(key: "data", trainFile, config: config,
                                counts: trainCounts(train, of: order.count, config: config) + " (all records: eval_data is set)")
        let evalLine = logLine(key: "eval_data", evalFile, config: config,
                               counts: evalCounts(evaluation, config: config, note: nil))
        return LoadedTask(taskSet: TaskSet(train: train, evaluation: evaluation), logLines: [trainLine, evalLine])
    }

    /// The evaluation split a loaded item belongs to.
    static func evaluationSplit(of item: TaskItem) -> TaskSplit {
        if item.goldCalls.isEmpty { return item.isFollowUp ? .noCall : .irrelevant }
        return item.goldCalls.count >= 2 ? .multi : .seen
    }

    /// Items grouped into the evaluation splits (every split present, possibly empty), each
    /// capped at `cap` items when set.
    static func evaluationSplits(_ items: [TaskItem], cap: Int?) -> [TaskSplit: [TaskItem]] {
        var evaluation: [TaskSplit: [TaskItem]] = [:]
        for split in TaskSplit.evaluationSplits { evaluation[split] = [] }
        for var item in items {
            item.split = evaluationSplit(of: item)
            evaluation[item.split]!.append(item)
        }
        if let cap {
            for split in TaskSplit.evaluationSplits { evaluation[split] = capped(evaluation[split]!, to: cap) }
        }
        return evaluation
    }

    static func capped(_ items: [TaskItem], to cap: Int?) -> [TaskItem] {
        guard let cap else { return items }
        return Array(items.prefix(cap))
    }

    // MARK: The log line

    static func logLine(key: String, _ file: LoadedFile, config: TaskConfig, counts: String) -> String {
        let styles = file.styles.count == 1 ? file.styles[0].0.displayName
            : file.styles.map { "\($0.1) \($0.0.displayName)" }.joined(separator: " + ")
        let bom = file.hadByteOrderMark ? " (UTF-8 byte-order mark skipped)" : ""
        let prompts = file.promptOrigins.map { origin, count -> String in
            switch origin {
            case .renderedFromToolList: return "\(count) \(config.promptStyle.rawValue) from parsed tool lists"
            case .renderedWithoutSystemPrompt: return "\(count) \(config.promptStyle.rawValue) with no tool list (no system prompt)"
            case .writtenToolListUnreadable: return "\(count) as written (tool list not readable)"
            case .written: return "\(count) as written (prompt_style toolrl)"
            }
        }.joined(separator: ", ")
        return "\(key) \(file.file): \(file.items.count) records, \(styles) \(file.container.phrase)\(bom); "
            + "prompts: \(prompts.isEmpty ? "none" : prompts); \(counts)"
    }

    static func trainCounts(_ train: [TaskItem], of available: Int, config: TaskConfig) -> String {
        train.count < available ? "train \(train.count) of \(available) (train_size \(config.trainSize!))" : "train \(train.count)"
    }

    /// `eval 8 (seen 5, multi 1, irrelevant 1, no_call 1; note)`; `unseen` is always empty here.
    static func evalCounts(_ evaluation: [TaskSplit: [TaskItem]], config: TaskConfig, note: String?) -> String {
        let splits = TaskSplit.evaluationSplits.filter { $0 != .unseen }
        let total = splits.reduce(0) { $0 + evaluation[$1]!.count }
        var notes = [note, config.evalSize.map { "eval_size \($0) per split" }].compactMap { $0 }.joined(separator: "; ")
        if !notes.isEmpty { notes = "; " + notes }
        return "eval \(total) (" + splits.map { "\($0.rawValue) \(evaluation[$0]!.count)" }.joined(separator: ", ") + notes + ")"
    }
}

import Basics
import Foundation
import Model
import Rewards
import RunStore
import ToolUse

/// How a run ended.
public enum RunOutcome: Equatable, Sendable {
    case done
    case failed(reason: String)
    case interrupted
}

/// What `trainer.json` in a checkpoint holds.
struct TrainerState: Codable {
    var step: Int
    var random: RandomGenerator
    var dataPosition: Int
    var numTokens: Int
    var algorithm: TrainingAlgorithm
    /// AdamW updates applied (bias correction); the moments are in `optimizer.bin`.
    var optimizerUpdates: Int
    /// PPO: the critic's AdamW updates (its moments are in `critic/optimizer.bin`).
    var criticOptimizerUpdates: Int?
    /// The coefficient of a KL in the reward as the controller left it (`kl_control: adaptive`).
    var klCoefficient: Double?

    enum CodingKeys: String, CodingKey {
        case step, random, dataPosition = "data_position", numTokens = "num_tokens", algorithm
        case optimizerUpdates = "optimizer_updates", criticOptimizerUpdates = "critic_optimizer_updates"
        case klCoefficient = "kl_coefficient"
    }
}

/// One run in one directory (docs/architecture.md, "Files a run writes"): reads `config.json`,
/// resumes from `checkpoint/latest`, appends `metrics.jsonl` and `log.txt`, evaluates, checkpoints
/// and writes `eval.json` and `result.json`.
public final class TrainingRun {
    public let directory: URL
    public let config: RunConfig
    public let threads: Int
    /// Called with each human-readable progress line (every `log_every` steps), e.g. to print it.
    public var progress: ((String) -> Void)?
    /// Replaces the ToolRL reward (tests).
    var rewardOverride: RewardFunction?
    /// Replaces the generated task (tests: short synthetic items).
    var taskOverride: TaskSet?

    /// The run's files.
    var files: RunDirectory { RunDirectory(directory.path) }

    public init(directory: URL, threads: Int) throws {
        self.directory = directory
        self.threads = max(1, threads)
        config = try RunConfig.load(file: RunDirectory(directory.path).config)
    }

    var checkpoints: CheckpointDirectory { CheckpointDirectory(root: URL(fileURLWithPath: files.checkpoints)) }

    /// Trains to `train.steps`, polling `shouldStop` between steps (true → checkpoint and return
    /// `.interrupted`). `onStep(step, totalSteps)` follows every step. Never throws: failures are
    /// returned (and written to `result.json` with their reason).
    public func run(shouldStop: () -> Bool, onStep: (Int, Int) -> Void) -> RunOutcome {
        var step = 0
        let outcome: RunOutcome
        do {
            outcome = try train(shouldStop: shouldStop, onStep: onStep, step: &step)
        } catch {
            outcome = .failed(reason: String(describing: error))
        }
        switch outcome {
        case .done: log("done at step \(step)")
        case .interrupted: log("interrupted at step \(step) (checkpointed)")
        case .failed(let reason): log("failed at step \(step): \(reason)")
        }
        writeResult(outcome, step: step)
        return outcome
    }

    // MARK: - The loop

    private func train(shouldStop: () -> Bool, onStep: (Int, Int) -> Void, step: inout Int) throws -> RunOutcome {
        KernelSet.setThreadCount(threads)
        let train = config.train
        let totalSteps = train.steps
        let seed = UInt64(config.seed)
        log("start: \(train.algorithm.rawValue), \(totalSteps) steps, threads \(threads), kernels \(KernelSet.activeCoreName)")

        // Task, starting point, tokenizer, model.
        let taskSet = try loadTask(seed: seed)
        guard !taskSet.train.isEmpty else { throw RunError("the task has no training items") }
        let start = try resolveInit()
        let resumeDirectory = checkpoints.latest()
        let tokenizer: Tokenizer
        if let source = resumeDirectory ?? start {
            tokenizer = try JSONDecoder().decode(Tokenizer.self, from: Data(contentsOf: source.appendingPathComponent("tokenizer.json")))
        } else if config.model.tokenizer == .bpe {
            tokenizer = Tokenizer.trainBPE(corpus: taskSet.corpus, vocabularySize: config.model.bpeVocab,
                                           spaces: config.model.bpeSpaces)
        } else {
            tokenizer = Tokenizer.bytes()
        }
        let policy = Transformer(config: config.model, vocabularySize: tokenizer.vocabularySize, seed: seed)
        if let start { try loadParameters(into: policy, from: start) }
        let reference = train.algorithm.isReinforcement && train.beta > 0 ? policy.copy() : nil
        // PPO's critic starts next to the starting policy (a resumed run reloads it below).
        let critic = train.algorithm == .ppo ? try makeCritic(startingFrom: policy, seed: seed, resuming: resumeDirectory != nil) : nil
        let optimizer = AdamW(model: policy, train: train)
        let schedule = LearningRateSchedule(train: train)
        let rewardFunction = try rewardOverride ?? ToolCallRewardFunction(spec: config.reward)

        // Resume.
        var state = TrainerState(step: 0, random: RandomGenerator(seed: seed ^ 0x5A17_C0DE_0000_0001), dataPosition: 0,
                                 numTokens: 0, algorithm: train.algorithm, optimizerUpdates: 0)
        if let resumeDirectory {
            try loadParameters(into: policy, from: resumeDirectory)
            state = try JSONDecoder().decode(TrainerState.self, from: Data(contentsOf: resumeDirectory.appendingPathComponent("trainer.json")))
            try optimizer.restoreMoments(from: resumeDirectory, updates: state.optimizerUpdates)
            if let critic { try critic.restore(from: resumeDirectory, updates: state.criticOptimizerUpdates ?? 0) }
            log("resumed from \(resumeDirectory.lastPathComponent)")
        }
        checkpoints.removeLeftovers()
        step = state.step
        let metrics = try MetricsLog(url: URL(fileURLWithPath: files.metrics), keepingThroughStep: state.step)
        var lastCheckpoint = resumeDirectory == nil ? -1 : state.step

        var trainer: RunTrainer! = nil
        func checkpoint() throws {
            guard state.step != lastCheckpoint else { return }
            state.klCoefficient = trainer?.klController?.coefficient
            try writeCheckpoint(state: state, model: policy, optimizer: optimizer, critic: critic, tokenizer: tokenizer)
            lastCheckpoint = state.step
        }
        var evaluation = Evaluation(model: policy, tokenizer: tokenizer, rewardFunction: rewardFunction,
                                    config: config.eval, taskSet: taskSet)
        evaluation.example = { [weak self] split, completion in
            let shown = completion.count > 300 ? String(completion.prefix(300)) + "…" : completion
            self?.log("eval example (\(split)): \(shown.debugDescription)")
        }
        func evaluate() throws -> [(String, MetricValue)] {
            let splits = evaluation.run(step: state.step, totalSteps: totalSteps)
            try metrics.append(MetricsJSON.line(kind: "eval", step: state.step, fields: [("splits", .object(splits))]))
            if let overall = splits.first, case .object(let fields) = overall.1,
               let accuracy = fields.first(where: { $0.0 == "accuracy" }), case .number(let value) = accuracy.1 {
                log("eval step \(state.step): overall accuracy \(value)")
            }
            return splits
        }

        // Prompt tokens, cached per training item; prompts keep their last tokens when long.
        let samples = train.algorithm.isReinforcement
        if samples && train.maxNewTokens >= config.model.context {
            throw RunError("train.max_new_tokens (\(train.maxNewTokens)) must be smaller than model.context (\(config.model.context)): prompt and completion share the context")
        }
        let promptBudget = max(1, config.model.context - (samples ? train.maxNewTokens : 0))
        var promptCache: [Int: [Int32]] = [:]
        func promptTokens(_ index: Int) -> [Int32] {
            if let cached = promptCache[index] { return cached }
            let tokens = Array(tokenizer.encode(taskSet.train[index].prompt).suffix(promptBudget))
            promptCache[index] = tokens
            return tokens
        }
        if state.step == 0 {
            let truncation = TruncationReport(tokenizer: tokenizer, context: config.model.context)
            let evaluated = config.eval.decodedSplits.compactMap(TaskSplit.init(rawValue:)).flatMap { split in
                let items = taskSet.evaluation[split] ?? []
                return config.eval.maxItems > 0 ? Array(items.prefix(config.eval.maxItems)) : items
            }
            for warning in truncation.training(taskSet.train, algorithm: train.algorithm, maxNewTokens: train.maxNewTokens)
                + truncation.evaluation(evaluated, maxNewTokens: config.eval.maxNewTokens) {
                log(warning)
            }
        }
        var order = DataOrder(count: taskSet.train.count, seed: seed ^ 0xDA7A_0000_0000_0001)
        trainer = try makeTrainer(policy: policy, reference: reference, critic: critic, optimizer: optimizer,
                                  schedule: schedule, tokenizer: tokenizer, rewardFunction: rewardFunction)
        if let coefficient = state.klCoefficient, var controller = trainer.klController {
            controller.coefficient = coefficient
            trainer.klController = controller
        }

        while state.step < totalSteps {
            if shouldStop() {
                try checkpoint()
                return .interrupted
            }
            let current = state.step + 1
            // Prompts in data order from the current position; dynamic sampling asks for more.
            let start = state.dataPosition
            var drawn = 0
            func nextPrompts() -> [PolicyPrompt] {
                defer { drawn += train.batchSize }
                return (0..<train.batchSize).map { offset in
                    let index = order.item(at: start + drawn + offset)
                    return PolicyPrompt(prompt: taskSet.train[index].prompt, gold: taskSet.train[index].gold, tokens: promptTokens(index))
                }
            }
            let report: StepReport
            let stepStart = now()
            switch trainer! {
            case .grpo(let grpo):
                report = grpo.step(nextPrompts: nextPrompts, step: current, totalSteps: totalSteps, random: &state.random)
            case .ppo(let ppo):
                report = ppo.step(nextPrompts: nextPrompts, step: current, totalSteps: totalSteps, random: &state.random)
            case .supervised(let supervised):
                let examples = (0..<train.batchSize).map { offset -> SupervisedExample in
                    let index = order.item(at: start + offset)
                    return SupervisedExample(promptTokens: promptTokens(index),
                                             targetTokens: tokenizer.encode(taskSet.train[index].gold) + [tokenizer.endOfText])
                }
                report = supervised.step(examples: examples, step: current)
            }
            guard report.loss.isFinite else {
                step = current
                return .failed(reason: "loss is \(report.loss.isNaN ? "NaN" : "infinite") at step \(current)")
            }
            state.step = current
            state.dataPosition += report.promptsDrawn
            state.numTokens += report.tokens
            step = current
            let seconds = now() - stepStart
            var fields = report.metrics.map { ($0.0, MetricValue.number($0.1)) }
            fields.append(("step_time", .number(seconds)))
            fields.append(("tokens_per_second", .number(seconds > 0 ? Double(report.tokens) / seconds : 0)))
            fields.append(("num_tokens", .number(Double(state.numTokens))))
            try metrics.append(MetricsJSON.line(kind: "train", step: current, fields: fields))
            if current % train.logEvery == 0 || current == totalSteps {
                let shown = report.metrics.filter { ["reward", "loss", "grad_norm"].contains($0.0) }
                    .map { "\($0.0) \(String(format: "%.4g", $0.1))" }.joined(separator: " ")
                log("step \(current)/\(totalSteps) \(shown) \(String(format: "%.2f", seconds)) s")
            }
            if config.eval.every > 0 && current % config.eval.every == 0 && current < totalSteps { _ = try evaluate() }
            if train.checkpointEvery > 0 && current % train.checkpointEvery == 0 && current < totalSteps { try checkpoint() }
            onStep(current, totalSteps)
        }

        // The end: final evaluation (unless a previous attempt already wrote it), checkpoint.
        if !finalEvaluationExists(step: state.step) {
            let splits = try evaluate()
            try AtomicFile.write(Data(evaluation.completionLines().utf8), to: files.completions)
            try EvalFile.write(step: state.step, splits: splits, to: files.eval)
        }
        try checkpoint()
        return .done
    }

    // MARK: - Starting points and checkpoints

    /// The checkpoint directory `init` names, or nil for scratch.
    func resolveInit() throws -> URL? {
        switch config.initSource {
        case .scratch:
            return nil
        case .stage(let name):
            throw RunError("init 'stage:\(name)' was not resolved: stages only exist inside sweeps (use 'ablate run'), or give a checkpoint path or run:<id>")
        case .run(let id):
            let other = directory.deletingLastPathComponent().appendingPathComponent(id)
            guard let latest = CheckpointDirectory(root: other.appendingPathComponent("checkpoint")).latest() else {
                throw RunError("init 'run:\(id)': \(other.path) has no checkpoint (has that run finished?)")
            }
            return latest
        case .path(let path):
            return try Self.checkpoint(at: path, for: "init")
        }
    }

    /// The step directory a checkpoint path names (`key` names the config key in errors): a
    /// `step-NNNNNNN/` directory (a committed model's directory is one), a run's `checkpoint/`
    /// directory or a run directory; relative paths are relative to the current directory.
    /// Checked when a config is planned too (`RunConfig.planningResolver`).
    static func checkpoint(at path: String, for key: String) throws -> URL {
        let url = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
        let manager = FileManager.default
        if manager.fileExists(atPath: url.appendingPathComponent("parameters.bin").path) { return url }
        if let latest = CheckpointDirectory(root: url).latest() { return latest }
        if let latest = CheckpointDirectory(root: url.appendingPathComponent("checkpoint")).latest() { return latest }
        throw RunError("\(key) '\(path)': no checkpoint found there (expected a step directory with parameters.bin, a checkpoint/ directory, or a run directory)")
    }

    /// Reads a checkpoint's policy parameters into the first `count` floats of `model`'s buffer
    /// (all of them by default; a critic's trunk leaves out its value head).
    func loadParameters(into model: Transformer, from checkpoint: URL, count: Int? = nil) throws {
        let descriptionFile = checkpoint.appendingPathComponent(Transformer.descriptionFileName)
        let saved = try JSONDecoder().decode(ModelDescription.self, from: Data(contentsOf: descriptionFile))
        guard saved.config == model.config, saved.vocabularySize == model.vocabularySize else {
            throw RunError("\(checkpoint.path) holds a model of another shape (\(saved.config), vocabulary \(saved.vocabularySize)) than this run's model section (\(model.config), vocabulary \(model.vocabularySize))")
        }
        try FloatBufferFile.read(from: checkpoint.appendingPathComponent(Transformer.parametersFileName),
                                 into: [UnsafeMutableBufferPointer(start: model.parameters.pointer, count: count ?? model.parameterCount)])
    }

    func writeCheckpoint(state: TrainerState, model: Transformer, optimizer: AdamW, critic: Critic?, tokenizer: Tokenizer) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        var state = state
        state.optimizerUpdates = optimizer.updateCount
        state.criticOptimizerUpdates = critic?.optimizer.updateCount
        try checkpoints.write(step: state.step, files: [
            ("tokenizer.json", try encoder.encode(tokenizer)),
            ("trainer.json", try encoder.encode(state)),
        ], writeMore: { directory in
            try model.save(to: directory)
            try optimizer.saveMoments(in: directory)
            try critic?.save(into: directory)
        })
    }

    func finalEvaluationExists(step: Int) -> Bool {
        EvalFile.step(at: files.eval) == step
    }

    // MARK: - log.txt and result.json

    func log(_ message: String) {
        RunLog.append(message, to: files.log)
        progress?(message)
    }

    func writeResult(_ outcome: RunOutcome, step: Int) {
        try? outcome.result(step: step).write(to: files.result)
    }
}

extension RunOutcome {
    /// What `result.json` records for this outcome at `step`.
    public func result(step: Int) -> RunResult {
        switch self {
        case .done: return RunResult(outcome: .done, step: step)
        case .interrupted: return RunResult(outcome: .interrupted, step: step)
        case .failed(let why): return RunResult(outcome: .failed, reason: why, step: step)
        }
    }
}

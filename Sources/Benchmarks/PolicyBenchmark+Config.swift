import Basics
import Foundation
import Model
import RunStore
import ToolUse
import Training

extension PolicyBenchmark {
    /// GRPO steps of a run config, timed per phase like W1 (`ablate bench --config`): the
    /// config's own task, tokenizer, model shape, GRPO settings and reward, on batches of its
    /// training prompts, with the real, variable-length completions its policy samples.
    ///
    /// The policy starts from the config's `init` when that is a checkpoint on disk, else from a
    /// fresh initialisation (`stage:` and `run:` starting points exist only inside a sweep): a
    /// trained policy stops earlier, so the completion lengths, and with them the time, differ.
    public static func run(config: RunConfig, steps: Int, threads: Int) throws -> Result {
        let train = config.train
        guard train.algorithm == .grpo else {
            throw RunError("bench --config times GRPO steps; this config's train.algorithm is \(train.algorithm.rawValue)")
        }
        guard train.maxNewTokens < config.model.context else {
            throw RunError("train.max_new_tokens (\(train.maxNewTokens)) must be smaller than model.context (\(config.model.context))")
        }
        KernelSet.setThreadCount(threads)
        let seed = UInt64(config.seed)
        let taskSet = try TaskGenerator.makeOrLoad(config: config.task, seed: seed)
        guard !taskSet.train.isEmpty else { throw RunError("the task has no training items") }
        let start = startingCheckpoint(config.initSource)
        let tokenizer: Tokenizer
        if let start {
            tokenizer = try JSONDecoder().decode(Tokenizer.self, from: Data(contentsOf: start.appendingPathComponent("tokenizer.json")))
        } else {
            tokenizer = config.model.tokenizer == .bpe
                ? Tokenizer.trainBPE(corpus: taskSet.corpus, vocabularySize: config.model.bpeVocab) : Tokenizer.bytes()
        }
        let policy = Transformer(config: config.model, vocabularySize: tokenizer.vocabularySize, seed: seed)
        if let start {
            try FloatBufferFile.read(from: start.appendingPathComponent(Transformer.parametersFileName), into: [policy.parameters.buffer])
        }
        let trainer = GRPOTrainer(policy: policy, reference: train.beta > 0 ? policy.copy() : nil, tokenizer: tokenizer,
                                  rewardFunction: try ToolCallRewardFunction(spec: config.reward), config: train,
                                  optimizer: AdamW(model: policy, train: train), schedule: LearningRateSchedule(train: train))
        // Prompts as a run sees them: in its data order, keeping their last tokens when long.
        let promptBudget = config.model.context - train.maxNewTokens
        var order = DataOrder(count: taskSet.train.count, seed: seed)
        var random = RandomGenerator(seed: seed)
        return measure(trainer: trainer, steps: steps, random: &random) { step in
            (0..<train.batchSize).map { index in
                let item = taskSet.train[order.item(at: step * train.batchSize + index)]
                return PolicyPrompt(prompt: item.prompt, gold: item.gold, tokens: Array(tokenizer.encode(item.prompt).suffix(promptBudget)))
            }
        }
    }

    /// The checkpoint directory `init` names when it is a path to one, else nil.
    static func startingCheckpoint(_ source: InitSource) -> URL? {
        guard case .path(let path) = source else { return nil }
        let url = URL(fileURLWithPath: path)
        if FileManager.default.fileExists(atPath: url.appendingPathComponent(Transformer.parametersFileName).path) { return url }
        return CheckpointDirectory(root: url).latest() ?? CheckpointDirectory(root: url.appendingPathComponent("checkpoint")).latest()
    }
}

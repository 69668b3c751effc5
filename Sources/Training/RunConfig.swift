import Basics
import Config
import Foundation
import Model
import Rewards
import RunStore
import ToolUse

/// Where a run's starting parameters come from (`RunConfig.init`).
public enum InitSource: Equatable, Sendable {
    /// Fresh random initialisation from the run seed.
    case scratch
    /// A checkpoint directory: a run's `checkpoint/`, a `step-NNNNNNN/` directory, or a run directory.
    case path(String)
    /// `stage:<name>`: a sweep stage, rewritten to `run:<id>` by the planner.
    case stage(String)
    /// `run:<id>`: the newest checkpoint of the sibling run `../<id>` in the store.
    case run(String)

    init(_ text: String) {
        if text == "scratch" { self = .scratch }
        else if text.hasPrefix("stage:") { self = .stage(String(text.dropFirst(6))) }
        else if text.hasPrefix("run:") { self = .run(String(text.dropFirst(4))) }
        else { self = .path(text) }
    }
}

/// One run's whole configuration, as written to `config.json`: the seed, the task, the model,
/// where parameters start, training, reward and evaluation. docs/config.md documents every key.
public struct RunConfig: Codable, Equatable {
    public var seed: Int = 0
    public var task: TaskConfig = TaskConfig()
    public var model: ModelConfig = ModelConfig()
    /// `scratch`, a checkpoint path, `stage:<name>` or `run:<id>`.
    public var initFrom: String = "scratch"
    public var train: TrainConfig = TrainConfig()
    public var reward: RewardSpec = RewardSpec()
    public var eval: EvalConfig = EvalConfig()
    /// PPO's critic and update (read with `train.algorithm: ppo`).
    var critic: CriticConfig = CriticConfig()
    var ppo: PPOConfig = PPOConfig()
    /// nil: the in-process trainer; else an external command (docs/external.md).
    public var trainer: TrainerConfig? = nil

    public init() {}

    public var initSource: InitSource { InitSource(initFrom) }

    enum CodingKeys: String, CodingKey {
        case seed, task, model, initFrom = "init", train, reward, eval, critic, ppo, trainer
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = RunConfig()
        seed = try c.decodeChecked(Int.self, forKey: .seed, default: d.seed, requirement: "an integer ≥ 0") { $0 >= 0 }
        task = try c.decodeIfPresent(TaskConfig.self, forKey: .task) ?? d.task
        model = try c.decodeIfPresent(ModelConfig.self, forKey: .model) ?? d.model
        initFrom = try c.decodeIfPresent(String.self, forKey: .initFrom) ?? d.initFrom
        if initFrom.isEmpty || initFrom == "stage:" || initFrom == "run:" {
            throw DecodingError.dataCorruptedError(
                forKey: .initFrom, in: c,
                debugDescription: "'\(initFrom)' is not allowed: expected scratch, a checkpoint directory path, stage:<name> or run:<id>")
        }
        train = try c.decodeIfPresent(TrainConfig.self, forKey: .train) ?? d.train
        reward = try c.decodeIfPresent(RewardSpec.self, forKey: .reward) ?? d.reward
        eval = try c.decodeIfPresent(EvalConfig.self, forKey: .eval) ?? d.eval
        critic = try c.decodeIfPresent(CriticConfig.self, forKey: .critic) ?? d.critic
        ppo = try c.decodeIfPresent(PPOConfig.self, forKey: .ppo) ?? d.ppo
        try checkSections(c)
        trainer = try c.decodeIfPresent(TrainerConfig.self, forKey: .trainer)
        if let trainer {
            // Placeholders are checked now, so a typo is a planning error at its file:line.
            let placeholders = try TrainerPlaceholders(config: self, runDirectory: "/run", launchDirectory: "/launch")
            do {
                for text in trainer.command + trainer.env.values { _ = try placeholders.expand(text) }
            } catch let error as RunError {
                throw DecodingError.dataCorruptedError(forKey: .trainer, in: c, debugDescription: error.description)
            }
        }
    }

    /// Settings of different sections that contradict each other.
    private func checkSections(_ c: KeyedDecodingContainer<CodingKeys>) throws {
        func reject(_ key: CodingKeys, _ message: String) throws {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: message)
        }
        let criticShape = critic.modelConfig(policy: model)
        if criticShape.dim % criticShape.heads != 0 {
            try reject(.critic, "the critic's dim (\(criticShape.dim)) must be divisible by its heads (\(criticShape.heads))")
        }
        if critic.start == .policy && criticShape != model {
            try reject(.critic, "critic.init policy copies the policy, so the critic's dim, layers, heads and mlp_dim must be the model's; leave them null or use critic.init: scratch")
        }
        if reward.aggregation == .normalizeThenSum && (train.algorithm != .grpo || train.advantage != .grpo) {
            try reject(.reward, "reward.aggregation normalize_then_sum normalises in groups: it needs train.algorithm grpo with train.advantage grpo")
        }
        if reward.aggregation == .normalizeThenSum && train.scaleRewards != .group {
            try reject(.reward, "reward.aggregation normalize_then_sum scales each component by its group std and the sum by the batch std; train.scale_rewards does not apply (leave it at group)")
        }
        if train.algorithm == .ppo && ppo.miniBatches > train.batchSize {
            try reject(.ppo, "ppo.mini_batches (\(ppo.miniBatches)) exceeds train.batch_size (\(train.batchSize)): a mini-batch holds whole groups")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(seed, forKey: .seed)
        try c.encode(task, forKey: .task)
        try c.encode(model, forKey: .model)
        try c.encode(initFrom, forKey: .initFrom)
        try c.encode(train, forKey: .train)
        try c.encode(reward, forKey: .reward)
        try c.encode(eval, forKey: .eval)
        try c.encode(critic, forKey: .critic)
        try c.encode(ppo, forKey: .ppo)
        // Written only when set, so in-process runs keep the ids they had before external trainers.
        try c.encodeIfPresent(trainer, forKey: .trainer)
    }

    /// What `config.json` holds: the resolved config as pretty canonical JSON (keys sorted), the
    /// same text the planner writes into the store.
    public func jsonData() throws -> Data {
        Data(try ConfigFile.text(try ConfigLoader.tree(encoding: self)).utf8)
    }

    /// Reads and decodes a run config file (YAML, or JSON when the name ends in `.json`, such as a
    /// run's `config.json`); every problem is reported at its file:line:column.
    public static func load(file path: String) throws -> RunConfig {
        try ConfigLoader.decode(RunConfig.self, file: path)
    }

    /// The resolver sweeps plan with: a run's config tree decoded into `RunConfig` (every default
    /// filled in, unknown keys and bad values reported at their location) and encoded back.
    public static let resolver = ConfigLoader.resolver(for: RunConfig.self, defaultsVersion: defaultsVersion)

    /// What a sweep identifies this config's run by (`RunIdentity`: defaults left out, data files
    /// by content). Two configs with one identity are the same run.
    public func identity() throws -> RunIdentity {
        try Self.resolver.identity(of: try ConfigLoader.tree(encoding: self))
    }

    /// The version of the table of defaults (`RunIdentity`). Adding a key at a default that keeps
    /// today's behaviour changes nothing; changing a default's value means bumping this number
    /// (every run id changes) and updating the table `RunConfigIdentityTests` pins, together.
    public static let defaultsVersion = 1
}

/// A run that cannot start or continue, with the reason for `result.json`.
public struct RunError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

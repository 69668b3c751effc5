import Foundation
import Model
import Rewards
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

    public init(_ text: String) {
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
    /// nil: the in-process trainer; else an external command (docs/external.md).
    public var trainer: TrainerConfig? = nil

    public init() {}

    public var initSource: InitSource { InitSource(initFrom) }

    enum CodingKeys: String, CodingKey {
        case seed, task, model, initFrom = "init", train, reward, eval, trainer
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

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(seed, forKey: .seed)
        try c.encode(task, forKey: .task)
        try c.encode(model, forKey: .model)
        try c.encode(initFrom, forKey: .initFrom)
        try c.encode(train, forKey: .train)
        try c.encode(reward, forKey: .reward)
        try c.encode(eval, forKey: .eval)
        // Written only when set, so in-process runs keep the ids they had before external trainers.
        try c.encodeIfPresent(trainer, forKey: .trainer)
    }

    /// Sorted-key, pretty JSON: what `config.json` holds.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Reads and decodes a `config.json`, with the file named in any error.
    public static func load(from url: URL) throws -> RunConfig {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw RunError("cannot read \(url.path): \(error.localizedDescription)")
        }
        do { return try JSONDecoder().decode(RunConfig.self, from: data) } catch {
            throw RunError("\(url.path): \(describe(error))")
        }
    }
}

/// A run that cannot start or continue, with the reason for `result.json`.
public struct RunError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A readable one-line description of a decoding error: the key path and what went wrong.
func describe(_ error: Error) -> String {
    func path(_ keys: [CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
    guard let decoding = error as? DecodingError else { return String(describing: error) }
    switch decoding {
    case .dataCorrupted(let context):
        return (context.codingPath.isEmpty ? "" : "\(path(context.codingPath)): ") + context.debugDescription
    case .keyNotFound(let key, let context):
        return "\(path(context.codingPath + [key])): missing"
    case .typeMismatch(let type, let context):
        return "\(path(context.codingPath)): expected \(type)"
    case .valueNotFound(let type, let context):
        return "\(path(context.codingPath)): expected \(type), found null"
    @unknown default:
        return String(describing: error)
    }
}

import Foundation
import Model

/// PPO's critic and its optimiser, as a run keeps them: in a checkpoint under `critic/`
/// (`parameters.bin`, `model.json`, `optimizer.bin`).
struct Critic {
    static let directoryName = "critic"
    let model: ValueModel
    let optimizer: AdamW

    init(model: ValueModel, train: TrainConfig) {
        self.model = model
        optimizer = AdamW(model: model.trunk, train: train)
    }

    /// Writes `critic/` into a checkpoint step directory.
    func save(into checkpoint: URL) throws {
        let directory = checkpoint.appendingPathComponent(Self.directoryName)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try model.save(to: directory)
        try optimizer.saveMoments(in: directory)
    }

    /// Reloads parameters and optimiser state from a checkpoint's `critic/` (a resumed run).
    func restore(from checkpoint: URL, updates: Int) throws {
        let directory = checkpoint.appendingPathComponent(Self.directoryName)
        let saved = try ValueModel.load(from: directory)
        guard saved.parameters.views == model.parameters.views else {
            throw RunError("\(directory.path) holds a critic of another shape than this run's critic section")
        }
        model.parameters.pointer.update(from: saved.parameters.pointer, count: model.parameterCount)
        try optimizer.restoreMoments(from: directory, updates: updates)
    }
}

extension TrainingRun {
    /// PPO's critic at the start of a run, per `critic.init` (`policy`: the starting policy's
    /// parameters; `scratch`; a PPO checkpoint's critic, or a policy checkpoint's trunk). A
    /// resumed run gets a fresh one of the right shape, to be restored from its checkpoint.
    func makeCritic(startingFrom policy: Transformer, seed: UInt64, resuming: Bool) throws -> Critic {
        let shape = config.critic.modelConfig(policy: config.model)
        let headSeed = seed ^ 0xC417_1C00_0000_0001
        let model: ValueModel
        switch resuming ? .scratch : config.critic.start {
        case .policy:
            model = ValueModel(startingFrom: policy, seed: headSeed)
        case .scratch:
            model = ValueModel(config: shape, vocabularySize: policy.vocabularySize, seed: headSeed)
        case .path(let path):
            let checkpoint = try TrainingRun.checkpoint(at: path, for: "critic.init")
            let criticDirectory = checkpoint.appendingPathComponent(Critic.directoryName)
            if FileManager.default.fileExists(atPath: criticDirectory.appendingPathComponent(Transformer.descriptionFileName).path) {
                model = try ValueModel.load(from: criticDirectory)
            } else {
                model = ValueModel(config: shape, vocabularySize: policy.vocabularySize, seed: headSeed)
                try loadParameters(into: model.trunk, from: checkpoint, count: model.parameterCount - shape.dim - 1)
            }
            guard model.config == shape, model.vocabularySize == policy.vocabularySize else {
                throw RunError("critic.init '\(path)': its model (\(model.config), vocabulary \(model.vocabularySize)) is not this run's critic (\(shape), vocabulary \(policy.vocabularySize))")
            }
        }
        return Critic(model: model, train: config.train)
    }
}

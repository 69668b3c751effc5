import Foundation
import Model

/// The trainer of a run's algorithm.
enum RunTrainer {
    case grpo(GRPOTrainer)
    case ppo(PPOTrainer)
    case supervised(SupervisedTrainer)

    /// The KL-in-reward controller of the reinforcement trainers.
    var klController: KLController? {
        get {
            switch self {
            case .grpo(let trainer): return trainer.klController
            case .ppo(let trainer): return trainer.klController
            case .supervised: return nil
            }
        }
        nonmutating set {
            guard let newValue else { return }
            switch self {
            case .grpo(let trainer): trainer.klController = newValue
            case .ppo(let trainer): trainer.klController = newValue
            case .supervised: break
            }
        }
    }
}

extension TrainingRun {
    /// The trainer of `train.algorithm`.
    func makeTrainer(policy: Transformer, reference: Transformer?, critic: Critic?, optimizer: AdamW,
                     schedule: LearningRateSchedule, tokenizer: Tokenizer, rewardFunction: RewardFunction) throws -> RunTrainer {
        let train = config.train
        switch train.algorithm {
        case .grpo:
            let trainer = GRPOTrainer(policy: policy, reference: reference, tokenizer: tokenizer, rewardFunction: rewardFunction,
                                      config: train, optimizer: optimizer, schedule: schedule)
            trainer.aggregation = config.reward.aggregation
            trainer.discount = config.ppo.gamma
            return .grpo(trainer)
        case .ppo:
            guard let critic else { throw RunError("train.algorithm ppo needs its critic") }
            let criticSchedule = LearningRateSchedule(peak: config.critic.lr, warmupSteps: train.warmup,
                                                      totalSteps: train.resolvedScheduleSteps, shape: train.lrSchedule, minimumRatio: train.minLRRatio)
            return .ppo(PPOTrainer(policy: policy, reference: reference, critic: critic.model, endOfText: tokenizer.endOfText,
                                   decode: { tokenizer.decode($0) }, rewardFunction: rewardFunction, config: train, ppo: config.ppo,
                                   criticWarmup: config.critic.warmup, optimizer: optimizer, criticOptimizer: critic.optimizer,
                                   schedule: schedule, criticSchedule: criticSchedule))
        case .sft, .pretrain:
            return .supervised(SupervisedTrainer(model: policy, algorithm: train.algorithm, endOfText: tokenizer.endOfText,
                                                 config: train, optimizer: optimizer, schedule: schedule))
        }
    }
}

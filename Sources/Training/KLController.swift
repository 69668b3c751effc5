import Basics
import Foundation

/// How the coefficient of a KL placed in the reward moves (`train.kl_control`; veRL
/// `algorithm.kl_ctrl.type`).
enum KLControl: String, ConfigOption {
    /// β stays `train.beta`.
    case fixed
    /// Ziegler et al. (2019), veRL's `AdaptiveKLController`: after each step
    /// `β ← β·(1 + clip(KL/target − 1, −0.2, 0.2)·n/horizon)`, with KL the batch mean of each
    /// completion's mean per-token KL and n the completions in the batch.
    case adaptive
}

/// The KL-in-reward coefficient and its controller state (saved in checkpoints).
struct KLController: Codable, Equatable {
    var coefficient: Double
    var control: KLControl
    var target: Double
    var horizon: Double

    init(coefficient: Double, control: KLControl, target: Double, horizon: Double) {
        self.coefficient = coefficient
        self.control = control
        self.target = target
        self.horizon = horizon
    }

    /// The controller `train` asks for, starting at `beta`.
    init(train: TrainConfig) {
        self.init(coefficient: train.beta, control: train.klControl, target: train.klTarget, horizon: train.klHorizon)
    }

    /// Moves the coefficient after a step whose completions had `meanKL` (the batch mean of
    /// their per-token means) over `sequences` completions. A fixed controller does nothing.
    mutating func update(meanKL: Double, sequences: Int) {
        guard control == .adaptive, target > 0, horizon > 0 else { return }
        let error = min(max(meanKL / target - 1, -0.2), 0.2)
        coefficient *= 1 + error * Double(sequences) / horizon
    }
}

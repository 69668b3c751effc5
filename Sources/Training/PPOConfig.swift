import Basics
import Foundation

/// `RunConfig.ppo`: GAE and the PPO update (veRL's names and defaults where it has them).
struct PPOConfig: Codable, Equatable, Sendable {
    /// Discount γ of GAE (and of REINFORCE++'s returns).
    var gamma: Double = 1
    /// GAE's λ (veRL's default 1, ToolRL's PPO runs 1).
    var lambda: Double = 1
    /// The critic's value clip (veRL `cliprange_value`); nil: no clip.
    var valueClip: Double? = 0.5
    /// Passes over each sampled batch (veRL `ppo_epochs`).
    var epochs: Int = 1
    /// Optimiser updates per pass: the batch's completions split into this many mini-batches.
    var miniBatches: Int = 1

    init() {}

    enum CodingKeys: String, CodingKey {
        case gamma, lambda, valueClip = "value_clip", epochs, miniBatches = "mini_batches"
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = PPOConfig()
        gamma = try c.decodeChecked(Double.self, forKey: .gamma, default: d.gamma, requirement: "a number in [0, 1]") { $0 >= 0 && $0 <= 1 }
        lambda = try c.decodeChecked(Double.self, forKey: .lambda, default: d.lambda, requirement: "a number in [0, 1]") { $0 >= 0 && $0 <= 1 }
        if c.contains(.valueClip) {
            valueClip = try c.decodeIfPresent(Double.self, forKey: .valueClip)
        }
        if let clip = valueClip, !(clip > 0 && clip.isFinite) {
            throw DecodingError.dataCorruptedError(forKey: .valueClip, in: c, debugDescription: "\(clip) is not allowed: expected a number > 0, or null for no value clip")
        }
        epochs = try c.decodeChecked(Int.self, forKey: .epochs, default: d.epochs, requirement: "an integer ≥ 1") { $0 >= 1 }
        miniBatches = try c.decodeChecked(Int.self, forKey: .miniBatches, default: d.miniBatches, requirement: "an integer ≥ 1") { $0 >= 1 }
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(gamma, forKey: .gamma)
        try c.encode(lambda, forKey: .lambda)
        if let clip = valueClip { try c.encode(clip, forKey: .valueClip) } else { try c.encodeNil(forKey: .valueClip) }
        try c.encode(epochs, forKey: .epochs)
        try c.encode(miniBatches, forKey: .miniBatches)
    }
}

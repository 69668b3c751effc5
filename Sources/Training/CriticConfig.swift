import Basics
import Foundation
import Model

/// `RunConfig.critic`: PPO's value model (`ValueModel`), a separate transformer with a value
/// head, as veRL runs it. Its shape defaults to the policy's (`model`); its context, tokenizer and
/// init_std are always the policy's.
struct CriticConfig: Codable, Equatable, Sendable {
    /// Where the critic starts (`critic.init`).
    enum Start: Equatable, Sendable {
        /// A copy of the policy's starting parameters plus a fresh value head (veRL, ToolRL: the
        /// critic starts from the same base model). Needs the policy's shape.
        case policy
        /// Fresh random parameters.
        case scratch
        /// A checkpoint: a PPO run's (its `critic/` is loaded whole) or a policy's (the trunk is
        /// loaded, the value head is fresh). Paths as `init`'s.
        case path(String)

        init(_ text: String) {
            switch text {
            case "policy": self = .policy
            case "scratch": self = .scratch
            default: self = .path(text)
            }
        }
    }

    /// nil: the policy's.
    var dim: Int? = nil
    var layers: Int? = nil
    var heads: Int? = nil
    var mlpDim: Int? = nil
    /// `policy`, `scratch` or a checkpoint path.
    var initFrom: String = "policy"
    /// Peak learning rate of the critic's AdamW (the schedule's shape is `train`'s).
    var lr: Double = 1e-3
    /// Steps at the start that train the critic only (veRL `critic_warmup`).
    var warmup: Int = 0

    init() {}

    var start: Start { Start(initFrom) }

    /// The critic's transformer shape next to a policy of shape `policy`.
    func modelConfig(policy: ModelConfig) -> ModelConfig {
        var config = policy
        config.dim = dim ?? policy.dim
        config.layers = layers ?? policy.layers
        config.heads = heads ?? policy.heads
        config.mlpDim = mlpDim ?? policy.mlpDim
        return config
    }

    enum CodingKeys: String, CodingKey {
        case dim, layers, heads, mlpDim = "mlp_dim", initFrom = "init", lr, warmup
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = CriticConfig()
        func shape(_ key: CodingKeys) throws -> Int? {
            try c.decodeCheckedIfPresent(Int.self, forKey: key, requirement: "an integer ≥ 1, or null for the policy's") { $0 > 0 }
        }
        dim = try shape(.dim)
        layers = try shape(.layers)
        heads = try shape(.heads)
        mlpDim = try shape(.mlpDim)
        initFrom = try c.decodeIfPresent(String.self, forKey: .initFrom) ?? d.initFrom
        if initFrom.isEmpty {
            throw DecodingError.dataCorruptedError(forKey: .initFrom, in: c, debugDescription: "'' is not allowed: expected policy, scratch or a checkpoint path")
        }
        lr = try c.decodeChecked(Double.self, forKey: .lr, default: d.lr, requirement: "a number ≥ 0") { $0 >= 0 && $0.isFinite }
        warmup = try c.decodeChecked(Int.self, forKey: .warmup, default: d.warmup, requirement: "an integer ≥ 0") { $0 >= 0 }
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        for (key, value) in [(CodingKeys.dim, dim), (.layers, layers), (.heads, heads), (.mlpDim, mlpDim)] {
            if let value { try c.encode(value, forKey: key) } else { try c.encodeNil(forKey: key) }
        }
        try c.encode(initFrom, forKey: .initFrom)
        try c.encode(lr, forKey: .lr)
        try c.encode(warmup, forKey: .warmup)
    }
}

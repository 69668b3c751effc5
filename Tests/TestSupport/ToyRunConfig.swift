import Config
import Foundation

/// A small run config in the pattern of docs/architecture.md (decodeIfPresent ?? default for every
/// key, encode writes every field), standing in for Training's RunConfig.
public struct ToyRunConfig: Codable, Equatable {
    /// The resolver sweeps of toy configs plan with (defaults version 1).
    public static let resolver = ConfigLoader.resolver(for: ToyRunConfig.self, defaultsVersion: 1)

    public var seed: Int
    public var initFrom: String
    public var train: Train
    public var reward: Reward

    public struct Train: Codable, Equatable {
        public var algorithm: String
        public var steps: Int
        public var lr: Double
        public var warmup: Int

        enum CodingKeys: String, CodingKey { case algorithm, steps, lr, warmup }

        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            algorithm = try container.decodeIfPresent(String.self, forKey: .algorithm) ?? "grpo"
            steps = try container.decodeIfPresent(Int.self, forKey: .steps) ?? 100
            lr = try container.decodeIfPresent(Double.self, forKey: .lr) ?? 1e-3
            warmup = try container.decodeIfPresent(Int.self, forKey: .warmup) ?? 0
            guard ["grpo", "sft", "pretrain"].contains(algorithm) else {
                throw DecodingError.dataCorruptedError(forKey: .algorithm, in: container, debugDescription: "expected one of grpo, sft, pretrain")
            }
        }
    }

    public struct Reward: Codable, Equatable {
        public var preset: String
        public var scale: Scale
        public var correctness: Correctness

        public struct Scale: Codable, Equatable {
            public var format: [Double]
            public var correctness: [Double]
            enum CodingKeys: String, CodingKey { case format, correctness }
            public init(from decoder: Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                format = try container.decodeIfPresent([Double].self, forKey: .format) ?? [0, 1]
                correctness = try container.decodeIfPresent([Double].self, forKey: .correctness) ?? [-3, 3]
            }
        }

        public struct Correctness: Codable, Equatable {
            public var granularity: String
            enum CodingKeys: String, CodingKey { case granularity }
            public init(from decoder: Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                granularity = try container.decodeIfPresent(String.self, forKey: .granularity) ?? "original"
                guard ["original", "finegrained", "intermediate", "coarse"].contains(granularity) else {
                    throw DecodingError.dataCorruptedError(forKey: .granularity, in: container,
                        debugDescription: "expected one of original, finegrained, intermediate, coarse")
                }
            }
        }

        enum CodingKeys: String, CodingKey { case preset, scale, correctness }
        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            preset = try container.decodeIfPresent(String.self, forKey: .preset) ?? "original"
            scale = try container.decodeIfPresent(Scale.self, forKey: .scale) ?? ConfigLoader.decode(Scale.self, from: .emptyMap)
            correctness = try container.decodeIfPresent(Correctness.self, forKey: .correctness)
                ?? ConfigLoader.decode(Correctness.self, from: .emptyMap)
        }
    }

    enum CodingKeys: String, CodingKey { case seed, initFrom = "init", train, reward }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        seed = try container.decodeIfPresent(Int.self, forKey: .seed) ?? 0
        initFrom = try container.decodeIfPresent(String.self, forKey: .initFrom) ?? "scratch"
        train = try container.decodeIfPresent(Train.self, forKey: .train) ?? ConfigLoader.decode(Train.self, from: .emptyMap)
        reward = try container.decodeIfPresent(Reward.self, forKey: .reward) ?? ConfigLoader.decode(Reward.self, from: .emptyMap)
    }
}

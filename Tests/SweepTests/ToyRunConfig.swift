import Basics
import Foundation
@testable import Sweep

/// A small run config in the pattern of docs/architecture.md (decodeIfPresent ?? default for every
/// key, encode writes every field), standing in for Training's RunConfig.
struct ToyRunConfig: Codable, Equatable {
    var seed: Int
    var initFrom: String
    var train: Train
    var reward: Reward

    struct Train: Codable, Equatable {
        var algorithm: String
        var steps: Int
        var lr: Double
        var warmup: Int

        enum CodingKeys: String, CodingKey { case algorithm, steps, lr, warmup }

        init(from decoder: Decoder) throws {
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

    struct Reward: Codable, Equatable {
        var preset: String
        var scale: Scale
        var correctness: Correctness

        struct Scale: Codable, Equatable {
            var format: [Double]
            var correctness: [Double]
            enum CodingKeys: String, CodingKey { case format, correctness }
            init(from decoder: Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                format = try container.decodeIfPresent([Double].self, forKey: .format) ?? [0, 1]
                correctness = try container.decodeIfPresent([Double].self, forKey: .correctness) ?? [-3, 3]
            }
        }

        struct Correctness: Codable, Equatable {
            var granularity: String
            enum CodingKeys: String, CodingKey { case granularity }
            init(from decoder: Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                granularity = try container.decodeIfPresent(String.self, forKey: .granularity) ?? "original"
                guard ["original", "finegrained", "intermediate", "coarse"].contains(granularity) else {
                    throw DecodingError.dataCorruptedError(forKey: .granularity, in: container,
                        debugDescription: "expected one of original, finegrained, intermediate, coarse")
                }
            }
        }

        enum CodingKeys: String, CodingKey { case preset, scale, correctness }
        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            preset = try container.decodeIfPresent(String.self, forKey: .preset) ?? "original"
            scale = try container.decodeIfPresent(Scale.self, forKey: .scale) ?? ConfigLoader.decode(Scale.self, from: .emptyMap)
            correctness = try container.decodeIfPresent(Correctness.self, forKey: .correctness)
                ?? ConfigLoader.decode(Correctness.self, from: .emptyMap)
        }
    }

    enum CodingKeys: String, CodingKey { case seed, initFrom = "init", train, reward }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        seed = try container.decodeIfPresent(Int.self, forKey: .seed) ?? 0
        initFrom = try container.decodeIfPresent(String.self, forKey: .initFrom) ?? "scratch"
        train = try container.decodeIfPresent(Train.self, forKey: .train) ?? ConfigLoader.decode(Train.self, from: .emptyMap)
        reward = try container.decodeIfPresent(Reward.self, forKey: .reward) ?? ConfigLoader.decode(Reward.self, from: .emptyMap)
    }
}

/// Writes files into a fresh temporary directory.
final class TemporaryDirectory {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "ablate-sweep-tests-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let file = path + "/" + name
        try! text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }
}

/// The first diagnostic of a thrown ConfigError, as text, or a failure message.
func diagnosticText(_ body: () throws -> Any) -> String {
    do {
        _ = try body()
        return "<no error>"
    } catch let error as ConfigError {
        return error.description
    } catch {
        return "<other error: \(error)>"
    }
}

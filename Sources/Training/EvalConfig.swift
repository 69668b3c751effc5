import Basics
import Foundation

/// `RunConfig.eval`: greedy-decoding evaluation over the task's evaluation splits, with optional
/// sampled completions per item.
public struct EvalConfig: Codable, Equatable, Sendable {
    /// Evaluate every this many steps (0: only at the end). The end of the run always evaluates.
    public var every: Int = 50
    /// Which evaluation splits to decode (`decodedSplits`); `overall` is computed over all of them
    /// but `no_call`.
    public var splits: [String] = ["seen", "unseen", "multi", "irrelevant"]
    /// At most this many items per split (0: all).
    var maxItems: Int = 0
    public var maxNewTokens: Int = 128
    /// Completions sampled per item besides the greedy one, for `pass_at_k` and
    /// `sampled_accuracy` (`SampledVerdicts`); 0: none.
    var samples: Int = 0
    /// The temperature of those samples.
    var temperature: Double = 1.0

    static let knownSplits = ["seen", "unseen", "multi", "irrelevant", "no_call"]

    /// `splits`, with `no_call` right after `irrelevant` when only `irrelevant` is listed: loaded
    /// data reports its items without a gold call in two splits (single requests in
    /// `irrelevant`, conversation follow-ups in `no_call`), and listing `irrelevant` asks for
    /// both. (Generated tasks have no `no_call` items, so their evaluation is unchanged.)
    var decodedSplits: [String] {
        guard let index = splits.firstIndex(of: "irrelevant"), !splits.contains("no_call") else { return splits }
        var names = splits
        names.insert("no_call", at: index + 1)
        return names
    }

    init() {}

    enum CodingKeys: String, CodingKey {
        case every, splits, maxItems = "max_items", maxNewTokens = "max_new_tokens", samples, temperature
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = EvalConfig()
        every = try c.decodeChecked(Int.self, forKey: .every, default: d.every, requirement: "an integer ≥ 0 (0: only at the end)") { $0 >= 0 }
        splits = try c.decodeIfPresent([String].self, forKey: .splits) ?? d.splits
        for split in splits where !Self.knownSplits.contains(split) {
            throw DecodingError.dataCorruptedError(
                forKey: .splits, in: c,
                debugDescription: "unknown split '\(split)': expected some of \(Self.knownSplits.joined(separator: ", "))")
        }
        maxItems = try c.decodeChecked(Int.self, forKey: .maxItems, default: d.maxItems, requirement: "an integer ≥ 0 (0: all)") { $0 >= 0 }
        maxNewTokens = try c.decodeChecked(Int.self, forKey: .maxNewTokens, default: d.maxNewTokens, requirement: "an integer ≥ 1") { $0 >= 1 }
        samples = try c.decodeChecked(Int.self, forKey: .samples, default: d.samples, requirement: "an integer ≥ 0 (0: none)") { $0 >= 0 }
        temperature = try c.decodeChecked(Double.self, forKey: .temperature, default: d.temperature, requirement: "a number > 0") { $0 > 0 && $0.isFinite }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(every, forKey: .every)
        try c.encode(splits, forKey: .splits)
        try c.encode(maxItems, forKey: .maxItems)
        try c.encode(maxNewTokens, forKey: .maxNewTokens)
        try c.encode(samples, forKey: .samples)
        try c.encode(temperature, forKey: .temperature)
    }
}

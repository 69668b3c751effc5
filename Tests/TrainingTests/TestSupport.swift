import XCTest
@testable import Model
@testable import Training

/// Reward: the fraction of completion bytes equal to `target`.
struct ByteFractionReward: RewardFunction {
    var target: UInt8 = UInt8(ascii: "a")
    var componentNames: [String] { ["bytes"] }
    func score(_ context: RewardContext) -> RewardScore {
        let bytes = Array(context.completion.utf8)
        let value = bytes.isEmpty ? 0 : Double(bytes.filter { $0 == target }.count) / Double(bytes.count)
        return RewardScore(total: value, components: [("bytes", value)])
    }
}

func tinyModelConfig(context: Int = 32) -> ModelConfig {
    ModelConfig(dim: 16, layers: 1, heads: 2, mlpDim: 32, context: context, tokenizer: .bytes, bpeVocab: 512, initStd: 0.02)
}

/// A toy vocabulary for fast tests: token t is the letter "abcdefg"[t]; token 7 is end-of-text.
enum Letters {
    static let vocabularySize = 8
    static let endOfText: Int32 = 7
    static func decode(_ tokens: [Int32]) -> String {
        String(tokens.compactMap { $0 < 7 ? Character(Unicode.Scalar(UInt8(ascii: "a") + UInt8($0))) : nil })
    }
}

import Model

/// Benchmark W1, defined once: one GRPO step of a small policy. Every benchmark of W1's phases
/// (`ModelBenchmark`, `PolicyBenchmark`) and `ablate bench`'s text take their shapes from here.
///
/// Vocabulary 128 (one token per ASCII byte, random token ids), dim 128, 4 layers, 4 heads, MLP
/// 512, context 384, random init from a fixed seed; 8 prompts of exactly 256 tokens × group 8 =
/// 64 completions of exactly 128 tokens (no early stop), temperature 1; β = 0.04 with a k3
/// reference forward; ε = 0.2; one pass per batch; AdamW lr 1e-4.
public enum W1 {
    public static let model = ModelConfig(dim: 128, layers: 4, heads: 4, mlpDim: 512, context: 384, tokenizer: .bytes,
                                          bpeVocab: 512, initStd: 0.02)
    public static let vocabularySize = 128
    public static let prompts = 8
    public static let groupSize = 8
    public static let promptLength = 256
    public static let completionLength = 128
    public static let temperature = 1.0
    public static let beta = 0.04
    public static let epsilon = 0.2
    public static let learningRate = 1e-4

    /// Completions per step.
    public static var sequences: Int { prompts * groupSize }
    /// Tokens per sequence.
    public static var sequenceLength: Int { promptLength + completionLength }

    /// One line for people: `64 × (256 + 128) tokens, dim 128, 4 layers, vocabulary 128`.
    public static var shape: String {
        "\(sequences) × (\(promptLength) + \(completionLength)) tokens, dim \(model.dim), \(model.layers) layers, vocabulary \(vocabularySize)"
    }

    /// The full definition, for `ablate bench --help`.
    public static var definition: String {
        "vocabulary \(vocabularySize), dim \(model.dim), \(model.layers) layers, \(model.heads) heads, MLP \(model.mlpDim), "
            + "context \(model.context); \(prompts) prompts of \(promptLength) tokens × group \(groupSize) = \(sequences) "
            + "completions of \(completionLength) tokens; β = \(beta) (k3 reference forward), ε = \(epsilon), one pass, "
            + "AdamW lr \(learningRate)"
    }
}

/// Useful floating-point operations of the model's phases, for GFLOP/s reports. A matrix
/// product [M, K]·[K, N] counts 2·M·N·K; causal attention counts only the visible (lower
/// triangle) score and value products; elementwise work (norms, GELU, softmax) is not counted.
public enum FLOPCounter {
    /// Matrix-product FLOPs per token of one forward (all linear layers and the LM head).
    static func matmulFLOPsPerToken(config: ModelConfig, vocabularySize V: Int) -> Double {
        let C = Double(config.dim), M = Double(config.mlpDim)
        let perBlock = 2 * C * (3 * C) + 2 * C * C + 2 * C * M + 2 * M * C
        return Double(config.layers) * perBlock + 2 * C * Double(V)
    }

    /// Forward FLOPs for B sequences of T tokens.
    public static func forward(config: ModelConfig, vocabularySize: Int, batchSize B: Int, sequenceLength T: Int) -> Double {
        let tokens = Double(B * T)
        // Per sequence and block: Σ_i (i+1) visible keys × C channels × (QKᵀ + PV) × 2.
        let visiblePairs = Double(T) * Double(T + 1) / 2
        let attention = Double(B) * Double(config.layers) * visiblePairs * Double(config.dim) * 2 * 2
        return tokens * matmulFLOPsPerToken(config: config, vocabularySize: vocabularySize) + attention
    }

    /// Forward + backward FLOPs: backward does twice the forward's matrix work (input and weight
    /// gradients); attention backward recomputes the scores, so it counts 2.5× the forward's.
    public static func forwardBackward(config: ModelConfig, vocabularySize: Int, batchSize B: Int, sequenceLength T: Int) -> Double {
        let tokens = Double(B * T)
        let matmul = tokens * matmulFLOPsPerToken(config: config, vocabularySize: vocabularySize)
        let attention = forward(config: config, vocabularySize: vocabularySize, batchSize: B, sequenceLength: T) - matmul
        return 3 * matmul + 3.5 * attention
    }

    /// FLOPs of `SharedPromptForward`: P prompts of `promptLength` tokens run once (the LM head
    /// only at each prompt's last position), then P·G completions of `completionRows` tokens
    /// each, where completion token j attends over its prompt and its own tokens 0…j.
    public static func sharedPromptForward(config: ModelConfig, vocabularySize: Int, prompts P: Int, promptLength Tp: Int,
                                           completionsPerPrompt G: Int, completionRows W: Int) -> Double {
        let C = Double(config.dim), L = Double(config.layers)
        let perToken = matmulFLOPsPerToken(config: config, vocabularySize: vocabularySize)
        let lmHead = 2 * C * Double(vocabularySize)
        let promptAttention = Double(P) * L * (Double(Tp) * Double(Tp + 1) / 2) * C * 2 * 2
        let prompts = Double(P * Tp) * (perToken - lmHead) + Double(P) * lmHead + promptAttention
        let visiblePerCompletion = Double(W) * Double(Tp) + Double(W) * Double(W + 1) / 2
        let completionAttention = Double(P * G) * L * visiblePerCompletion * C * 2 * 2
        return prompts + Double(P * G * W) * perToken + completionAttention
    }

    /// FLOPs of one decode step of `batchSize` sequences whose new token sits at `position`
    /// (so it attends over position + 1 cached keys).
    static func decodeStep(config: ModelConfig, vocabularySize: Int, batchSize B: Int, position: Int) -> Double {
        let attention = Double(config.layers) * Double(position + 1) * Double(config.dim) * 2 * 2
        return Double(B) * (matmulFLOPsPerToken(config: config, vocabularySize: vocabularySize) + attention)
    }

    /// FLOPs of `Sampler.generate` for P prompts of `promptLength` tokens, G completions each,
    /// every completion running to `newTokens` tokens: one prefill per prompt, then decode steps
    /// at batch P·G (the first new token comes from the prefill's logits).
    public static func sampling(config: ModelConfig, vocabularySize: Int, prompts P: Int, promptLength: Int,
                                completionsPerPrompt G: Int, newTokens: Int) -> Double {
        var total = forward(config: config, vocabularySize: vocabularySize, batchSize: P, sequenceLength: promptLength)
        for step in 1..<max(1, newTokens) {
            total += decodeStep(config: config, vocabularySize: vocabularySize, batchSize: P * G, position: promptLength + step - 1)
        }
        return total
    }
}

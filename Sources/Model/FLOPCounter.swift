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

    /// Forward FLOPs of a prefix-shared batch: every row through the blocks, the LM head on its
    /// logit rows only, and attention over the keys each row sees (a prompt row: the prompt up
    /// to itself; completion row j: the whole prompt and its own rows 0…j).
    public static func forward(config: ModelConfig, vocabularySize V: Int, batch: PrefixBatch) -> Double {
        let (matmul, attention) = forwardParts(config: config, vocabularySize: V, batch: batch)
        return matmul + attention
    }

    /// Forward + backward FLOPs of a prefix-shared batch (the same factors as `forwardBackward`).
    public static func forwardBackward(config: ModelConfig, vocabularySize V: Int, batch: PrefixBatch) -> Double {
        let (matmul, attention) = forwardParts(config: config, vocabularySize: V, batch: batch)
        return 3 * matmul + 3.5 * attention
    }

    private static func forwardParts(config: ModelConfig, vocabularySize V: Int, batch: PrefixBatch) -> (matmul: Double, attention: Double) {
        let lmHead = 2 * Double(config.dim) * Double(V)
        let blocks = matmulFLOPsPerToken(config: config, vocabularySize: V) - lmHead
        var visiblePairs = 0.0
        for group in batch.groups {
            let Lp = Double(group.promptLength)
            visiblePairs += Lp * (Lp + 1) / 2
            for c in group.completions {
                let n = Double(batch.completionRows[c])
                visiblePairs += n * Lp + n * (n + 1) / 2
            }
        }
        let attention = visiblePairs * Double(config.layers) * Double(config.dim) * 2 * 2
        return (Double(batch.rowCount) * blocks + Double(batch.logitRowCount) * lmHead, attention)
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
        sampling(config: config, vocabularySize: vocabularySize, promptLengths: [Int](repeating: promptLength, count: P),
                 groupSize: G, completionLengths: [Int](repeating: newTokens, count: P * G))
    }

    /// FLOPs of `Sampler.generate` as it ran: the prefill of every prompt (padded to the longest),
    /// then one decode step per generated token after the first of each completion
    /// (`completionLengths[s]` tokens; completion s continues prompt s / G).
    public static func sampling(config: ModelConfig, vocabularySize: Int, promptLengths: [Int], groupSize G: Int,
                                completionLengths: [Int]) -> Double {
        guard let longest = promptLengths.max(), longest > 0 else { return 0 }
        var total = forward(config: config, vocabularySize: vocabularySize, batchSize: promptLengths.count, sequenceLength: longest)
        let perToken = matmulFLOPsPerToken(config: config, vocabularySize: vocabularySize)
        let perKey = Double(config.layers) * Double(config.dim) * 2 * 2
        for (s, length) in completionLengths.enumerated() where length > 1 {
            let Lp = Double(promptLengths[s / G]), steps = Double(length - 1)
            // Step j (1…length−1) feeds the token at position Lp + j − 1, which sees Lp + j keys.
            total += steps * perToken + perKey * (steps * Lp + steps * (steps + 1) / 2)
        }
        return total
    }
}

import COpenBLAS
import Foundation

// Inference forward of G completions per prompt that runs each shared prompt once.
//
// GRPO's reference pass scores S = P·G sequences `prompt[s / G] + completion[s]`; causal
// attention makes every prompt position's activations identical across the group, so the
// prompts [P, Tp] run once (keeping their keys and values per layer) and only the completion
// tokens [S, W] run per sequence, attending over their prompt's cached positions and their own
// earlier completion positions. At the W1 shape this is 8·256 + 64·127 tokens instead of 64·384.
//
// Shapes: prompt cache per layer: keys [P, NH, hs, Tp] (transposed, so Q·Kᵀ is a plain product),
// values [P, NH, Tp, hs]; completion activations [S·W, ·] row-major; scores per worker [W, Tp + W].
// Output `logits` [S, W + 1, V]: row j holds the logits that predict completion token j (row 0
// from the prompt's last position, row j ≥ 1 from completion position j − 1).

/// Reusable buffers for `Transformer.sharedPromptLogits` (allocated once per capacity).
public final class SharedPromptForward {
    public let model: Transformer
    private var arena: FloatArena?
    private var capacityKey: (P: Int, Tp: Int, S: Int, W: Int) = (0, 0, 0, 0)
    private var promptKeys: [UnsafeMutablePointer<Float>] = [], promptValues: [UnsafeMutablePointer<Float>] = []
    private var residual, normed, qkv, attention, hidden, scores: UnsafeMutablePointer<Float>?
    private var output: UnsafeMutablePointer<Float>?

    /// Buffers for forwards of `model` (the model's parameters are read at each call).
    public init(model: Transformer) { self.model = model }

    private func reserve(P: Int, Tp: Int, S: Int, W: Int) {
        if arena != nil, P <= capacityKey.P, Tp <= capacityKey.Tp, S <= capacityKey.S, W <= capacityKey.W { return }
        let config = model.config, C = config.dim, M = config.mlpDim, V = model.vocabularySize
        let P = max(P, capacityKey.P), Tp = max(Tp, capacityKey.Tp), S = max(S, capacityKey.S), W = max(W, capacityKey.W)
        let rows = S * W
        var sizes: [Int] = []
        for _ in 0..<config.layers { sizes += [P * Tp * C, P * Tp * C] }
        sizes += [rows * C, rows * C, rows * 3 * C, rows * C, rows * max(M, C), 8 * W * (Tp + W), S * (W + 1) * V]
        arena = nil
        let newArena = FloatArena(capacity: FloatArena.size(sizes))
        promptKeys = []
        promptValues = []
        for _ in 0..<config.layers {
            promptKeys.append(newArena.take(P * Tp * C))
            promptValues.append(newArena.take(P * Tp * C))
        }
        residual = newArena.take(rows * C)
        normed = newArena.take(rows * C)
        qkv = newArena.take(rows * 3 * C)
        attention = newArena.take(rows * C)
        hidden = newArena.take(rows * max(M, C))
        scores = newArena.take(8 * W * (Tp + W))
        output = newArena.take(S * (W + 1) * V)
        arena = newArena
        capacityKey = (P, Tp, S, W)
    }

    /// prompts [P, Tp] right-padded (`promptLengths[p]` valid tokens, ≥ 1); completions [S, W]
    /// (S = P·G, sequence s continues prompt s / G; right-padded, positions past a sequence's
    /// end are harmless). Returns logits [S, W + 1, V] (see the file comment), valid until the
    /// next call.
    public func logits(prompts: UnsafePointer<Int32>, promptLengths: [Int], paddedPromptLength Tp: Int,
                       completions: UnsafePointer<Int32>, completionWidth W: Int, groupSize G: Int) -> UnsafeMutablePointer<Float> {
        let config = model.config, C = config.dim, M = config.mlpDim, V = model.vocabularySize
        let NH = config.heads, hs = config.headDim
        let P = promptLengths.count, S = P * G
        reserve(P: P, Tp: Tp, S: S, W: W)
        let pk = promptKeys, pv = promptValues, out = output!
        // 1. Prompts once, caching keys (transposed) and values per (prompt, head).
        let promptLogits = model.inferenceForward(tokens: prompts, batchSize: P, sequenceLength: Tp) { layer, qkv in
            for p in 0..<P {
                for h in 0..<NH {
                    let keySlab = pk[layer] + (p * NH + h) * Tp * hs
                    let valueSlab = pv[layer] + (p * NH + h) * Tp * hs
                    for t in 0..<Tp {
                        let row = qkv + (p * Tp + t) * 3 * C + h * hs
                        for c in 0..<hs { keySlab[c * Tp + t] = row[C + c] }
                        (valueSlab + t * hs).update(from: row + 2 * C, count: hs)
                    }
                }
            }
        }
        for s in 0..<S {
            let p = s / G
            (out + s * (W + 1) * V).update(from: promptLogits + (p * Tp + promptLengths[p] - 1) * V, count: V)
        }
        guard W > 0 else { return out }
        // 2. Completions [S·W] through the blocks.
        let N = S * W
        let w = model.parameters.pointer, layout = model.layout
        let residual = self.residual!, normed = self.normed!, qkv = self.qkv!, attention = self.attention!, hidden = self.hidden!
        for s in 0..<S {
            let start = promptLengths[s / G]
            for j in 0..<W {
                let token = Int(completions[s * W + j])
                precondition(token >= 0 && token < V, "token \(token) is outside the vocabulary 0..<\(V)")
                let position = min(start + j, config.context - 1)   // clamped only past the sequence's end
                let tokenRow = w + layout.tokenEmbedding + token * C
                let positionRow = w + layout.positionEmbedding + position * C
                let row = residual + (s * W + j) * C
                for c in 0..<C { row[c] = tokenRow[c] + positionRow[c] }
            }
        }
        layout.inferenceBlocks(weights: w, residual: residual, normed: normed, qkv: qkv, attention: attention,
                               hidden: hidden, rows: N, channels: C, mlpChannels: M) { l in
            attend(layer: l, promptLengths: promptLengths, Tp: Tp, W: W, G: G)
        }
        for s in 0..<S {
            Linear.forward(out: out + (s * (W + 1) + 1) * V, inp: normed + s * W * C, weight: w + layout.tokenEmbedding,
                           bias: nil, rows: W, inChannels: C, outChannels: V)
        }
        return out
    }

    /// Causal attention of each sequence's W completion queries over its prompt's cached
    /// positions and its own completion positions up to the query's.
    private func attend(layer: Int, promptLengths: [Int], Tp: Int, W: Int, G: Int) {
        let config = model.config, C = config.dim, NH = config.heads, hs = config.headDim
        let S = promptLengths.count * G
        let scale = 1 / Float(hs).squareRoot()
        let stride = Tp + W
        let keys = promptKeys[layer], values = promptValues[layer]
        let qkv = self.qkv!, attention = self.attention!, scores = self.scores!
        Parallel.forEachChunk(count: S * NH, maxWorkers: 8) { worker, items in
            let scratch = scores + worker * W * stride
            for item in items {
                let s = item / NH, h = item % NH, p = s / G
                let Lp = promptLengths[p]
                let q = qkv + s * W * 3 * C + h * hs
                let out = attention + s * W * C + h * hs
                let keySlab = keys + (p * NH + h) * Tp * hs
                let valueSlab = values + (p * NH + h) * Tp * hs
                // Scores [W, Lp + W]: prompt part scale·Q·Kpᵀ, own part scale·Q·Kcᵀ (masked below).
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(W), Int32(Lp), Int32(hs), scale,
                            q, Int32(3 * C), keySlab, Int32(Tp), 0, scratch, Int32(stride))
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(W), Int32(W), Int32(hs), scale,
                            q, Int32(3 * C), q + C, Int32(3 * C), 0, scratch + Lp, Int32(stride))
                for i in 0..<W {
                    let row = scratch + i * stride
                    let visible = Lp + i + 1
                    let top = maximum(row, count: visible)
                    let inverse = 1 / expShiftedSum(row, row, shift: top, count: visible)
                    for j in 0..<visible { row[j] *= inverse }
                    for j in visible..<(Lp + W) { row[j] = 0 }
                }
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(W), Int32(hs), Int32(Lp), 1,
                            scratch, Int32(stride), valueSlab, Int32(hs), 0, out, Int32(C))
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(W), Int32(hs), Int32(W), 1,
                            scratch + Lp, Int32(stride), q + 2 * C, Int32(3 * C), 1, out, Int32(C))
            }
        }
    }
}

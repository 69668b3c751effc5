// Activation buffers for a `Transformer`, allocated once per capacity (in tokens, B·T) and reused
// while B·T fits; a larger shape allocates a bigger set.
//
// To keep memory down, only what backward cannot cheaply recompute is stored per block:
//   qkv [N, 3C], attention output [N, C], attention log-sum-exp [N·NH], the residual stream after
//   attention [N, C] and after the MLP [N, C], MLP pre-activation [N, M], and LayerNorm
//   mean/rstd [N] ×2.
// LayerNorm outputs and the GELU output are recomputed in backward (one cheap pass each). That
// is 6C + M + NH + 4 floats per token per block (1288 at C 128, M 512, NH 4: 5.2 KB).

/// Per-block stored activations.
struct BlockActivations {
    var ln1Mean, ln1Rstd, qkv, attention, logSumExp, residualAfterAttention: UnsafeMutablePointer<Float>
    var ln2Mean, ln2Rstd, mlpHidden, residualAfterMLP: UnsafeMutablePointer<Float>
}

/// Everything one training forward stores, plus the scratch forward and backward share.
final class TrainingActivations {
    let capacity: Int
    private let arena: FloatArena
    let embedded: UnsafeMutablePointer<Float>           // [N, C] the residual stream entering block 0
    let blocks: [BlockActivations]
    let finalNorm, finalMean, finalRstd: UnsafeMutablePointer<Float>
    let logits: UnsafeMutablePointer<Float>             // [N, V]
    // Scratch: normed [N, C] (LayerNorm outputs), projected [N, C] (forward: projections;
    // backward: dNormed), residualGradient [N, C], wide [N, max(3M, 4C)] (forward: GELU output;
    // backward: the MLP triple GELU output / GELU derivative / its gradient, or the attention
    // pair dAttention/dQKV).
    let normed, projected, residualGradient, wide: UnsafeMutablePointer<Float>
    let wideWidth: Int

    init(capacity N: Int, config: ModelConfig, vocabularySize V: Int) {
        capacity = N
        let C = config.dim, M = config.mlpDim, NH = config.heads
        wideWidth = max(3 * M, 4 * C)
        let perBlock = [N, N, N * 3 * C, N * C, N * NH, N * C, N, N, N * M, N * C]
        var sizes = [N * C]
        for _ in 0..<config.layers { sizes += perBlock }
        sizes += [N * C, N, N, N * V, N * C, N * C, N * C, N * wideWidth]
        arena = FloatArena(capacity: FloatArena.size(sizes))
        embedded = arena.take(N * C)
        var blocks: [BlockActivations] = []
        for _ in 0..<config.layers {
            blocks.append(BlockActivations(
                ln1Mean: arena.take(N), ln1Rstd: arena.take(N), qkv: arena.take(N * 3 * C),
                attention: arena.take(N * C), logSumExp: arena.take(N * NH),
                residualAfterAttention: arena.take(N * C), ln2Mean: arena.take(N), ln2Rstd: arena.take(N),
                mlpHidden: arena.take(N * M), residualAfterMLP: arena.take(N * C)))
        }
        self.blocks = blocks
        finalNorm = arena.take(N * C)
        finalMean = arena.take(N)
        finalRstd = arena.take(N)
        logits = arena.take(N * V)
        normed = arena.take(N * C)
        projected = arena.take(N * C)
        residualGradient = arena.take(N * C)
        wide = arena.take(N * wideWidth)
    }

    /// Bytes held.
    var byteCount: Int { arena.capacity * MemoryLayout<Float>.stride }
}

/// Working buffers of a forward that stores nothing for backward (reference model, evaluation,
/// sampler prefill): 2C + max(3C, M) + V floats per token.
final class InferenceActivations {
    let capacity: Int
    private let arena: FloatArena
    let residual, normed, wide, logits: UnsafeMutablePointer<Float>

    init(capacity N: Int, config: ModelConfig, vocabularySize V: Int) {
        capacity = N
        let C = config.dim
        let wideWidth = max(3 * C, config.mlpDim)
        arena = FloatArena(capacity: FloatArena.size([N * C, N * C, N * wideWidth, N * V]))
        residual = arena.take(N * C)
        normed = arena.take(N * C)
        wide = arena.take(N * wideWidth)
        logits = arena.take(N * V)
    }
}

// Activation buffers for a `Transformer`, allocated once per capacity (rows N and logit rows R)
// and reused while a pass fits; a larger pass allocates a bigger set.
//
// To keep memory down, only what backward cannot cheaply recompute is stored per block:
//   qkv [N, 3C], attention output [N, C], attention log-sum-exp [N·NH], the residual stream after
//   attention [N, C] and after the MLP [N, C], MLP pre-activation [N, M], and LayerNorm
//   mean/rstd [N] ×2.
// LayerNorm outputs and the GELU output are recomputed in backward (one cheap pass each). That
// is 6C + M + NH + 4 floats per token per block (1288 at C 128, M 512, NH 4: 5.2 KB), plus
// 4C + max(3M, 4C) per token of shared buffers and 2C + 2 + V per logit row (2C more when the
// head gathers its rows): about 29 KB per token at the W1 shape.

/// Per-block stored activations.
struct BlockActivations {
    var ln1Mean, ln1Rstd, qkv, attention, logSumExp, residualAfterAttention: UnsafeMutablePointer<Float>
    var ln2Mean, ln2Rstd, mlpHidden, residualAfterMLP: UnsafeMutablePointer<Float>
}

/// Everything one training forward stores, plus the scratch forward and backward share.
final class TrainingActivations {
    let capacity: Int
    let logitCapacity: Int
    let gathers: Bool
    private let arena: FloatArena
    let embedded: UnsafeMutablePointer<Float>           // [N, C] the residual stream entering block 0
    let blocks: [BlockActivations]
    // The head, on R rows: gathered [R, C] (prefix passes only), finalNorm [R, C], finalMean and
    // finalRstd [R], logits [R, V]; backward: headGradient [R, C] (d finalNorm),
    // gatheredGradient [R, C] (prefix passes only).
    let gathered, gatheredGradient: UnsafeMutablePointer<Float>!
    let finalNorm, finalMean, finalRstd, logits, headGradient: UnsafeMutablePointer<Float>
    // Scratch: normed [N, C] (LayerNorm outputs), projected [N, C] (forward: projections;
    // backward: dNormed), residualGradient [N, C], wide [N, max(3M, 4C)] (forward: GELU output;
    // backward: the MLP triple GELU output / GELU derivative / its gradient, or the attention
    // pair dAttention/dQKV).
    let normed, projected, residualGradient, wide: UnsafeMutablePointer<Float>

    init(rows N: Int, logitRows R: Int, gathers: Bool, config: ModelConfig, vocabularySize V: Int) {
        capacity = N
        logitCapacity = R
        self.gathers = gathers
        let C = config.dim, M = config.mlpDim, NH = config.heads
        let wideWidth = max(3 * M, 4 * C)
        let perBlock = [N, N, N * 3 * C, N * C, N * NH, N * C, N, N, N * M, N * C]
        var sizes = [N * C]
        for _ in 0..<config.layers { sizes += perBlock }
        sizes += [R * C, R, R, R * V, R * C, N * C, N * C, N * C, N * wideWidth]
        if gathers { sizes += [R * C, R * C] }
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
        finalNorm = arena.take(R * C)
        finalMean = arena.take(R)
        finalRstd = arena.take(R)
        logits = arena.take(R * V)
        headGradient = arena.take(R * C)
        normed = arena.take(N * C)
        projected = arena.take(N * C)
        residualGradient = arena.take(N * C)
        wide = arena.take(N * wideWidth)
        gathered = gathers ? arena.take(R * C) : nil
        gatheredGradient = gathers ? arena.take(R * C) : nil
    }

    func fits(rows N: Int, logitRows R: Int, gathers: Bool) -> Bool {
        N <= capacity && R <= logitCapacity && (!gathers || self.gathers)
    }

    /// Bytes held.
    var byteCount: Int { arena.capacity * MemoryLayout<Float>.stride }
}

/// Working buffers of a forward that stores nothing for backward (reference model, evaluation,
/// sampler prefill): 2C + max(3C, M) floats per row, V per logit row (C more when gathering).
final class InferenceActivations {
    let capacity: Int
    let logitCapacity: Int
    let gathers: Bool
    private let arena: FloatArena
    let residual, normed, wide, logits: UnsafeMutablePointer<Float>
    let gathered: UnsafeMutablePointer<Float>!

    init(rows N: Int, logitRows R: Int, gathers: Bool, config: ModelConfig, vocabularySize V: Int) {
        capacity = N
        logitCapacity = R
        self.gathers = gathers
        let C = config.dim
        let wideWidth = max(3 * C, config.mlpDim)
        arena = FloatArena(capacity: FloatArena.size([N * C, N * C, N * wideWidth, R * V] + (gathers ? [R * C] : [])))
        residual = arena.take(N * C)
        normed = arena.take(N * C)
        wide = arena.take(N * wideWidth)
        logits = arena.take(R * V)
        gathered = gathers ? arena.take(R * C) : nil
    }

    func fits(rows N: Int, logitRows R: Int, gathers: Bool) -> Bool {
        N <= capacity && R <= logitCapacity && (!gathers || self.gathers)
    }
}

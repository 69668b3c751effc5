import Foundation

/// A decoder-only transformer (GPT-2 shape): token + learned position embeddings, pre-norm
/// blocks of causal multi-head self-attention and a GELU MLP, a final LayerNorm, and an LM head
/// tied to the token embedding. Forward and backward are hand-written kernels on flat buffers.
///
/// Memory: a training `forward` stores about 6C + M + NH + 4 floats per token per block plus
/// ~5C + max(3M, 4C) + V per token of shared buffers (`trainingActivationBytes`): 30 KB per
/// token at the W1 shape, so 64 × 384 tokens in one call need ~730 MB. Run large batches as
/// micro-batches (forward + backward per slice of sequences; `backward` accumulates): 16
/// sequences of 384 tokens keep it near 185 MB at no loss of speed.
///
/// Parallelism: kernels split their work over the BLAS thread count (`KernelSet.threadCount`)
/// with results independent of how the work is split; BLAS itself runs single-threaded inside.
///
/// Not thread-safe: one caller at a time (the kernels themselves use both cores).
public final class Transformer {
    public let config: ModelConfig
    public let vocabularySize: Int
    /// All parameters in one allocation; see `TransformerLayout` for the view names.
    public var parameters: ParameterBuffer
    /// Gradients, same layout as `parameters`; `backward` accumulates into it.
    public var gradients: ParameterBuffer
    let layout: TransformerLayout

    private var training: TrainingActivations?
    private var inference: InferenceActivations?
    private var savedTokens: UnsafeMutablePointer<Int32>?
    private var savedTokenCapacity = 0
    private var lastShape: (batchSize: Int, sequenceLength: Int)?

    /// A freshly initialised model (GPT-2 init, deterministic for `seed`).
    public init(config: ModelConfig, vocabularySize: Int, seed: UInt64) {
        precondition(vocabularySize > 0 && config.dim % config.heads == 0, "invalid model shape")
        self.config = config
        self.vocabularySize = vocabularySize
        layout = TransformerLayout(config: config, vocabularySize: vocabularySize)
        parameters = ParameterBuffer(views: layout.views)
        gradients = ParameterBuffer(views: layout.views)
        layout.initialise(parameters, config: config, seed: seed)
    }

    /// A model around existing parameter values (loading, copying). The buffer may hold more
    /// views after the transformer's (a critic's value head): the gradients get the same layout.
    init(config: ModelConfig, vocabularySize: Int, parameters: ParameterBuffer) {
        self.config = config
        self.vocabularySize = vocabularySize
        layout = TransformerLayout(config: config, vocabularySize: vocabularySize)
        precondition(Array(parameters.views.prefix(layout.views.count)) == layout.views, "parameter layout does not match the config")
        self.parameters = parameters
        gradients = ParameterBuffer(views: parameters.views)
    }

    deinit { savedTokens?.deallocate() }

    /// Number of parameters.
    public var parameterCount: Int { parameters.count }

    public func zeroGradients() { gradients.zero() }

    /// An independent model with the same parameters (zero gradients, no activations): the
    /// frozen reference policy.
    public func copy() -> Transformer {
        Transformer(config: config, vocabularySize: vocabularySize, parameters: parameters.copy())
    }

    /// Bytes of activation memory a training forward of `tokenCount` (= B·T) tokens needs.
    public static func trainingActivationBytes(config: ModelConfig, vocabularySize: Int, tokenCount: Int) -> Int {
        let C = config.dim, M = config.mlpDim
        let perBlock = 6 * C + M + config.heads + 4
        let rest = C + C + 2 + vocabularySize + 3 * C + max(3 * M, 4 * C)
        return tokenCount * (perBlock * config.layers + rest) * MemoryLayout<Float>.stride
    }

    /// tokens [B, T] row-major; returns logits [B, T, V] (owned by the model, valid until the next
    /// call). Sequences shorter than T are right-padded: causal attention makes padding harmless
    /// to earlier positions. Stores what `backward` needs.
    public func forward(tokens: UnsafePointer<Int32>, batchSize B: Int, sequenceLength T: Int) -> UnsafeMutablePointer<Float> {
        let hidden = forwardHidden(tokens: tokens, batchSize: B, sequenceLength: T)
        let a = training!
        Linear.forward(out: a.logits, inp: hidden, weight: parameters.pointer + layout.tokenEmbedding, bias: nil,
                       rows: B * T, inChannels: config.dim, outChannels: vocabularySize)
        return a.logits
    }

    /// The forward without the LM head: the final-normed hidden states [B, T, C] (owned by the
    /// model, valid until the next call), for a head of another kind (a critic's value head).
    /// Stores what `backward(hiddenGradients:)` needs.
    public func forwardHidden(tokens: UnsafePointer<Int32>, batchSize B: Int, sequenceLength T: Int) -> UnsafeMutablePointer<Float> {
        precondition(B > 0 && T > 0 && T <= config.context, "forward: T = \(T) must be in 1...\(config.context)")
        let N = B * T, C = config.dim, M = config.mlpDim, V = vocabularySize
        checkTokens(tokens, count: N)
        if training == nil || training!.capacity < N {
            training = nil
            training = TrainingActivations(capacity: N, config: config, vocabularySize: V)
        }
        if savedTokenCapacity < N {
            savedTokens?.deallocate()
            savedTokens = .allocate(capacity: N)
            savedTokenCapacity = N
        }
        savedTokens!.update(from: tokens, count: N)
        lastShape = (B, T)
        let a = training!
        let w = parameters.pointer
        Embedding.forward(out: a.embedded, tokens: tokens, tokenTable: w + layout.tokenEmbedding,
                          positionTable: w + layout.positionEmbedding, batchSize: B, sequenceLength: T, channels: C)
        var residual = a.embedded
        for (p, s) in zip(layout.blocks, a.blocks) {
            LayerNorm.forward(out: a.normed, mean: s.ln1Mean, rstd: s.ln1Rstd, inp: residual,
                              weight: w + p.ln1Weight, bias: w + p.ln1Bias, rows: N, channels: C)
            Linear.forward(out: s.qkv, inp: a.normed, weight: w + p.qkvWeight, bias: w + p.qkvBias,
                           rows: N, inChannels: C, outChannels: 3 * C)
            Attention.forward(out: s.attention, logSumExp: s.logSumExp, qkv: s.qkv, batchSize: B,
                              sequenceLength: T, channels: C, heads: config.heads)
            Linear.forward(out: a.projected, inp: s.attention, weight: w + p.projWeight, bias: w + p.projBias,
                           rows: N, inChannels: C, outChannels: C)
            Residual.forward(out: s.residualAfterAttention, inp1: residual, inp2: a.projected, count: N * C)
            LayerNorm.forward(out: a.normed, mean: s.ln2Mean, rstd: s.ln2Rstd, inp: s.residualAfterAttention,
                              weight: w + p.ln2Weight, bias: w + p.ln2Bias, rows: N, channels: C)
            Linear.forward(out: s.mlpHidden, inp: a.normed, weight: w + p.fcWeight, bias: w + p.fcBias,
                           rows: N, inChannels: C, outChannels: M)
            GELU.forward(out: a.wide, inp: s.mlpHidden, count: N * M)
            Linear.forward(out: a.projected, inp: a.wide, weight: w + p.fcProjWeight, bias: w + p.fcProjBias,
                           rows: N, inChannels: M, outChannels: C)
            Residual.forward(out: s.residualAfterMLP, inp1: s.residualAfterAttention, inp2: a.projected, count: N * C)
            residual = s.residualAfterMLP
        }
        LayerNorm.forward(out: a.finalNorm, mean: a.finalMean, rstd: a.finalRstd, inp: residual,
                          weight: w + layout.finalNormWeight, bias: w + layout.finalNormBias, rows: N, channels: C)
        return a.finalNorm
    }

    /// dLogits [B, T, V] for the last `forward`; accumulates into `gradients`.
    public func backward(logitGradients dLogits: UnsafePointer<Float>) {
        guard let (B, T) = lastShape, let a = training else { preconditionFailure("backward called before forward") }
        let N = B * T, C = config.dim, V = vocabularySize
        let dFinalNorm = a.projected
        dFinalNorm.update(repeating: 0, count: N * C)
        Linear.backward(inpGradient: dFinalNorm, weightGradient: gradients.pointer + layout.tokenEmbedding, biasGradient: nil,
                        outGradient: dLogits, inp: a.finalNorm, weight: parameters.pointer + layout.tokenEmbedding,
                        rows: N, inChannels: C, outChannels: V)
        backward(hiddenGradients: dFinalNorm)
    }

    /// d loss / d hidden [B, T, C] for the last `forwardHidden` (or `forward`); accumulates into
    /// `gradients`. `dFinalNorm` may be the model's own scratch (it is read before being reused).
    ///
    /// The residual stream's gradient lives in one buffer: a residual add passes its output
    /// gradient unchanged to both inputs, so each block's projections read it as their output
    /// gradient and the LayerNorms accumulate their input gradient into it in place.
    public func backward(hiddenGradients dFinalNorm: UnsafePointer<Float>) {
        guard let (B, T) = lastShape, let a = training, let tokens = savedTokens else {
            preconditionFailure("backward called before forward")
        }
        let N = B * T, C = config.dim, M = config.mlpDim
        let w = parameters.pointer, g = gradients.pointer
        let dResidual = a.residualGradient
        let dNormed = a.projected
        dResidual.update(repeating: 0, count: N * C)
        let lastResidual = a.blocks.last?.residualAfterMLP ?? a.embedded
        LayerNorm.backward(inpGradient: dResidual, weightGradient: g + layout.finalNormWeight,
                           biasGradient: g + layout.finalNormBias, outGradient: dFinalNorm, inp: lastResidual,
                           weight: w + layout.finalNormWeight, mean: a.finalMean, rstd: a.finalRstd, rows: N, channels: C)
        for l in stride(from: config.layers - 1, through: 0, by: -1) {
            let p = layout.blocks[l], s = a.blocks[l]
            let residualIn = l == 0 ? a.embedded : a.blocks[l - 1].residualAfterMLP
            // MLP half: recompute the GELU output (with its derivative, one pass), then
            // proj ← GELU ← fc ← ln2. dHidden = gelu'(hidden) ∘ dActivated, in place.
            let activated = a.wide, dActivated = a.wide + N * M, geluDerivative = a.wide + 2 * N * M
            GELU.forwardWithDerivative(out: activated, derivative: geluDerivative, inp: s.mlpHidden, count: N * M)
            dActivated.update(repeating: 0, count: N * M)
            Linear.backward(inpGradient: dActivated, weightGradient: g + p.fcProjWeight, biasGradient: g + p.fcProjBias,
                            outGradient: dResidual, inp: activated, weight: w + p.fcProjWeight,
                            rows: N, inChannels: M, outChannels: C)
            let dHidden = geluDerivative
            multiplyInPlace(dHidden, by: dActivated, count: N * M)
            LayerNorm.forward(out: a.normed, mean: nil, rstd: nil, inp: s.residualAfterAttention,
                              weight: w + p.ln2Weight, bias: w + p.ln2Bias, rows: N, channels: C)
            dNormed.update(repeating: 0, count: N * C)
            Linear.backward(inpGradient: dNormed, weightGradient: g + p.fcWeight, biasGradient: g + p.fcBias,
                            outGradient: dHidden, inp: a.normed, weight: w + p.fcWeight,
                            rows: N, inChannels: C, outChannels: M)
            LayerNorm.backward(inpGradient: dResidual, weightGradient: g + p.ln2Weight, biasGradient: g + p.ln2Bias,
                               outGradient: dNormed, inp: s.residualAfterAttention, weight: w + p.ln2Weight,
                               mean: s.ln2Mean, rstd: s.ln2Rstd, rows: N, channels: C)
            // Attention half: proj ← attention ← qkv ← ln1.
            let dAttention = a.wide, dQKV = a.wide + N * C
            dAttention.update(repeating: 0, count: N * C)
            Linear.backward(inpGradient: dAttention, weightGradient: g + p.projWeight, biasGradient: g + p.projBias,
                            outGradient: dResidual, inp: s.attention, weight: w + p.projWeight,
                            rows: N, inChannels: C, outChannels: C)
            dQKV.update(repeating: 0, count: N * 3 * C)
            Attention.backward(qkvGradient: dQKV, outGradient: dAttention, qkv: s.qkv, out: s.attention,
                               logSumExp: s.logSumExp, batchSize: B, sequenceLength: T, channels: C, heads: config.heads)
            LayerNorm.forward(out: a.normed, mean: nil, rstd: nil, inp: residualIn,
                              weight: w + p.ln1Weight, bias: w + p.ln1Bias, rows: N, channels: C)
            dNormed.update(repeating: 0, count: N * C)
            Linear.backward(inpGradient: dNormed, weightGradient: g + p.qkvWeight, biasGradient: g + p.qkvBias,
                            outGradient: dQKV, inp: a.normed, weight: w + p.qkvWeight,
                            rows: N, inChannels: C, outChannels: 3 * C)
            LayerNorm.backward(inpGradient: dResidual, weightGradient: g + p.ln1Weight, biasGradient: g + p.ln1Bias,
                               outGradient: dNormed, inp: residualIn, weight: w + p.ln1Weight,
                               mean: s.ln1Mean, rstd: s.ln1Rstd, rows: N, channels: C)
        }
        Embedding.backward(tokenTableGradient: g + layout.tokenEmbedding, positionTableGradient: g + layout.positionEmbedding,
                           outGradient: dResidual, tokens: tokens, batchSize: B, sequenceLength: T, channels: C)
    }

    /// A forward that stores nothing for backward (frozen reference, evaluation). Returns logits
    /// [B, T, V], owned by the model and valid until the next call. Does not disturb the
    /// activations of the last `forward`, so `backward` still applies to that one.
    public func inferenceForward(tokens: UnsafePointer<Int32>, batchSize: Int, sequenceLength: Int) -> UnsafeMutablePointer<Float> {
        inferenceForward(tokens: tokens, batchSize: batchSize, sequenceLength: sequenceLength, keysValues: nil)
    }

    /// `keysValues(layer, qkv)` sees each block's qkv [B, T, 3C] (the sampler's prefill copies the
    /// keys and values into its cache).
    func inferenceForward(tokens: UnsafePointer<Int32>, batchSize B: Int, sequenceLength T: Int,
                          keysValues: ((Int, UnsafePointer<Float>) -> Void)?) -> UnsafeMutablePointer<Float> {
        precondition(B > 0 && T > 0 && T <= config.context, "inferenceForward: T = \(T) must be in 1...\(config.context)")
        let N = B * T, C = config.dim, M = config.mlpDim, V = vocabularySize
        checkTokens(tokens, count: N)
        if inference == nil || inference!.capacity < N {
            inference = nil
            inference = InferenceActivations(capacity: N, config: config, vocabularySize: V)
        }
        let a = inference!
        let w = parameters.pointer
        Embedding.forward(out: a.residual, tokens: tokens, tokenTable: w + layout.tokenEmbedding,
                          positionTable: w + layout.positionEmbedding, batchSize: B, sequenceLength: T, channels: C)
        for (l, p) in layout.blocks.enumerated() {
            LayerNorm.forward(out: a.normed, mean: nil, rstd: nil, inp: a.residual,
                              weight: w + p.ln1Weight, bias: w + p.ln1Bias, rows: N, channels: C)
            Linear.forward(out: a.wide, inp: a.normed, weight: w + p.qkvWeight, bias: w + p.qkvBias,
                           rows: N, inChannels: C, outChannels: 3 * C)
            keysValues?(l, a.wide)
            Attention.forward(out: a.normed, logSumExp: nil, qkv: a.wide, batchSize: B, sequenceLength: T,
                              channels: C, heads: config.heads)
            Linear.forward(out: a.wide, inp: a.normed, weight: w + p.projWeight, bias: w + p.projBias,
                           rows: N, inChannels: C, outChannels: C)
            Residual.forward(out: a.residual, inp1: a.residual, inp2: a.wide, count: N * C)
            LayerNorm.forward(out: a.normed, mean: nil, rstd: nil, inp: a.residual,
                              weight: w + p.ln2Weight, bias: w + p.ln2Bias, rows: N, channels: C)
            Linear.forward(out: a.wide, inp: a.normed, weight: w + p.fcWeight, bias: w + p.fcBias,
                           rows: N, inChannels: C, outChannels: M)
            GELU.forward(out: a.wide, inp: a.wide, count: N * M)
            Linear.forward(out: a.normed, inp: a.wide, weight: w + p.fcProjWeight, bias: w + p.fcProjBias,
                           rows: N, inChannels: M, outChannels: C)
            Residual.forward(out: a.residual, inp1: a.residual, inp2: a.normed, count: N * C)
        }
        LayerNorm.forward(out: a.normed, mean: nil, rstd: nil, inp: a.residual,
                          weight: w + layout.finalNormWeight, bias: w + layout.finalNormBias, rows: N, channels: C)
        Linear.forward(out: a.logits, inp: a.normed, weight: w + layout.tokenEmbedding, bias: nil,
                       rows: N, inChannels: C, outChannels: V)
        return a.logits
    }

    /// Drops activation buffers (they are reallocated on the next call).
    public func releaseActivations() {
        training = nil
        inference = nil
    }

    private func checkTokens(_ tokens: UnsafePointer<Int32>, count: Int) {
        for i in 0..<count {
            precondition(tokens[i] >= 0 && Int(tokens[i]) < vocabularySize,
                         "token \(tokens[i]) at index \(i) is outside the vocabulary 0..<\(vocabularySize)")
        }
    }

    /// a[i] *= b[i].
    private func multiplyInPlace(_ a: UnsafeMutablePointer<Float>, by b: UnsafePointer<Float>, count: Int) {
        Parallel.forEachRange(count: count, work: count) { _, range in
            for i in range { a[i] *= b[i] }
        }
    }
}

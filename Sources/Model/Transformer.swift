import Foundation

/// A decoder-only transformer (GPT-2 shape): token + learned position embeddings, pre-norm
/// blocks of causal multi-head self-attention and a GELU MLP, a final LayerNorm, and an LM head
/// tied to the token embedding. Forward and backward are hand-written kernels on flat buffers.
///
/// Two kinds of pass: B right-padded rows of T tokens (logits for every row), or a `PrefixBatch`
/// whose groups of completions share one prompt (logits for the rows that predict completion
/// tokens; the prompt runs once and its gradient is the sum over the group).
///
/// Memory: a training `forward` stores about 6C + M + NH + 4 floats per row per block plus
/// 4C + max(3M, 4C) per row and 2C + V + 2 per logit row of shared buffers
/// (`TrainingActivations`): about 29 KB per row at the W1 shape, so 64 × 384 rows in one call
/// would need ~720 MB. Run large batches as micro-batches (forward + backward per slice;
/// `backward` accumulates): GRPO runs one W1 group (1,272 rows, ~37 MB) at a time.
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
    private var lastShape: PassShape?

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

    /// tokens [B, T] row-major; returns logits [B, T, V] (owned by the model, valid until the next
    /// call). Sequences shorter than T are right-padded: causal attention makes padding harmless
    /// to earlier positions. Stores what `backward` needs.
    public func forward(tokens: UnsafePointer<Int32>, batchSize B: Int, sequenceLength T: Int) -> UnsafeMutablePointer<Float> {
        logits(of: forwardHidden(tokens: tokens, batchSize: B, sequenceLength: T))
    }

    /// A prefix-shared batch (each prompt once for its group); returns logits [R, V] for the
    /// batch's `logitRows` (completion by completion), valid until the next call. Stores what
    /// `backward` needs; its gradient through a shared prompt is the sum over the group.
    public func forward(_ batch: PrefixBatch) -> UnsafeMutablePointer<Float> {
        logits(of: forwardHidden(batch))
    }

    /// The forward of tokens [B, T] without the LM head: the final-normed hidden states
    /// [B, T, C] (owned by the model, valid until the next call), for a head of another kind (a
    /// critic's value head). Stores what `backward(hiddenGradients:)` needs.
    func forwardHidden(tokens: UnsafePointer<Int32>, batchSize B: Int, sequenceLength T: Int) -> UnsafeMutablePointer<Float> {
        precondition(B > 0 && T > 0 && T <= config.context, "forward: T = \(T) must be in 1...\(config.context)")
        let N = B * T
        checkTokens(tokens, count: N)
        if savedTokenCapacity < N {
            savedTokens?.deallocate()
            savedTokens = .allocate(capacity: N)
            savedTokenCapacity = N
        }
        savedTokens!.update(from: tokens, count: N)
        return trainingHidden(.padded(batchSize: B, sequenceLength: T))
    }

    /// The forward of a prefix-shared batch without the LM head: hidden states [R, C] of its
    /// `logitRows`, valid until the next call.
    func forwardHidden(_ batch: PrefixBatch) -> UnsafeMutablePointer<Float> {
        checkPrefixBatch(batch)
        return trainingHidden(.prefix(batch))
    }

    /// The LM head (tied to the token embedding) on the last training pass's hidden rows.
    private func logits(of hidden: UnsafeMutablePointer<Float>) -> UnsafeMutablePointer<Float> {
        let a = training!, R = lastShape!.logitRowCount
        Linear.forward(out: a.logits, inp: hidden, weight: parameters.pointer + layout.tokenEmbedding, bias: nil,
                       rows: R, inChannels: config.dim, outChannels: vocabularySize)
        return a.logits
    }

    private func trainingHidden(_ shape: PassShape) -> UnsafeMutablePointer<Float> {
        let N = shape.rowCount, R = shape.logitRowCount, C = config.dim, M = config.mlpDim, V = vocabularySize
        if training == nil || !training!.fits(rows: N, logitRows: R, gathers: shape.gathers) {
            let old = training
            training = nil
            training = TrainingActivations(rows: max(N, old?.capacity ?? 0), logitRows: max(R, old?.logitCapacity ?? 0),
                                           gathers: shape.gathers || old?.gathers == true, config: config, vocabularySize: V)
        }
        lastShape = shape
        let a = training!
        let w = parameters.pointer
        embed(shape, into: a.embedded)
        var residual = a.embedded
        for (p, s) in zip(layout.blocks, a.blocks) {
            LayerNorm.forward(out: a.normed, mean: s.ln1Mean, rstd: s.ln1Rstd, inp: residual,
                              weight: w + p.ln1Weight, bias: w + p.ln1Bias, rows: N, channels: C)
            Linear.forward(out: s.qkv, inp: a.normed, weight: w + p.qkvWeight, bias: w + p.qkvBias,
                           rows: N, inChannels: C, outChannels: 3 * C)
            shape.attentionForward(out: s.attention, logSumExp: s.logSumExp, qkv: s.qkv, channels: C, heads: config.heads)
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
        // The head sees every row (padded) or the gathered logit rows (prefix).
        let headInput = shape.gather(residual, into: a.gathered, channels: C) ?? residual
        LayerNorm.forward(out: a.finalNorm, mean: a.finalMean, rstd: a.finalRstd, inp: headInput,
                          weight: w + layout.finalNormWeight, bias: w + layout.finalNormBias, rows: R, channels: C)
        return a.finalNorm
    }

    /// dLogits for the last `forward` ([B, T, V] or [R, V]); accumulates into `gradients`.
    public func backward(logitGradients dLogits: UnsafePointer<Float>) {
        guard let shape = lastShape, let a = training else {
            preconditionFailure("backward called before forward")
        }
        let R = shape.logitRowCount, C = config.dim
        a.headGradient.update(repeating: 0, count: R * C)
        Linear.backward(inpGradient: a.headGradient, weightGradient: gradients.pointer + layout.tokenEmbedding, biasGradient: nil,
                        outGradient: dLogits, inp: a.finalNorm, weight: parameters.pointer + layout.tokenEmbedding,
                        rows: R, inChannels: C, outChannels: vocabularySize)
        backward(hiddenGradients: a.headGradient)
    }

    /// d loss / d hidden ([B, T, C] or [R, C]) for the last `forwardHidden` (or `forward`);
    /// accumulates into `gradients`. `dFinalNorm` may be the model's own scratch.
    ///
    /// The residual stream's gradient lives in one buffer: a residual add passes its output
    /// gradient unchanged to both inputs, so each block's projections read it as their output
    /// gradient and the LayerNorms accumulate their input gradient into it in place.
    func backward(hiddenGradients dFinalNorm: UnsafePointer<Float>) {
        guard let shape = lastShape, let a = training else {
            preconditionFailure("backward called before forward")
        }
        let N = shape.rowCount, R = shape.logitRowCount, C = config.dim, M = config.mlpDim
        let w = parameters.pointer, g = gradients.pointer
        let dResidual = a.residualGradient
        let dNormed = a.projected
        dResidual.update(repeating: 0, count: N * C)
        let lastResidual = a.blocks.last?.residualAfterMLP ?? a.embedded
        let headInput: UnsafeMutablePointer<Float> = shape.gathers ? a.gathered! : lastResidual
        let dHeadInput: UnsafeMutablePointer<Float> = shape.gathers ? a.gatheredGradient! : dResidual
        if shape.gathers { dHeadInput.update(repeating: 0, count: R * C) }
        LayerNorm.backward(inpGradient: dHeadInput, weightGradient: g + layout.finalNormWeight,
                           biasGradient: g + layout.finalNormBias, outGradient: dFinalNorm, inp: headInput,
                           weight: w + layout.finalNormWeight, mean: a.finalMean, rstd: a.finalRstd, rows: R, channels: C)
        shape.scatterAdd(dHeadInput, into: dResidual, channels: C)
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
            shape.attentionBackward(qkvGradient: dQKV, outGradient: dAttention, qkv: s.qkv, out: s.attention,
                                    logSumExp: s.logSumExp, channels: C, heads: config.heads)
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
        switch shape {
        case .padded(let B, let T):
            Embedding.backward(tokenTableGradient: g + layout.tokenEmbedding, positionTableGradient: g + layout.positionEmbedding,
                               outGradient: dResidual, tokens: savedTokens!, batchSize: B, sequenceLength: T, channels: C)
        case .prefix(let batch):
            batch.tokens.withUnsafeBufferPointer { tokens in
                batch.positions.withUnsafeBufferPointer { positions in
                    Embedding.backward(tokenTableGradient: g + layout.tokenEmbedding, positionTableGradient: g + layout.positionEmbedding,
                                       outGradient: dResidual, tokens: tokens.baseAddress!, positions: positions.baseAddress!,
                                       rows: N, channels: C)
                }
            }
        }
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
        checkTokens(tokens, count: B * T)
        let a = inferenceActivations(rows: B * T, logitRows: B * T, gathers: false)
        let w = parameters.pointer, C = config.dim, NH = config.heads
        Embedding.forward(out: a.residual, tokens: tokens, tokenTable: w + layout.tokenEmbedding,
                          positionTable: w + layout.positionEmbedding, batchSize: B, sequenceLength: T, channels: C)
        layout.inferenceBlocks(weights: w, residual: a.residual, normed: a.normed, wide: a.wide, rows: B * T,
                               channels: C, mlpChannels: config.mlpDim) { l, qkv, out in
            keysValues?(l, qkv)
            Attention.forward(out: out, logSumExp: nil, qkv: qkv, batchSize: B, sequenceLength: T, channels: C, heads: NH)
        }
        Linear.forward(out: a.logits, inp: a.normed, weight: w + layout.tokenEmbedding, bias: nil,
                       rows: B * T, inChannels: C, outChannels: vocabularySize)
        return a.logits
    }

    /// Inference forward of a prefix-shared batch: logits [R, V] for its `logitRows`, valid until
    /// the next call. Does not disturb the activations of the last `forward`.
    public func inferenceForward(_ batch: PrefixBatch) -> UnsafeMutablePointer<Float> {
        checkPrefixBatch(batch)
        let shape = PassShape.prefix(batch)
        let N = batch.rowCount, R = batch.logitRowCount
        let a = inferenceActivations(rows: N, logitRows: R, gathers: true)
        let w = parameters.pointer, C = config.dim, NH = config.heads
        embed(shape, into: a.residual)
        layout.inferenceBlocks(weights: w, residual: a.residual, normed: a.normed, wide: a.wide, rows: N,
                               channels: C, mlpChannels: config.mlpDim) { _, qkv, out in
            SharedPrefixAttention.forward(out: out, logSumExp: nil, qkv: qkv, batch: batch, channels: C, heads: NH)
        }
        let headInput = shape.gather(a.normed, into: a.gathered, channels: C)!
        Linear.forward(out: a.logits, inp: headInput, weight: w + layout.tokenEmbedding, bias: nil,
                       rows: R, inChannels: C, outChannels: vocabularySize)
        return a.logits
    }

    private func inferenceActivations(rows N: Int, logitRows R: Int, gathers: Bool) -> InferenceActivations {
        if let inference, inference.fits(rows: N, logitRows: R, gathers: gathers) { return inference }
        let old = inference
        inference = nil
        let made = InferenceActivations(rows: max(N, old?.capacity ?? 0), logitRows: max(R, old?.logitCapacity ?? 0),
                                        gathers: gathers || old?.gathers == true, config: config, vocabularySize: vocabularySize)
        inference = made
        return made
    }

    /// Token + position embedding of the pass's rows into `out` [N, C].
    private func embed(_ shape: PassShape, into out: UnsafeMutablePointer<Float>) {
        let w = parameters.pointer, C = config.dim
        switch shape {
        case .padded(let B, let T):
            Embedding.forward(out: out, tokens: savedTokens!, tokenTable: w + layout.tokenEmbedding,
                              positionTable: w + layout.positionEmbedding, batchSize: B, sequenceLength: T, channels: C)
        case .prefix(let batch):
            batch.tokens.withUnsafeBufferPointer { tokens in
                batch.positions.withUnsafeBufferPointer { positions in
                    Embedding.forward(out: out, tokens: tokens.baseAddress!, positions: positions.baseAddress!,
                                      tokenTable: w + layout.tokenEmbedding, positionTable: w + layout.positionEmbedding,
                                      rows: batch.rowCount, channels: C)
                }
            }
        }
    }

    /// Drops activation buffers (they are reallocated on the next call).
    func releaseActivations() {
        training = nil
        inference = nil
    }

    private func checkPrefixBatch(_ batch: PrefixBatch) {
        precondition(batch.rowCount > 0 && batch.logitRowCount > 0, "forward: the batch has no completion tokens to score")
        batch.tokens.withUnsafeBufferPointer { checkTokens($0.baseAddress!, count: $0.count) }
        for (n, position) in batch.positions.enumerated() where position >= config.context {
            preconditionFailure("row \(n) sits at position \(position), past the context \(config.context)")
        }
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

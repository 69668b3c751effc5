// The transformer's blocks for inference passes that keep no activations for backward.
// Shapes: residual, normed, attention [R, C]; qkv [R, 3C]; hidden [R, M]. `residual` holds the
// embedded rows on entry; on return `normed` holds the final LayerNorm of every row.
// Only attention differs between callers (KV-cached decoding, shared-prompt scoring), so each
// passes its own: `attend(layer)` reads `qkv` and writes `attention`.

extension TransformerLayout {
    func inferenceBlocks(weights w: UnsafePointer<Float>, residual: UnsafeMutablePointer<Float>,
                         normed: UnsafeMutablePointer<Float>, qkv: UnsafeMutablePointer<Float>,
                         attention: UnsafeMutablePointer<Float>, hidden: UnsafeMutablePointer<Float>,
                         rows R: Int, channels C: Int, mlpChannels M: Int, attend: (_ layer: Int) -> Void) {
        for (l, p) in blocks.enumerated() {
            LayerNorm.forward(out: normed, mean: nil, rstd: nil, inp: residual, weight: w + p.ln1Weight,
                              bias: w + p.ln1Bias, rows: R, channels: C)
            Linear.forward(out: qkv, inp: normed, weight: w + p.qkvWeight, bias: w + p.qkvBias,
                           rows: R, inChannels: C, outChannels: 3 * C)
            attend(l)
            Linear.forward(out: normed, inp: attention, weight: w + p.projWeight, bias: w + p.projBias,
                           rows: R, inChannels: C, outChannels: C)
            Residual.forward(out: residual, inp1: residual, inp2: normed, count: R * C)
            LayerNorm.forward(out: normed, mean: nil, rstd: nil, inp: residual, weight: w + p.ln2Weight,
                              bias: w + p.ln2Bias, rows: R, channels: C)
            Linear.forward(out: hidden, inp: normed, weight: w + p.fcWeight, bias: w + p.fcBias,
                           rows: R, inChannels: C, outChannels: M)
            GELU.forward(out: hidden, inp: hidden, count: R * M)
            Linear.forward(out: normed, inp: hidden, weight: w + p.fcProjWeight, bias: w + p.fcProjBias,
                           rows: R, inChannels: M, outChannels: C)
            Residual.forward(out: residual, inp1: residual, inp2: normed, count: R * C)
        }
        LayerNorm.forward(out: normed, mean: nil, rstd: nil, inp: residual, weight: w + finalNormWeight,
                          bias: w + finalNormBias, rows: R, channels: C)
    }
}

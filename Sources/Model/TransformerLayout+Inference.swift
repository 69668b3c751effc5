// The transformer's blocks for inference passes that keep no activations for backward.
// Shapes: residual, normed [R, C]; wide [R, max(3C, M)]. `residual` holds the embedded rows on
// entry; on return `normed` holds the final LayerNorm of every row.
// Only attention differs between callers (padded rows, shared prompts, KV-cached decoding), so
// each passes its own: `attend(layer, qkv, out)` reads qkv [R, 3C] (in `wide`) and writes the
// attention output [R, C] (into `normed`).

extension TransformerLayout {
    func inferenceBlocks(weights w: UnsafePointer<Float>, residual: UnsafeMutablePointer<Float>,
                         normed: UnsafeMutablePointer<Float>, wide: UnsafeMutablePointer<Float>,
                         rows R: Int, channels C: Int, mlpChannels M: Int,
                         attend: (_ layer: Int, _ qkv: UnsafeMutablePointer<Float>, _ out: UnsafeMutablePointer<Float>) -> Void) {
        for (l, p) in blocks.enumerated() {
            LayerNorm.forward(out: normed, mean: nil, rstd: nil, inp: residual, weight: w + p.ln1Weight,
                              bias: w + p.ln1Bias, rows: R, channels: C)
            Linear.forward(out: wide, inp: normed, weight: w + p.qkvWeight, bias: w + p.qkvBias,
                           rows: R, inChannels: C, outChannels: 3 * C)
            attend(l, wide, normed)
            Linear.forward(out: wide, inp: normed, weight: w + p.projWeight, bias: w + p.projBias,
                           rows: R, inChannels: C, outChannels: C)
            Residual.forward(out: residual, inp1: residual, inp2: wide, count: R * C)
            LayerNorm.forward(out: normed, mean: nil, rstd: nil, inp: residual, weight: w + p.ln2Weight,
                              bias: w + p.ln2Bias, rows: R, channels: C)
            Linear.forward(out: wide, inp: normed, weight: w + p.fcWeight, bias: w + p.fcBias,
                           rows: R, inChannels: C, outChannels: M)
            GELU.forward(out: wide, inp: wide, count: R * M)
            Linear.forward(out: normed, inp: wide, weight: w + p.fcProjWeight, bias: w + p.fcProjBias,
                           rows: R, inChannels: M, outChannels: C)
            Residual.forward(out: residual, inp1: residual, inp2: normed, count: R * C)
        }
        LayerNorm.forward(out: normed, mean: nil, rstd: nil, inp: residual, weight: w + finalNormWeight,
                          bias: w + finalNormBias, rows: R, channels: C)
    }
}

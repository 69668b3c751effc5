// Layer normalisation over the channel axis.
// Shapes: inp, out [N, C] (N = B·T rows); weight, bias [C]; mean, rstd [N] (saved for backward).
// Legend: x̂ = (x − mean)·rstd, rstd = 1/sqrt(var + 1e-5), out = x̂·weight + bias.

/// Forward/backward pair of LayerNorm (llm.c `layernorm_*`).
public enum LayerNorm {
    static let epsilon: Float = 1e-5

    public static func forward(out: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>?,
                               rstd: UnsafeMutablePointer<Float>?, inp: UnsafePointer<Float>,
                               weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                               rows N: Int, channels C: Int) {
        let inverseC = 1 / Float(C)
        Parallel.forEachRange(count: N, work: N * C) { _, rows in
          for n in rows {
            let x = inp + n * C
            var sum: Float = 0
            for c in 0..<C { sum += x[c] }
            let m = sum * inverseC
            var squares: Float = 0
            for c in 0..<C {
                let d = x[c] - m
                squares += d * d
            }
            let s = 1 / (squares * inverseC + epsilon).squareRoot()
            let y = out + n * C
            for c in 0..<C { y[c] = (x[c] - m) * s * weight[c] + bias[c] }
            mean?[n] = m
            rstd?[n] = s
          }
        }
    }

    /// Accumulates into dInp, dWeight and dBias.
    public static func backward(inpGradient dInp: UnsafeMutablePointer<Float>,
                                weightGradient dWeight: UnsafeMutablePointer<Float>,
                                biasGradient dBias: UnsafeMutablePointer<Float>,
                                outGradient dOut: UnsafePointer<Float>, inp: UnsafePointer<Float>,
                                weight: UnsafePointer<Float>, mean: UnsafePointer<Float>,
                                rstd: UnsafePointer<Float>, rows N: Int, channels C: Int) {
        let inverseC = 1 / Float(C)
        // Weight and bias gradients sum over rows: each worker sums its rows into its own
        // partial, and the partials are added in worker order (deterministic for a thread count).
        let workers = Parallel.workerCount(for: N)
        let partials = UnsafeMutablePointer<Float>.allocate(capacity: workers * 2 * C)
        partials.initialize(repeating: 0, count: workers * 2 * C)
        defer { partials.deallocate() }
        Parallel.forEachRange(count: N, work: N * C) { worker, rows in
          let dWeightPartial = partials + worker * 2 * C
          let dBiasPartial = dWeightPartial + C
          for n in rows {
            let x = inp + n * C
            let dy = dOut + n * C
            let dx = dInp + n * C
            let m = mean[n]
            let s = rstd[n]
            // dx̂ = dy·weight; dx = rstd·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂))
            var dNormMean: Float = 0
            var dNormNormMean: Float = 0
            for c in 0..<C {
                let normed = (x[c] - m) * s
                let dNorm = weight[c] * dy[c]
                dNormMean += dNorm
                dNormNormMean += dNorm * normed
            }
            dNormMean *= inverseC
            dNormNormMean *= inverseC
            for c in 0..<C {
                let normed = (x[c] - m) * s
                let dNorm = weight[c] * dy[c]
                dBiasPartial[c] += dy[c]
                dWeightPartial[c] += normed * dy[c]
                dx[c] += (dNorm - dNormMean - normed * dNormNormMean) * s
            }
          }
        }
        for worker in 0..<workers {
            let dWeightPartial = partials + worker * 2 * C
            for c in 0..<C {
                dWeight[c] += dWeightPartial[c]
                dBias[c] += dWeightPartial[C + c]
            }
        }
    }
}

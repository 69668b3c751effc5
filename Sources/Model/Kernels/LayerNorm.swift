// Layer normalisation over the channel axis.
// Shapes: inp, out [N, C] (N = B·T rows); weight, bias [C]; mean, rstd [N] (saved for backward).
// Legend: x̂ = (x − mean)·rstd, rstd = 1/sqrt(var + 1e-5), out = x̂·weight + bias.

/// Forward/backward pair of LayerNorm (llm.c `layernorm_*`).
enum LayerNorm {
    static let epsilon: Float = 1e-5

    static func forward(out: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>?,
                               rstd: UnsafeMutablePointer<Float>?, inp: UnsafePointer<Float>,
                               weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                               rows N: Int, channels C: Int) {
        let inverseC = 1 / Float(C)
        Parallel.forEachRange(count: N, work: N * C) { _, rows in
          for n in rows {
            let x = inp + n * C
            let m = rowSum(x, count: C) * inverseC
            let squares = rowSquaredDeviations(x, mean: m, count: C)
            let s = 1 / (squares * inverseC + epsilon).squareRoot()
            let y = out + n * C
            for c in 0..<C { y[c] = (x[c] - m) * s * weight[c] + bias[c] }
            mean?[n] = m
            rstd?[n] = s
          }
        }
    }

    /// Accumulates into dInp, dWeight and dBias.
    static func backward(inpGradient dInp: UnsafeMutablePointer<Float>,
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
            var (dNormMean, dNormNormMean) = rowGradientMeans(x: x, dy: dy, weight: weight, mean: m, rstd: s, count: C)
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

    // Row reductions in 8 lanes (then across lanes, a fixed order): a scalar float sum is a
    // serial dependency chain the compiler may not reorder. Tails run scalar.

    @inline(__always)
    static func rowSum(_ x: UnsafePointer<Float>, count C: Int) -> Float {
        var lanes = Float8(repeating: 0)
        var c = 0
        while c + 8 <= C {
            lanes += UnsafeRawPointer(x + c).loadUnaligned(as: Float8.self)
            c += 8
        }
        var total = lanes.sum()
        while c < C { total += x[c]; c += 1 }
        return total
    }

    @inline(__always)
    static func rowSquaredDeviations(_ x: UnsafePointer<Float>, mean m: Float, count C: Int) -> Float {
        var lanes = Float8(repeating: 0)
        let means = Float8(repeating: m)
        var c = 0
        while c + 8 <= C {
            let d = UnsafeRawPointer(x + c).loadUnaligned(as: Float8.self) - means
            lanes += d * d
            c += 8
        }
        var total = lanes.sum()
        while c < C { let d = x[c] - m; total += d * d; c += 1 }
        return total
    }

    /// (Σ dx̂, Σ dx̂·x̂) over one row, dx̂ = weight·dy, x̂ = (x − mean)·rstd.
    @inline(__always)
    static func rowGradientMeans(x: UnsafePointer<Float>, dy: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                                 mean m: Float, rstd s: Float, count C: Int) -> (Float, Float) {
        var sums = Float8(repeating: 0), products = Float8(repeating: 0)
        let means = Float8(repeating: m), scales = Float8(repeating: s)
        var c = 0
        while c + 8 <= C {
            let normed = (UnsafeRawPointer(x + c).loadUnaligned(as: Float8.self) - means) * scales
            let dNorm = UnsafeRawPointer(weight + c).loadUnaligned(as: Float8.self) * UnsafeRawPointer(dy + c).loadUnaligned(as: Float8.self)
            sums += dNorm
            products += dNorm * normed
            c += 8
        }
        var sum = sums.sum(), product = products.sum()
        while c < C {
            let normed = (x[c] - m) * s
            let dNorm = weight[c] * dy[c]
            sum += dNorm
            product += dNorm * normed
            c += 1
        }
        return (sum, product)
    }
}

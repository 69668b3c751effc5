import Foundation

// The loss head: selected log-probabilities and entropy of softmax(logits / temperature),
// row by row (never materialising the [N, V] probabilities).
// Shapes: logits [N, V], targets [N] (Int32; a negative target means "no token": log-prob 0 and
//         no log-prob gradient), logProbs [N], entropies [N] (optional).
// Legend: s = z/τ, p = softmax(s), l = log p[target], H = −Σ p·log p.
//   dl/dz = (onehot(target) − p)/τ
//   dH/dz = −p ∘ (log p + H)/τ
// Backward: dLogits[n] += dLogProbs[n]·dl/dz + dEntropies[n]·dH/dz (rows whose two weights are
// both zero are skipped). Cross-entropy for SFT is this with τ = 1 and dLogProbs = −1/count.

/// Kernel pair for per-token log-probs and entropy of the temperature-scaled softmax.
public enum TokenLogProbs {
    /// Per-row log-partition log Σ exp(s) and the mean Σ p·s, for s = z/τ.
    @inline(__always)
    static func rowStatistics(_ z: UnsafePointer<Float>, inverseTemperature: Float, count V: Int) -> (logPartition: Float, expectedScaled: Float) {
        let shift = maximum(z, count: V) * inverseTemperature
        var sums = Float8(repeating: 0), weightedSums = Float8(repeating: 0)
        var v = 0
        while v + 8 <= V {
            let scaled = UnsafeRawPointer(z + v).loadUnaligned(as: Float8.self) * inverseTemperature
            let e = exp8(scaled - shift)
            sums += e
            weightedSums += e * scaled
            v += 8
        }
        var sum = sums.sum(), weighted = weightedSums.sum()
        while v < V {
            let scaled = z[v] * inverseTemperature
            let e = fastExp(scaled - shift)
            sum += e
            weighted += e * scaled
            v += 1
        }
        return (shift + log(sum), weighted / sum)
    }

    public static func forward(logProbs: UnsafeMutablePointer<Float>, entropies: UnsafeMutablePointer<Float>?,
                               logits: UnsafePointer<Float>, targets: UnsafePointer<Int32>,
                               temperature: Float, rows N: Int, vocabularySize V: Int) {
        precondition(temperature > 0, "TokenLogProbs needs a positive temperature")
        let inverseTemperature = 1 / temperature
        Parallel.forEachRange(count: N, work: N * V) { _, rows in
          for n in rows {
            let z = logits + n * V
            let (logPartition, expectedScaled) = rowStatistics(z, inverseTemperature: inverseTemperature, count: V)
            let target = Int(targets[n])
            logProbs[n] = target >= 0 ? z[target] * inverseTemperature - logPartition : 0
            entropies?[n] = logPartition - expectedScaled
          }
        }
    }

    /// Accumulates into dLogits. `entropyGradients` may be nil (no entropy term).
    public static func backward(logitGradients dLogits: UnsafeMutablePointer<Float>,
                                logProbGradients dLogProbs: UnsafePointer<Float>,
                                entropyGradients dEntropies: UnsafePointer<Float>?,
                                logits: UnsafePointer<Float>, targets: UnsafePointer<Int32>,
                                temperature: Float, rows N: Int, vocabularySize V: Int) {
        precondition(temperature > 0, "TokenLogProbs needs a positive temperature")
        let inverseTemperature = 1 / temperature
        Parallel.forEachRange(count: N, work: N * V) { _, rows in
          for n in rows {
            let target = Int(targets[n])
            let wLogProb = target >= 0 ? dLogProbs[n] : 0
            let wEntropy = dEntropies?[n] ?? 0
            if wLogProb == 0 && wEntropy == 0 { continue }
            let z = logits + n * V
            let dz = dLogits + n * V
            let (logPartition, expectedScaled) = rowStatistics(z, inverseTemperature: inverseTemperature, count: V)
            let entropy = logPartition - expectedScaled
            let scale = -inverseTemperature
            var v = 0
            while v + 8 <= V {
                let logP = UnsafeRawPointer(z + v).loadUnaligned(as: Float8.self) * inverseTemperature - logPartition
                let p = exp8(logP)
                let old = UnsafeRawPointer(dz + v).loadUnaligned(as: Float8.self)
                let update = (wLogProb * p + wEntropy * p * (logP + entropy)) * scale
                UnsafeMutableRawPointer(dz + v).storeBytes(of: old + update, as: Float8.self)
                v += 8
            }
            while v < V {
                let logP = z[v] * inverseTemperature - logPartition
                let p = fastExp(logP)
                dz[v] += (wLogProb * p + wEntropy * p * (logP + entropy)) * scale
                v += 1
            }
            if target >= 0 { dz[target] += wLogProb * inverseTemperature }
          }
        }
    }
}

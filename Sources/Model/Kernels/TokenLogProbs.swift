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
        var zMax = -Float.infinity
        for v in 0..<V { zMax = max(zMax, z[v]) }
        let shift = zMax * inverseTemperature
        var sum: Float = 0
        var weighted: Float = 0
        for v in 0..<V {
            let s = z[v] * inverseTemperature
            let e = fastExp(s - shift)
            sum += e
            weighted += e * s
        }
        return (shift + log(sum), weighted / sum)
    }

    public static func forward(logProbs: UnsafeMutablePointer<Float>, entropies: UnsafeMutablePointer<Float>?,
                               logits: UnsafePointer<Float>, targets: UnsafePointer<Int32>,
                               temperature: Float, rows N: Int, vocabularySize V: Int) {
        precondition(temperature > 0, "TokenLogProbs needs a positive temperature")
        let inverseTemperature = 1 / temperature
        for n in 0..<N {
            let z = logits + n * V
            let (logPartition, expectedScaled) = rowStatistics(z, inverseTemperature: inverseTemperature, count: V)
            let target = Int(targets[n])
            logProbs[n] = target >= 0 ? z[target] * inverseTemperature - logPartition : 0
            entropies?[n] = logPartition - expectedScaled
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
        for n in 0..<N {
            let target = Int(targets[n])
            let wLogProb = target >= 0 ? dLogProbs[n] : 0
            let wEntropy = dEntropies?[n] ?? 0
            if wLogProb == 0 && wEntropy == 0 { continue }
            let z = logits + n * V
            let dz = dLogits + n * V
            let (logPartition, expectedScaled) = rowStatistics(z, inverseTemperature: inverseTemperature, count: V)
            let entropy = logPartition - expectedScaled
            for v in 0..<V {
                let logP = z[v] * inverseTemperature - logPartition
                let p = fastExp(logP)
                dz[v] += (-wLogProb * p - wEntropy * p * (logP + entropy)) * inverseTemperature
            }
            if target >= 0 { dz[target] += wLogProb * inverseTemperature }
        }
    }
}

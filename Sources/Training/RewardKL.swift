import Foundation
import Model

/// The KL placed in the reward (`kl_placement: reward`; veRL `use_kl_in_reward`): per completion
/// token `β·KL_t(l_old, l_ref)` with the sampler's log-probs as l_old, the penalties the
/// estimators take from the reward, and the batch KL the adaptive controller reads.
struct RewardKL {
    /// [N, width] β·KL_t on each completion's tokens, 0 elsewhere.
    var penalties: [Double]
    /// The batch mean of each completion's mean per-token KL (veRL's `current_kl`).
    var meanKL: Double

    init(coefficient: Double, estimator: KLEstimator, completions: [SampledCompletion], lengths: [Int],
         reference: UnsafePointer<Float>, width: Int) {
        penalties = [Double](repeating: 0, count: completions.count * width)
        var sum = 0.0
        for (i, completion) in completions.enumerated() {
            var completionSum = 0.0
            for t in 0..<lengths[i] {
                let kl = Double(KLDivergence.value(estimator, logProb: completion.logProbs[t], referenceLogProb: reference[i * width + t]))
                penalties[i * width + t] = coefficient * kl
                completionSum += kl
            }
            if lengths[i] > 0 { sum += completionSum / Double(lengths[i]) }
        }
        meanKL = completions.isEmpty ? 0 : sum / Double(completions.count)
    }

    /// Each completion's summed penalty.
    func totals(lengths: [Int], width: Int) -> [Double] {
        lengths.indices.map { i in (0..<lengths[i]).reduce(0) { $0 + penalties[i * width + $1] } }
    }
}

import Foundation

/// The critic's clipped value loss (veRL `compute_value_loss`, token mean):
///
///     V_clip = V_old + clip(V − V_old, −c, c)
///     ℓ_t    = ½ · max((V − R)², (V_clip − R)²)        (c nil: ½ (V − R)²)
///     loss   = Σ m·ℓ / Σ m
///
/// Legend: V current value, V_old the value when the batch was sampled, R the GAE return, c
/// `ppo.value_clip`, m mask. Layout [sequences, width]; with `totalTokens` (the whole
/// mini-batch's loss-bearing tokens) a slice returns its share, as `PolicyLoss` does.
enum ValueLoss {
    struct Statistics: Equatable {
        var loss = 0.0
        /// Tokens where the clipped error is the larger one (veRL `vf_clipfrac`); they have no gradient.
        var clipFraction = 0.0
    }

    /// Writes (overwrites) d loss / d V into `valueGradients`.
    static func compute(values: UnsafePointer<Float>, oldValues: UnsafePointer<Float>, returns: UnsafePointer<Float>,
                        mask: UnsafePointer<Float>, count: Int, clip: Float?, totalTokens: Int? = nil,
                        valueGradients: UnsafeMutablePointer<Float>) -> Statistics {
        var localTokens = 0
        for index in 0..<count where mask[index] != 0 { localTokens += 1 }
        let denominator = Float(max(1, totalTokens ?? localTokens))
        var stats = Statistics()
        var clipped = 0
        for index in 0..<count {
            guard mask[index] != 0 else {
                valueGradients[index] = 0
                continue
            }
            let value = values[index], target = returns[index]
            let error = value - target
            var loss = 0.5 * error * error
            var gradient = error
            if let clip {
                let old = oldValues[index]
                let moved = value - old
                let clippedValue = old + min(max(moved, -clip), clip)
                let clippedError = clippedValue - target
                let clippedLoss = 0.5 * clippedError * clippedError
                // The clipped error is larger only when V has left the band, where V_clip does not
                // depend on V: the token then has no gradient.
                if clippedLoss > loss {
                    clipped += 1
                    loss = clippedLoss
                    gradient = 0
                }
            }
            stats.loss += Double(loss / denominator)
            valueGradients[index] = gradient / denominator
        }
        stats.clipFraction = Double(clipped) / Double(denominator)
        return stats
    }

    /// `1 − Var(R − V)/(Var(R) + 1e-5)` over the masked tokens, sample variances (veRL's
    /// `critic/vf_explained_var`): 1 when the values predict the returns, 0 for a constant guess.
    static func explainedVariance(values: [Double], returns: [Double], mask: [Float]) -> Double {
        var residuals: [Double] = [], targets: [Double] = []
        for index in values.indices where mask[index] != 0 {
            residuals.append(returns[index] - values[index])
            targets.append(returns[index])
        }
        let residualVariance = GroupAdvantages.standardDeviation(residuals[...], ddof: 1)
        let targetVariance = GroupAdvantages.standardDeviation(targets[...], ddof: 1)
        return 1 - residualVariance * residualVariance / (targetVariance * targetVariance + 1e-5)
    }
}

import Basics
import Foundation
import Model

/// The completions of a GRPO batch: completion i has `completionLengths[i]` tokens.
/// Per-token arrays are [N, maxNewTokens], token j of completion i at `i·maxNewTokens + j`;
/// logits are packed completion by completion (`CompletionForward`): completion i's rows follow
/// those of the completions before it in its micro-batch.
struct CompletionLayout {
    var maxNewTokens: Int
    var completionLengths: [Int]
    var sequences: Int { completionLengths.count }

    /// Logit rows of the completions in `range` (the rows of their micro-batch's logits).
    func logitRows(_ range: Range<Int>) -> Int {
        completionLengths[range].reduce(0, +)
    }
}

/// The GRPO loss from logits, in three steps a loss plugs into: `gather` per-token log-probs
/// and entropies of the completion tokens (`TokenLogProbs`), a loss turns them into per-token
/// gradient coefficients d loss / d log-prob and d loss / d entropy (`PolicyLoss.compute`), and
/// `backward` scatters those into d loss / d logits. Works on a micro-batch of sequences `range`
/// whose logits are [layout.logitRows(range), V]; per-token arrays are always the whole batch's.
/// Buffers persist.
final class PolicyLossHead {
    let targets = TokenScratch()
    let logProbs = ScratchBuffer(), entropies = ScratchBuffer()
    let logProbGradients = ScratchBuffer(), entropyGradients = ScratchBuffer()

    /// Sets the completion tokens [N, maxNewTokens] (−1 past each completion's end) and sizes the
    /// per-token buffers for the batch.
    func setTargets(_ completions: [[Int32]], layout: CompletionLayout) {
        let L = layout.maxNewTokens, count = layout.sequences * L
        let pointer = targets.reset(count: count, to: -1)
        for (i, tokens) in completions.enumerated() {
            for j in 0..<layout.completionLengths[i] { pointer[i * L + j] = tokens[j] }
        }
        logProbs.reset(count: count)
        entropies.reset(count: count)
        logProbGradients.reset(count: count)
        entropyGradients.reset(count: count)
    }

    /// Log-probs (and entropies) of the completion tokens of `range` under softmax(logits / T),
    /// written at their batch positions in `output` (and `entropies`).
    func gather(logits: UnsafePointer<Float>, layout: CompletionLayout, range: Range<Int>, vocabularySize V: Int,
                temperature: Float, into output: UnsafeMutablePointer<Float>, entropies: UnsafeMutablePointer<Float>?) {
        let L = layout.maxNewTokens
        (output + range.lowerBound * L).update(repeating: 0, count: range.count * L)
        entropies.map { ($0 + range.lowerBound * L).update(repeating: 0, count: range.count * L) }
        var row = 0
        for i in range where layout.completionLengths[i] > 0 {
            TokenLogProbs.forward(logProbs: output + i * L, entropies: entropies.map { $0 + i * L },
                                  logits: logits + row * V, targets: targets.pointer + i * L,
                                  temperature: temperature, rows: layout.completionLengths[i], vocabularySize: V)
            row += layout.completionLengths[i]
        }
    }

    /// Accumulates into `logitGradients` [layout.logitRows(range), V] the logit gradients of the
    /// per-token coefficients `logProbGradients` and `entropyGradients` (nil: no entropy term) of
    /// the completions in `range`.
    func backward(logits: UnsafePointer<Float>, layout: CompletionLayout, range: Range<Int>, vocabularySize V: Int,
                  temperature: Float, logProbGradients: UnsafePointer<Float>, entropyGradients: UnsafePointer<Float>?,
                  logitGradients: UnsafeMutablePointer<Float>) {
        let L = layout.maxNewTokens
        var row = 0
        for i in range where layout.completionLengths[i] > 0 {
            TokenLogProbs.backward(
                logitGradients: logitGradients + row * V, logProbGradients: logProbGradients + i * L,
                entropyGradients: entropyGradients.map { $0 + i * L },
                logits: logits + row * V, targets: targets.pointer + i * L, temperature: temperature,
                rows: layout.completionLengths[i], vocabularySize: V)
            row += layout.completionLengths[i]
        }
    }

    /// The three steps with the policy loss: current log-probs into `logProbs`, this slice's share
    /// of the loss (weights from `normalisation`, the whole batch), and d loss / d logits
    /// ACCUMULATED into `logitGradients`. `mask` and `advantages` are per token, [N, maxNewTokens]
    /// like the log-probs.
    func lossAndGradients(logits: UnsafePointer<Float>, layout: CompletionLayout, range: Range<Int>,
                          vocabularySize V: Int, temperature: Float, oldLogProbs: UnsafePointer<Float>,
                          referenceLogProbs: UnsafePointer<Float>?, mask: UnsafePointer<Float>,
                          advantages: UnsafePointer<Float>, settings: PolicyLoss.Settings,
                          normalisation: PolicyLoss.Normalisation,
                          logitGradients: UnsafeMutablePointer<Float>) -> PolicyLoss.Statistics {
        let L = layout.maxNewTokens
        let offset = range.lowerBound * L
        gather(logits: logits, layout: layout, range: range, vocabularySize: V, temperature: temperature,
               into: logProbs.pointer, entropies: entropies.pointer)
        let stats = PolicyLoss.compute(
            logProbs: logProbs.pointer + offset, oldLogProbs: oldLogProbs + offset,
            referenceLogProbs: referenceLogProbs.map { $0 + offset }, entropies: entropies.pointer + offset,
            mask: mask + offset, advantages: advantages + offset, sequences: range.count,
            width: L, settings: settings, normalisation: normalisation,
            logProbGradients: logProbGradients.pointer + offset, entropyGradients: entropyGradients.pointer + offset)
        backward(logits: logits, layout: layout, range: range, vocabularySize: V, temperature: temperature,
                 logProbGradients: logProbGradients.pointer,
                 entropyGradients: settings.entropyCoefficient != 0 ? entropyGradients.pointer : nil,
                 logitGradients: logitGradients)
        return stats
    }
}

extension PolicyLossHead {
    /// One pass of the loss over `forward`'s scored micro-batches (`scoredMicroBatches(offset:)`):
    /// zeroes `policy`'s gradients, then per micro-batch forward, loss and backward, leaving
    /// d loss / d parameters in `policy.gradients`. With `recordOld` (the first pass, before the
    /// policy moves) the pass's own log-probs are first stored as the old ones. GRPO runs it on
    /// the whole batch, PPO on each mini-batch.
    func policyPass(policy: Transformer, forward: CompletionForward, microBatches: [(k: Int, completions: Range<Int>)],
                    layout: CompletionLayout, temperature: Float, oldLogProbs: UnsafeMutablePointer<Float>, recordOld: Bool,
                    referenceLogProbs: UnsafePointer<Float>?, mask: UnsafePointer<Float>, advantages: UnsafePointer<Float>,
                    settings: PolicyLoss.Settings, normalisation: PolicyLoss.Normalisation,
                    logitGradients: ScratchBuffer) -> PolicyLoss.Statistics {
        let V = policy.vocabularySize
        policy.zeroGradients()
        var stats = PolicyLoss.Statistics()
        for (k, range) in microBatches {
            let logits = forward.logits(of: policy, microBatch: k, training: true)
            if recordOld {
                gather(logits: logits, layout: layout, range: range, vocabularySize: V, temperature: temperature,
                       into: oldLogProbs, entropies: nil)
            }
            let dLogits = logitGradients.reset(count: forward.logitRows(k) * V)
            stats.add(lossAndGradients(
                logits: logits, layout: layout, range: range, vocabularySize: V, temperature: temperature,
                oldLogProbs: oldLogProbs, referenceLogProbs: referenceLogProbs, mask: mask, advantages: advantages,
                settings: settings, normalisation: normalisation, logitGradients: dLogits))
            forward.backward(of: policy, microBatch: k, logitGradients: dLogits)
        }
        return stats
    }
}

extension PolicyLoss.Statistics {
    /// Adds another slice's share (statistics computed with the same `Normalisation`).
    mutating func add(_ other: PolicyLoss.Statistics) {
        loss += other.loss
        kl += other.kl
        entropy += other.entropy
        clipLow += other.clipLow
        clipHigh += other.clipHigh
        clipRegion += other.clipRegion
        clipDual += other.clipDual
        tokenCount += other.tokenCount
    }

    /// The mean of several passes' statistics (token counts summed).
    static func mean(_ passes: [PolicyLoss.Statistics]) -> PolicyLoss.Statistics {
        var total = PolicyLoss.Statistics()
        for pass in passes { total.add(pass) }
        let n = Double(max(1, passes.count))
        total.loss /= n
        total.kl /= n
        total.entropy /= n
        total.clipLow /= n
        total.clipHigh /= n
        total.clipRegion /= n
        total.clipDual /= n
        return total
    }
}

import Foundation
import Model

/// Where each completion sits in a GRPO batch of [N, width] token rows: sequence i is its
/// prompt (`promptLengths[i]` tokens) then its completion (`completionLengths[i]` tokens).
/// Per-token arrays are [N, maxNewTokens], token j of completion i at `i·maxNewTokens + j`.
struct CompletionLayout {
    var width: Int
    var maxNewTokens: Int
    var promptLengths: [Int]
    var completionLengths: [Int]
    var sequences: Int { promptLengths.count }

    /// The logits row that predicts completion i's first token.
    func firstRow(_ i: Int) -> Int { i * width + promptLengths[i] - 1 }
}

/// The GRPO loss from logits: gathers per-token log-probs and entropies of the completion tokens
/// (`TokenLogProbs` on the rows that predict them), applies `PolicyLoss`, and scatters
/// d loss / d logits back. Buffers persist across calls.
final class PolicyLossHead {
    let targets = TokenScratch()
    let logProbs = ScratchBuffer(), entropies = ScratchBuffer()
    let logProbGradients = ScratchBuffer(), entropyGradients = ScratchBuffer()

    /// Sets the completion tokens [N, maxNewTokens] (−1 past each completion's end).
    func setTargets(_ completions: [[Int32]], layout: CompletionLayout) {
        let L = layout.maxNewTokens
        let pointer = targets.reset(count: layout.sequences * L, to: -1)
        for (i, tokens) in completions.enumerated() {
            for j in 0..<layout.completionLengths[i] { pointer[i * L + j] = tokens[j] }
        }
    }

    /// Log-probs (and entropies) of the completion tokens under softmax(logits / temperature).
    func gather(logits: UnsafePointer<Float>, layout: CompletionLayout, vocabularySize V: Int, temperature: Float,
                into output: UnsafeMutablePointer<Float>, entropies: UnsafeMutablePointer<Float>?) {
        let L = layout.maxNewTokens
        output.update(repeating: 0, count: layout.sequences * L)
        entropies?.update(repeating: 0, count: layout.sequences * L)
        for i in 0..<layout.sequences where layout.completionLengths[i] > 0 {
            let row = layout.firstRow(i)
            TokenLogProbs.forward(logProbs: output + i * L, entropies: entropies.map { $0 + i * L },
                                  logits: logits + row * V, targets: targets.pointer + i * L,
                                  temperature: temperature, rows: layout.completionLengths[i], vocabularySize: V)
        }
    }

    /// Current log-probs into `logProbs`, the loss, and d loss / d logits ACCUMULATED into
    /// `logitGradients` [N, width, V].
    func lossAndGradients(logits: UnsafePointer<Float>, layout: CompletionLayout, vocabularySize V: Int,
                          temperature: Float, oldLogProbs: UnsafePointer<Float>, referenceLogProbs: UnsafePointer<Float>?,
                          mask: UnsafePointer<Float>, advantages: UnsafePointer<Float>, settings: PolicyLoss.Settings,
                          logitGradients: UnsafeMutablePointer<Float>) -> PolicyLoss.Statistics {
        let count = layout.sequences * layout.maxNewTokens
        let L = layout.maxNewTokens
        gather(logits: logits, layout: layout, vocabularySize: V, temperature: temperature,
               into: logProbs.reset(count: count), entropies: entropies.reset(count: count))
        let stats = PolicyLoss.compute(
            logProbs: logProbs.pointer, oldLogProbs: oldLogProbs, referenceLogProbs: referenceLogProbs,
            entropies: entropies.pointer, mask: mask, advantages: advantages, sequences: layout.sequences,
            width: L, settings: settings, logProbGradients: logProbGradients.reset(count: count),
            entropyGradients: entropyGradients.reset(count: count))
        let withEntropy = settings.entropyCoefficient != 0
        for i in 0..<layout.sequences where layout.completionLengths[i] > 0 {
            let row = layout.firstRow(i)
            TokenLogProbs.backward(
                logitGradients: logitGradients + row * V, logProbGradients: logProbGradients.pointer + i * L,
                entropyGradients: withEntropy ? entropyGradients.pointer + i * L : nil,
                logits: logits + row * V, targets: targets.pointer + i * L, temperature: temperature,
                rows: layout.completionLengths[i], vocabularySize: V)
        }
        return stats
    }
}

import Foundation
import Model
import ToolUse

/// What `model.context` cuts from the task's texts, counted per item before training, so the run
/// log says how much of the data the policy actually sees.
///
/// - GRPO and PPO (they sample): a prompt longer than `context − train.max_new_tokens` loses its
///   first tokens.
/// - SFT and pretraining train on prompt + gold + end-of-text. The gold is kept from its start
///   (`SupervisedTrainer`): a gold longer than `context − 1` loses its end-of-text, one longer than
///   `context` loses gold tokens too, and when gold + end-of-text fill the context no prompt token
///   is left. Otherwise the prompt loses its first tokens when the three do not fit.
/// - Evaluation: a prompt longer than `context − eval.max_new_tokens` loses its first tokens, and
///   a gold longer than `eval.max_new_tokens` cannot be written in full by any completion.
struct TruncationReport {
    let tokenizer: Tokenizer
    let context: Int

    /// Warning lines for the training items (none when everything fits).
    func training(_ items: [TaskItem], algorithm: TrainingAlgorithm, maxNewTokens: Int) -> [String] {
        guard !items.isEmpty else { return [] }
        if algorithm.isReinforcement {
            let budget = max(1, context - maxNewTokens)
            let cut = items.filter { tokenizer.encode($0.prompt).count > budget }.count
            guard cut > 0 else { return [] }
            return ["warning: \(cut) of \(items.count) training prompts are longer than \(budget) tokens "
                    + "(model.context \(context) − train.max_new_tokens \(maxNewTokens)) and lose their first tokens; "
                    + "raise model.context"]
        }
        var cut = 0, loseEndOfText = 0, loseGold = 0, noPrompt = 0, promptCut = 0, longest = 0
        for item in items {
            let prompt = tokenizer.encode(item.prompt).count
            let target = tokenizer.encode(item.gold).count + 1
            longest = max(longest, prompt + target)
            if prompt + target > context { cut += 1 }
            if target > context { loseEndOfText += 1 }
            if target - 1 > context { loseGold += 1 }
            if target >= context { noPrompt += 1 } else if prompt + target > context { promptCut += 1 }
        }
        guard cut > 0 else { return [] }
        return ["warning: \(algorithm.rawValue): \(cut) of \(items.count) training items do not fit model.context \(context) "
                + "as prompt + gold + end-of-text: \(loseGold) lose gold tokens, \(loseEndOfText) lose their end-of-text, "
                + "\(noPrompt) keep no prompt at all, \(promptCut) more lose their first prompt tokens; "
                + "the longest needs \(longest) tokens; raise model.context"]
    }

    /// Warning lines for the evaluation items that `splits` decodes.
    func evaluation(_ items: [TaskItem], maxNewTokens: Int) -> [String] {
        guard !items.isEmpty else { return [] }
        let budget = max(1, context - maxNewTokens)
        let cut = items.filter { tokenizer.encode($0.prompt).count > budget }.count
        let longGold = items.filter { tokenizer.encode($0.gold).count > maxNewTokens }.count
        var lines: [String] = []
        if cut > 0 {
            lines.append("warning: evaluation: \(cut) of \(items.count) prompts are longer than \(budget) tokens "
                         + "(model.context \(context) − eval.max_new_tokens \(maxNewTokens)) and lose their first tokens")
        }
        if longGold > 0 {
            lines.append("warning: evaluation: \(longGold) of \(items.count) gold answers are longer than eval.max_new_tokens "
                         + "\(maxNewTokens) tokens, so no completion can write them in full")
        }
        return lines
    }
}

// A batch of prompt + completion sequences laid out with each prompt once.
//
// GRPO scores G completions per prompt. Causal attention makes every prompt position's
// activations identical across the group, so the prompt's tokens appear once and the group's
// completions follow it, each attending over the one prompt (`SharedPrefixAttention`). Rows are
// packed with no padding: per group, the prompt's Lp tokens, then each completion's input tokens
// (all but its last: the last token is predicted, never read).
//
// Logits are wanted only where a completion token is predicted: completion c's token 0 from
// its prompt's last row (shared by the group: its gradient is the sum over the group), token
// j ≥ 1 from the completion's row j − 1. `logitRows` lists those rows completion by completion,
// so a model pass returns logits [R, V] with each completion's Lc rows contiguous.
//
// At the W1 shape (8 prompts of 256 tokens, 8 completions of 128 each) this is 8·256 + 64·127 =
// 10,176 rows instead of 64·384 = 24,576.

/// Token rows of prompt-sharing groups, their positions, and the rows whose logits are wanted.
public struct PrefixBatch: Sendable {
    /// One prompt and the completions that continue it. Row indices are into the whole batch.
    public struct Group: Sendable {
        var promptStart: Int
        public var promptLength: Int
        /// Indices into `completionStarts` / `completionRows`.
        public var completions: Range<Int>
    }

    public private(set) var tokens: [Int32] = []
    /// Position of each row in its own sequence (a completion row continues its prompt).
    public private(set) var positions: [Int32] = []
    public private(set) var groups: [Group] = []
    /// First row and row count of each completion's input rows (its length − 1, or 0).
    private(set) var completionStarts: [Int] = []
    private(set) var completionRows: [Int] = []
    /// R rows whose logits a pass returns, completion by completion (`completionLengths[c]` each).
    public private(set) var logitRows: [Int32] = []
    /// Tokens of each completion (its logits rows; 0 for an empty completion).
    public private(set) var completionLengths: [Int] = []

    /// `prompts[p]` (at least one token) is continued by completions[p·G ..< (p + 1)·G].
    public init(prompts: [[Int32]], completions: [[Int32]], groupSize G: Int) {
        precondition(G > 0 && completions.count == prompts.count * G, "PrefixBatch: \(completions.count) completions for \(prompts.count) prompts × \(G)")
        let rows = prompts.reduce(0) { $0 + $1.count } + completions.reduce(0) { $0 + max(0, $1.count - 1) }
        tokens.reserveCapacity(rows)
        positions.reserveCapacity(rows)
        logitRows.reserveCapacity(completions.reduce(0) { $0 + $1.count })
        for (p, prompt) in prompts.enumerated() {
            precondition(!prompt.isEmpty, "PrefixBatch: prompt \(p) is empty")
            let promptStart = tokens.count
            tokens += prompt
            positions += (0..<prompt.count).map { Int32($0) }
            let first = completionStarts.count
            for completion in completions[(p * G)..<((p + 1) * G)] {
                let inputRows = max(0, completion.count - 1)
                let start = tokens.count
                completionStarts.append(start)
                completionRows.append(inputRows)
                completionLengths.append(completion.count)
                tokens += completion.prefix(inputRows)
                positions += (0..<inputRows).map { Int32(prompt.count + $0) }
                if !completion.isEmpty {
                    logitRows.append(Int32(promptStart + prompt.count - 1))
                    logitRows += (0..<inputRows).map { Int32(start + $0) }
                }
            }
            groups.append(Group(promptStart: promptStart, promptLength: prompt.count, completions: first..<completionStarts.count))
        }
    }

    /// Rows (tokens) in the batch.
    var rowCount: Int { tokens.count }
    /// Rows of logits a pass returns.
    var logitRowCount: Int { logitRows.count }
    /// Longest prompt and longest completion input (for scratch sizes).
    var longestPrompt: Int { groups.map(\.promptLength).max() ?? 0 }
    var longestCompletionRows: Int { completionRows.max() ?? 0 }
}

import Model

/// The forward (and backward) passes of a model over one GRPO batch's sequences, prompt +
/// completion, in micro-batches of whole groups. Each micro-batch's logits are the rows that
/// predict completion tokens, packed completion by completion ([R, V]: completion i's Lc rows
/// follow those of the completions before it in the micro-batch; `CompletionLayout`).
///
/// Shared prompts (the default): a micro-batch is a `PrefixBatch`, every prompt once for its
/// group; a prompt's gradient is the sum over its group. Unshared: each sequence is its own
/// right-padded row of prompt + completion through the padded forward, the logit rows are
/// gathered and their gradients scattered back. Both give the same logits and gradients up to
/// float rounding; the unshared form is the reference the shared one is tested against.
///
/// Micro-batches keep the stored activations small: at most `tokenBudget` rows each (at least
/// one group, or one sequence when unshared).
final class CompletionForward {
    let sharesPrompts: Bool
    /// Sequence ranges of the micro-batches, in order; shared: whole groups.
    let microBatches: [Range<Int>]
    private let prefixBatches: [PrefixBatch]
    private let sequences: [[Int32]]
    private let promptLengths: [Int]
    private let completionLengths: [Int]
    private let width: Int
    private let padding: Int32
    private let rows = TokenRows()
    private let packed = ScratchBuffer(), padded = ScratchBuffer()

    /// `prompts[p]` (non-empty) is continued by `completions[p·G ..< (p + 1)·G]` (the tokens the
    /// loss sees); `padding` fills unshared rows.
    init(prompts: [[Int32]], completions: [[Int32]], groupSize G: Int, sharesPrompts: Bool, tokenBudget: Int, padding: Int32) {
        self.sharesPrompts = sharesPrompts
        self.padding = padding
        promptLengths = completions.indices.map { prompts[$0 / G].count }
        completionLengths = completions.map(\.count)
        if sharesPrompts {
            sequences = []
            width = 0
            let groupRows = prompts.indices.map { p in
                prompts[p].count + completions[(p * G)..<((p + 1) * G)].reduce(0) { $0 + max(0, $1.count - 1) }
            }
            let groupBatches = Self.groupMicroBatches(groupRows: groupRows, tokenBudget: tokenBudget)
            microBatches = groupBatches.map { ($0.lowerBound * G)..<($0.upperBound * G) }
            prefixBatches = groupBatches.map { groups in
                PrefixBatch(prompts: Array(prompts[groups]), completions: Array(completions[(groups.lowerBound * G)..<(groups.upperBound * G)]),
                            groupSize: G)
            }
        } else {
            sequences = completions.indices.map { prompts[$0 / G] + completions[$0] }
            width = max(1, sequences.map(\.count).max() ?? 1)
            microBatches = GRPOTrainer.microBatches(sequences: completions.count, width: width, tokenBudget: tokenBudget)
            prefixBatches = []
        }
    }

    /// Logit rows of micro-batch `k` (0 when none of its completions has a token).
    func logitRows(_ k: Int) -> Int {
        completionLengths[microBatches[k]].reduce(0, +)
    }

    /// The micro-batches with a token to score: each one's index `k` and its completions,
    /// numbered from `offset` (where these completions start in the per-token arrays).
    func scoredMicroBatches(offset: Int = 0) -> [(k: Int, completions: Range<Int>)] {
        microBatches.indices.filter { logitRows($0) > 0 }.map { k in
            (k, (microBatches[k].lowerBound + offset)..<(microBatches[k].upperBound + offset))
        }
    }

    /// Logits [logitRows(k), V] of micro-batch `k` under `model`, valid until the model's next
    /// pass. `training`: keep activations for `backward` (else an inference pass). Needs
    /// logitRows(k) > 0.
    func logits(of model: Transformer, microBatch k: Int, training: Bool) -> UnsafePointer<Float> {
        if sharesPrompts {
            return UnsafePointer(training ? model.forward(prefixBatches[k]) : model.inferenceForward(prefixBatches[k]))
        }
        let range = microBatches[k]
        fillRows(k)
        let all = training
            ? model.forward(tokens: rows.tokens, batchSize: range.count, sequenceLength: width)
            : model.inferenceForward(tokens: rows.tokens, batchSize: range.count, sequenceLength: width)
        return pack(all, microBatch: k, columns: model.vocabularySize)
    }

    /// Backward of the last training `logits` call (micro-batch `k`): accumulates into the
    /// model's gradients.
    func backward(of model: Transformer, microBatch k: Int, logitGradients: UnsafePointer<Float>) {
        model.backward(logitGradients: sharesPrompts ? logitGradients : unpack(logitGradients, microBatch: k, columns: model.vocabularySize))
    }

    /// Values [logitRows(k)] of micro-batch `k` under a critic (a training pass), packed as the
    /// logits are: the value of completion token t is read where its logits are.
    func values(of critic: ValueModel, microBatch k: Int) -> UnsafePointer<Float> {
        if sharesPrompts { return critic.forward(prefixBatches[k]) }
        let range = microBatches[k]
        fillRows(k)
        return pack(critic.forward(tokens: rows.tokens, batchSize: range.count, sequenceLength: width), microBatch: k, columns: 1)
    }

    /// Backward of the last `values` call (micro-batch `k`): accumulates into the critic's gradients.
    func backward(of critic: ValueModel, microBatch k: Int, valueGradients: UnsafePointer<Float>) {
        critic.backward(valueGradients: sharesPrompts ? valueGradients : unpack(valueGradients, microBatch: k, columns: 1))
    }

    /// Unshared: micro-batch `k`'s sequences as right-padded rows.
    private func fillRows(_ k: Int) {
        rows.fill(Array(sequences[microBatches[k]]), width: width, padding: padding)
    }

    /// Unshared: the rows that predict completion tokens, out of [range.count, width, columns],
    /// packed completion by completion.
    private func pack(_ all: UnsafePointer<Float>, microBatch k: Int, columns: Int) -> UnsafePointer<Float> {
        let range = microBatches[k]
        let out = packed.reset(count: logitRows(k) * columns)
        var row = 0
        for i in range where completionLengths[i] > 0 {
            let first = (i - range.lowerBound) * width + promptLengths[i] - 1
            (out + row * columns).update(from: all + first * columns, count: completionLengths[i] * columns)
            row += completionLengths[i]
        }
        return UnsafePointer(out)
    }

    /// Unshared: packed gradients scattered back to [range.count, width, columns], zero elsewhere.
    private func unpack(_ gradients: UnsafePointer<Float>, microBatch k: Int, columns: Int) -> UnsafePointer<Float> {
        let range = microBatches[k]
        let out = padded.reset(count: range.count * width * columns)
        var row = 0
        for i in range where completionLengths[i] > 0 {
            let first = (i - range.lowerBound) * width + promptLengths[i] - 1
            (out + first * columns).update(from: gradients + row * columns, count: completionLengths[i] * columns)
            row += completionLengths[i]
        }
        return UnsafePointer(out)
    }

    /// FLOPs of one pass over every micro-batch: a forward (`training` false) or a forward and
    /// backward (`FLOPCounter`).
    func flops(config: ModelConfig, vocabularySize V: Int, training: Bool) -> Double {
        if sharesPrompts {
            return prefixBatches.reduce(0) { total, batch in
                total + (training ? FLOPCounter.forwardBackward(config: config, vocabularySize: V, batch: batch)
                                  : FLOPCounter.forward(config: config, vocabularySize: V, batch: batch))
            }
        }
        return microBatches.reduce(0) { total, range in
            total + (training ? FLOPCounter.forwardBackward(config: config, vocabularySize: V, batchSize: range.count, sequenceLength: width)
                              : FLOPCounter.forward(config: config, vocabularySize: V, batchSize: range.count, sequenceLength: width))
        }
    }

    /// Splits groups of `groupRows[g]` rows into contiguous micro-batches of at most
    /// `tokenBudget` rows (a larger group gets one of its own), as few as a greedy fill gives.
    static func groupMicroBatches(groupRows: [Int], tokenBudget: Int) -> [Range<Int>] {
        var batches: [Range<Int>] = []
        var start = 0, rows = 0
        for (g, count) in groupRows.enumerated() {
            if g > start && rows + count > tokenBudget {
                batches.append(start..<g)
                start = g
                rows = 0
            }
            rows += count
        }
        if start < groupRows.count { batches.append(start..<groupRows.count) }
        return batches
    }
}

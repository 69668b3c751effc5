// The rows one transformer pass runs on, and what differs between the two kinds: embedding
// positions, attention, and which rows reach the LM head.
//   padded: B sequences of T tokens, right-padded; every row gets logits ([B·T, V]).
//   prefix: a `PrefixBatch`; only its `logitRows` get logits ([R, V]), gathered before the
//           final LayerNorm (their gradients are scattered back, adding where rows repeat).

enum PassShape {
    case padded(batchSize: Int, sequenceLength: Int)
    case prefix(PrefixBatch)

    var rowCount: Int {
        switch self {
        case .padded(let B, let T): return B * T
        case .prefix(let batch): return batch.rowCount
        }
    }

    var logitRowCount: Int {
        switch self {
        case .padded: return rowCount
        case .prefix(let batch): return batch.logitRowCount
        }
    }

    /// Whether the head reads gathered rows rather than the residual stream itself.
    var gathers: Bool {
        if case .prefix = self { return true }
        return false
    }

    func attentionForward(out: UnsafeMutablePointer<Float>, logSumExp: UnsafeMutablePointer<Float>?,
                          qkv: UnsafePointer<Float>, channels C: Int, heads NH: Int) {
        switch self {
        case .padded(let B, let T):
            Attention.forward(out: out, logSumExp: logSumExp, qkv: qkv, batchSize: B, sequenceLength: T, channels: C, heads: NH)
        case .prefix(let batch):
            SharedPrefixAttention.forward(out: out, logSumExp: logSumExp, qkv: qkv, batch: batch, channels: C, heads: NH)
        }
    }

    func attentionBackward(qkvGradient: UnsafeMutablePointer<Float>, outGradient: UnsafePointer<Float>,
                           qkv: UnsafePointer<Float>, out: UnsafePointer<Float>, logSumExp: UnsafePointer<Float>,
                           channels C: Int, heads NH: Int) {
        switch self {
        case .padded(let B, let T):
            Attention.backward(qkvGradient: qkvGradient, outGradient: outGradient, qkv: qkv, out: out, logSumExp: logSumExp,
                               batchSize: B, sequenceLength: T, channels: C, heads: NH)
        case .prefix(let batch):
            SharedPrefixAttention.backward(qkvGradient: qkvGradient, outGradient: outGradient, qkv: qkv, out: out,
                                           logSumExp: logSumExp, batch: batch, channels: C, heads: NH)
        }
    }

    /// Copies the logit rows of `rows` [N, C] into `out` [R, C] and returns it; nil when the
    /// head reads every row in place (padded).
    func gather(_ rows: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>?, channels C: Int) -> UnsafeMutablePointer<Float>? {
        guard case .prefix(let batch) = self, let out else { return nil }
        for (r, row) in batch.logitRows.enumerated() {
            (out + r * C).update(from: rows + Int(row) * C, count: C)
        }
        return out
    }

    /// Adds gradients [R, C] of the gathered rows back into `rows` [N, C] (nothing when padded:
    /// the head's gradient was accumulated in place).
    func scatterAdd(_ gradients: UnsafePointer<Float>, into rows: UnsafeMutablePointer<Float>, channels C: Int) {
        guard case .prefix(let batch) = self else { return }
        for (r, row) in batch.logitRows.enumerated() {
            let target = rows + Int(row) * C, source = gradients + r * C
            for c in 0..<C { target[c] += source[c] }
        }
    }
}

// Causal self-attention over a `PrefixBatch`: each prompt attends causally over itself; each
// completion attends over its whole prompt, then causally over its own rows.
// Shapes: qkv [N, 3C] (rows of the batch, query | key | value), out [N, C], logSumExp [NH, N].
// Per (group, head) the prompt's keys and values are transposed once ([hs, Lp]) and shared by
// the group's completions (`Attention.segmentForward` with a prefix). Backward accumulates the
// completions' gradients into the prompt's key and value rows, so the prompt receives the sum
// over its group, then runs the prompt's own causal backward.
// Work is split over (group, head) pairs: a prompt's rows are written by one worker only.

/// Forward/backward pair of shared-prefix attention.
enum SharedPrefixAttention {
    static func forward(out: UnsafeMutablePointer<Float>, logSumExp: UnsafeMutablePointer<Float>?,
                               qkv: UnsafePointer<Float>, batch: PrefixBatch, channels C: Int, heads NH: Int) {
        let hs = C / NH, N = batch.rowCount, Lp = batch.longestPrompt
        let segment = Attention.segmentForwardScratch(rows: max(Lp, batch.longestCompletionRows), prefixLength: Lp, headSize: hs)
        forEachGroupAndHead(batch, heads: NH, scratch: hs * Lp + segment) { scratch, group, h in
            let keysTransposed = scratch, segmentScratch = scratch + hs * Lp
            let p0 = group.promptStart, promptLength = group.promptLength
            let q = qkv + p0 * 3 * C + h * hs
            let lse = logSumExp.map { $0 + h * N }
            Attention.segmentForward(out: out + p0 * C + h * hs, outStride: C, logSumExp: lse.map { $0 + p0 },
                                     q: q, k: q + C, v: q + 2 * C, stride: 3 * C, rows: promptLength, prefix: nil,
                                     headSize: hs, scratch: segmentScratch)
            Attention.transpose(keysTransposed, q + C, rows: promptLength, columns: hs, stride: 3 * C)
            let prefix = Attention.Prefix(keys: q + C, values: q + 2 * C, stride: 3 * C, length: promptLength,
                                          keysTransposed: keysTransposed)
            for c in group.completions {
                let start = batch.completionStarts[c]
                let cq = qkv + start * 3 * C + h * hs
                Attention.segmentForward(out: out + start * C + h * hs, outStride: C, logSumExp: lse.map { $0 + start },
                                         q: cq, k: cq + C, v: cq + 2 * C, stride: 3 * C, rows: batch.completionRows[c],
                                         prefix: prefix, headSize: hs, scratch: segmentScratch)
            }
        }
    }

    /// Accumulates into dQKV. Needs the forward's qkv, out and logSumExp.
    static func backward(qkvGradient dQKV: UnsafeMutablePointer<Float>, outGradient dOut: UnsafePointer<Float>,
                                qkv: UnsafePointer<Float>, out: UnsafePointer<Float>, logSumExp: UnsafePointer<Float>,
                                batch: PrefixBatch, channels C: Int, heads NH: Int) {
        let hs = C / NH, N = batch.rowCount, Lp = batch.longestPrompt
        let segment = Attention.segmentBackwardScratch(rows: max(Lp, batch.longestCompletionRows), prefixLength: Lp, headSize: hs)
        forEachGroupAndHead(batch, heads: NH, scratch: 2 * hs * Lp + segment) { scratch, group, h in
            let keysTransposed = scratch, valuesTransposed = scratch + hs * Lp, segmentScratch = scratch + 2 * hs * Lp
            let p0 = group.promptStart, promptLength = group.promptLength
            let offset = p0 * 3 * C + h * hs
            let q = qkv + offset, dq = dQKV + offset
            let lse = logSumExp + h * N
            Attention.transpose(keysTransposed, q + C, rows: promptLength, columns: hs, stride: 3 * C)
            Attention.transpose(valuesTransposed, q + 2 * C, rows: promptLength, columns: hs, stride: 3 * C)
            let prefix = Attention.Prefix(keys: q + C, values: q + 2 * C, stride: 3 * C, length: promptLength,
                                          keysTransposed: keysTransposed, valuesTransposed: valuesTransposed,
                                          keyGradients: dq + C, valueGradients: dq + 2 * C)
            for c in group.completions {
                let start = batch.completionStarts[c]
                let cOffset = start * 3 * C + h * hs
                let cq = qkv + cOffset, cdq = dQKV + cOffset
                Attention.segmentBackward(qGradient: cdq, kGradient: cdq + C, vGradient: cdq + 2 * C,
                                          outGradient: dOut + start * C + h * hs, out: out + start * C + h * hs,
                                          outStride: C, logSumExp: lse + start, q: cq, k: cq + C, v: cq + 2 * C,
                                          stride: 3 * C, rows: batch.completionRows[c], prefix: prefix, headSize: hs,
                                          scratch: segmentScratch)
            }
            Attention.segmentBackward(qGradient: dq, kGradient: dq + C, vGradient: dq + 2 * C,
                                      outGradient: dOut + p0 * C + h * hs, out: out + p0 * C + h * hs, outStride: C,
                                      logSumExp: lse + p0, q: q, k: q + C, v: q + 2 * C, stride: 3 * C,
                                      rows: promptLength, prefix: nil, headSize: hs, scratch: segmentScratch)
        }
    }

    /// Calls `body(scratch, group, head)` for every (group, head) pair, split over the workers,
    /// each worker with `scratch` floats of its own.
    private static func forEachGroupAndHead(_ batch: PrefixBatch, heads NH: Int, scratch perWorker: Int,
                                            _ body: (UnsafeMutablePointer<Float>, PrefixBatch.Group, Int) -> Void) {
        let items = batch.groups.count * NH
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: Parallel.workerCount(for: items) * perWorker)
        defer { scratch.deallocate() }
        Parallel.forEachChunk(count: items) { worker, range in
            for item in range { body(scratch + worker * perWorker, batch.groups[item / NH], item % NH) }
        }
    }
}

import COpenBLAS
import Foundation

// Incremental decoding with a key/value cache, for the sampler.
//
// The G completions of one prompt share its prompt cache instead of each holding a copy: keys
// and values of prompt p live once in promptKeys [P, NH, hs, Lp] (transposed: the group's
// Q·Kᵀ is then a plain [m, hs]·[hs, Lp] product, which OpenBLAS runs without packing) and
// promptValues [P, NH, Lp, hs], and each
// sequence's generated positions in completionKeys/completionValues [S, NH, Lc, hs]
// (S = P·G sequences, sequence s belongs to prompt s / G). Decoding is memory-bound, and a
// group's queries then read the shared prompt slab once per step: one sgemm [m, Lp] for the
// group's m active members, instead of m sgemv passes over m copies.
//
// A decode step feeds one token per active sequence (rows r = 0..<R in increasing sequence
// order, so each group's rows are consecutive), appends its key/value at its completion index
// and returns logits [R, V]. Buffers are allocated once per capacity and reused.

/// Shared prompt caches, per-sequence completion caches, and the per-step buffers.
final class KVCacheDecoder {
    let model: Transformer
    let promptCapacity: Int
    let sequenceCapacity: Int
    let promptLength: Int        // Lp: longest prompt the cache holds
    let completionLength: Int    // Lc: most generated positions one sequence can cache
    private(set) var groupSize = 1
    private(set) var promptLengths: [Int] = []
    private let arena: FloatArena
    private let promptKeys, promptValues, completionKeys, completionValues: [UnsafeMutablePointer<Float>]
    private let residual, normed, wide: UnsafeMutablePointer<Float>
    let logits: UnsafeMutablePointer<Float>
    private let scores: UnsafeMutablePointer<Float>   // [workers, G·(Lp + Lc)]
    private let workerCapacity = 8

    init(model: Transformer, prompts P: Int, sequences S: Int, promptLength Lp: Int, completionLength Lc: Int) {
        self.model = model
        promptCapacity = P
        sequenceCapacity = S
        promptLength = max(1, Lp)
        completionLength = max(1, Lc)
        let config = model.config, C = config.dim, M = config.mlpDim, V = model.vocabularySize
        var sizes: [Int] = []
        for _ in 0..<config.layers { sizes += [P * promptLength * C, P * promptLength * C, S * completionLength * C, S * completionLength * C] }
        sizes += [S * C, S * C, S * max(3 * C, M), S * V, workerCapacity * S * (promptLength + completionLength)]
        arena = FloatArena(capacity: FloatArena.size(sizes))
        var pk: [UnsafeMutablePointer<Float>] = [], pv: [UnsafeMutablePointer<Float>] = []
        var ck: [UnsafeMutablePointer<Float>] = [], cv: [UnsafeMutablePointer<Float>] = []
        for _ in 0..<config.layers {
            pk.append(arena.take(P * promptLength * C))
            pv.append(arena.take(P * promptLength * C))
            ck.append(arena.take(S * completionLength * C))
            cv.append(arena.take(S * completionLength * C))
        }
        promptKeys = pk
        promptValues = pv
        completionKeys = ck
        completionValues = cv
        residual = arena.take(S * C)
        normed = arena.take(S * C)
        wide = arena.take(S * max(3 * C, M))
        logits = arena.take(S * V)
        scores = arena.take(workerCapacity * S * (promptLength + completionLength))
    }

    func fits(prompts P: Int, sequences S: Int, promptLength Lp: Int, completionLength Lc: Int) -> Bool {
        P <= promptCapacity && S <= sequenceCapacity && Lp <= promptLength && Lc <= completionLength
    }

    /// [hs, Lp] (keys) or [Lp, hs] (values) slab of prompt p, head h; [Lc, hs] slab of sequence s, head h.
    @inline(__always)
    private func promptSlab(_ cache: UnsafeMutablePointer<Float>, _ p: Int, _ h: Int) -> UnsafeMutablePointer<Float> {
        cache + (p * model.config.heads + h) * promptLength * model.config.headDim
    }

    @inline(__always)
    private func completionSlab(_ cache: UnsafeMutablePointer<Float>, _ s: Int, _ h: Int) -> UnsafeMutablePointer<Float> {
        cache + (s * model.config.heads + h) * completionLength * model.config.headDim
    }

    /// Runs the prompts [P, T] (right-padded; `lengths[p]` valid tokens) through the model once,
    /// caches their keys and values, and returns each prompt's last-position logits [P, V].
    func prefill(prompts tokens: [Int32], lengths: [Int], paddedLength T: Int, groupSize G: Int) -> UnsafeMutablePointer<Float> {
        let config = model.config, C = config.dim, NH = config.heads, hs = config.headDim, V = model.vocabularySize
        let P = lengths.count
        groupSize = G
        promptLengths = lengths
        let allLogits = tokens.withUnsafeBufferPointer { pointer in
            model.inferenceForward(tokens: pointer.baseAddress!, batchSize: P, sequenceLength: T) { layer, qkv in
                for p in 0..<P {
                    for h in 0..<NH {
                        let keySlab = self.promptSlab(self.promptKeys[layer], p, h)
                        let valueSlab = self.promptSlab(self.promptValues[layer], p, h)
                        for t in 0..<lengths[p] {
                            let row = qkv + (p * T + t) * 3 * C + h * hs
                            for c in 0..<hs { keySlab[c * self.promptLength + t] = row[C + c] }
                            (valueSlab + t * hs).update(from: row + 2 * C, count: hs)
                        }
                    }
                }
            }
        }
        for p in 0..<P {
            (logits + p * V).update(from: allLogits + (p * T + lengths[p] - 1) * V, count: V)
        }
        return logits
    }

    /// One token for each row: `tokens[r]` at absolute `positions[r]` of sequence `rows[r]`
    /// (rows in increasing order). Returns logits [R, V].
    func step(rows: [Int], tokens: [Int32], positions: [Int]) -> UnsafeMutablePointer<Float> {
        let config = model.config, C = config.dim, M = config.mlpDim, V = model.vocabularySize
        let R = rows.count
        let w = model.parameters.pointer, layout = model.layout
        for r in 0..<R {
            let tokenRow = w + layout.tokenEmbedding + Int(tokens[r]) * C
            let positionRow = w + layout.positionEmbedding + positions[r] * C
            let out = residual + r * C
            for c in 0..<C { out[c] = tokenRow[c] + positionRow[c] }
        }
        // Consecutive rows of one prompt's group: (prompt, first row, row count).
        var groups: [(prompt: Int, start: Int, count: Int)] = []
        for (r, sequence) in rows.enumerated() {
            let prompt = sequence / groupSize
            if let last = groups.last, last.prompt == prompt {
                groups[groups.count - 1].count += 1
            } else {
                groups.append((prompt, r, 1))
            }
        }
        // Rows of different groups never meet (attention stays within a group), so the groups are
        // split between the workers and each runs every layer and the head on its own rows: one
        // hand-off per step instead of one per kernel (decode kernels are too small to split).
        let wideWidth = max(3 * C, M)
        let scratchPerWorker = sequenceCapacity * (promptLength + completionLength)
        Parallel.forEachChunk(count: groups.count, maxWorkers: workerCapacity) { worker, part in
            guard !part.isEmpty else { return }
            let first = groups[part.lowerBound].start
            let last = groups[part.upperBound - 1].start + groups[part.upperBound - 1].count
            let partGroups = groups[part].map { (prompt: $0.prompt, start: $0.start - first, count: $0.count) }
            layout.inferenceBlocks(weights: w, residual: residual + first * C, normed: normed + first * C,
                                   wide: wide + first * wideWidth, rows: last - first, channels: C, mlpChannels: M) { l, qkv, out in
                attend(layer: l, qkv: qkv, out: out, rows: Array(rows[first..<last]), positions: Array(positions[first..<last]),
                       groups: partGroups, scratch: scores + worker * scratchPerWorker)
            }
            Linear.forward(out: logits + first * V, inp: normed + first * C, weight: w + layout.tokenEmbedding, bias: nil,
                           rows: last - first, inChannels: C, outChannels: V)
        }
        return logits
    }

    /// Appends each row's key/value at its completion index, then attends each row's query over
    /// its prompt's shared positions and its own generated ones.
    private func attend(layer: Int, qkv: UnsafePointer<Float>, out attention: UnsafeMutablePointer<Float>,
                        rows: [Int], positions: [Int], groups: [(prompt: Int, start: Int, count: Int)],
                        scratch S: UnsafeMutablePointer<Float>) {
        let config = model.config, C = config.dim, NH = config.heads, hs = config.headDim
        let scale = 1 / Float(hs).squareRoot()
        let promptK = promptKeys[layer], promptV = promptValues[layer]
        let ownK = completionKeys[layer], ownV = completionValues[layer]
        let G = groupSize
        for (r, sequence) in rows.enumerated() {
            let index = positions[r] - promptLengths[sequence / G]
            for h in 0..<NH {
                let row = qkv + r * 3 * C + h * hs
                (completionSlab(ownK, sequence, h) + index * hs).update(from: row + C, count: hs)
                (completionSlab(ownV, sequence, h) + index * hs).update(from: row + 2 * C, count: hs)
            }
        }
        let stride = promptLength + completionLength
        for item in 0..<(groups.count * NH) {
            let group = groups[item / NH], h = item % NH
            let m = group.count
            let Lp = self.promptLengths[group.prompt]
            let q = qkv + group.start * 3 * C + h * hs
            let out = attention + group.start * C + h * hs
            // Prompt part for the whole group: S[:, 0..<Lp] = scale·Q·Kpᵀ.
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(Lp), Int32(hs), scale,
                        q, Int32(3 * C), self.promptSlab(promptK, group.prompt, h), Int32(self.promptLength), 0,
                        S, Int32(stride))
            for i in 0..<m {
                let r = group.start + i
                let own = positions[r] - Lp + 1
                let row = S + i * stride
                cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(own), Int32(hs), scale,
                            self.completionSlab(ownK, rows[r], h), Int32(hs), q + i * 3 * C, 1, 0, row + Lp, 1)
                let visible = Lp + own
                let top = maximum(row, count: visible)
                let inverse = 1 / expShiftedSum(row, row, shift: top, count: visible)
                for j in 0..<visible { row[j] *= inverse }
            }
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(hs), Int32(Lp), 1,
                        S, Int32(stride), self.promptSlab(promptV, group.prompt, h), Int32(hs), 0, out, Int32(C))
            for i in 0..<m {
                let r = group.start + i
                let own = positions[r] - Lp + 1
                cblas_sgemv(CblasRowMajor, CblasTrans, Int32(own), Int32(hs), 1,
                            self.completionSlab(ownV, rows[r], h), Int32(hs), S + i * stride + Lp, 1, 1, out + i * C, 1)
            }
        }
    }
}

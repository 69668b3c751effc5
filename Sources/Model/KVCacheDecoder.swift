import COpenBLAS
import Foundation

// Incremental decoding with a key/value cache, for the sampler.
// Cache shapes, per block: keys, values [S, NH, L, hs] (S sequences, L = cache length ≤ context),
// so one (sequence, head) is a contiguous [L, hs] slab that attention scans row by row.
// A decode step feeds one token per active sequence (rows r = 0..<R, sequence rows[r] at
// position positions[r]), appends its key/value to the cache and returns logits [R, V].
// Every buffer is allocated once per capacity (S, L) and reused across steps and calls.

/// Key/value cache plus the per-step buffers of a batched decode.
final class KVCacheDecoder {
    let model: Transformer
    let sequenceCapacity: Int
    let cacheLength: Int
    private let arena: FloatArena
    private let keys: [UnsafeMutablePointer<Float>]
    private let values: [UnsafeMutablePointer<Float>]
    // Step buffers, [S, ·] each.
    private let residual, normed, qkv, attention, hidden: UnsafeMutablePointer<Float>
    let logits: UnsafeMutablePointer<Float>
    private let scores: UnsafeMutablePointer<Float>    // [workers, L]
    private let workerCapacity: Int

    init(model: Transformer, sequences S: Int, cacheLength L: Int) {
        self.model = model
        sequenceCapacity = S
        cacheLength = L
        let config = model.config, C = config.dim, M = config.mlpDim, V = model.vocabularySize
        workerCapacity = 8
        var sizes = [Int](repeating: S * L * C, count: 2 * config.layers)
        sizes += [S * C, S * C, S * 3 * C, S * C, S * max(M, C), S * V, workerCapacity * L]
        arena = FloatArena(capacity: FloatArena.size(sizes))
        var keys: [UnsafeMutablePointer<Float>] = [], values: [UnsafeMutablePointer<Float>] = []
        for _ in 0..<config.layers {
            keys.append(arena.take(S * L * C))
            values.append(arena.take(S * L * C))
        }
        self.keys = keys
        self.values = values
        residual = arena.take(S * C)
        normed = arena.take(S * C)
        qkv = arena.take(S * 3 * C)
        attention = arena.take(S * C)
        hidden = arena.take(S * max(M, C))
        logits = arena.take(S * V)
        scores = arena.take(workerCapacity * L)
    }

    /// Start of the [L, hs] slab of `sequence`, `head` in a cache tensor.
    @inline(__always)
    private func slab(_ cache: UnsafeMutablePointer<Float>, _ sequence: Int, _ head: Int) -> UnsafeMutablePointer<Float> {
        let config = model.config
        return cache + (sequence * config.heads + head) * cacheLength * config.headDim
    }

    /// Runs the prompts [P, T] (right-padded; `lengths[p]` valid tokens) through the model once,
    /// fills the cache of sequence `firstSequence(p)` for positions 0..<lengths[p], copies it to
    /// the `groupSize − 1` sequences after it, and returns each prompt's last-position logits
    /// [P, V] (in `logits`).
    func prefill(prompts tokens: [Int32], lengths: [Int], paddedLength T: Int, groupSize G: Int) -> UnsafeMutablePointer<Float> {
        let config = model.config, C = config.dim, NH = config.heads, hs = config.headDim, V = model.vocabularySize
        let P = lengths.count
        let allLogits = tokens.withUnsafeBufferPointer { pointer in
            model.inferenceForward(tokens: pointer.baseAddress!, batchSize: P, sequenceLength: T) { layer, qkv in
                for p in 0..<P {
                    for h in 0..<NH {
                        let keySlab = self.slab(self.keys[layer], p * G, h)
                        let valueSlab = self.slab(self.values[layer], p * G, h)
                        for t in 0..<lengths[p] {
                            let row = qkv + (p * T + t) * 3 * C + h * hs
                            (keySlab + t * hs).update(from: row + C, count: hs)
                            (valueSlab + t * hs).update(from: row + 2 * C, count: hs)
                        }
                    }
                }
            }
        }
        for layer in 0..<config.layers {
            for p in 0..<P {
                for member in 1..<max(1, G) {
                    for h in 0..<NH {
                        let count = lengths[p] * hs
                        slab(keys[layer], p * G + member, h).update(from: slab(keys[layer], p * G, h), count: count)
                        slab(values[layer], p * G + member, h).update(from: slab(values[layer], p * G, h), count: count)
                    }
                }
            }
        }
        for p in 0..<P {
            (logits + p * V).update(from: allLogits + (p * T + lengths[p] - 1) * V, count: V)
        }
        return logits
    }

    /// One token for each row: `tokens[r]` at `positions[r]` of sequence `rows[r]`. Returns logits [R, V].
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
        for (l, p) in layout.blocks.enumerated() {
            LayerNorm.forward(out: normed, mean: nil, rstd: nil, inp: residual, weight: w + p.ln1Weight,
                              bias: w + p.ln1Bias, rows: R, channels: C)
            Linear.forward(out: qkv, inp: normed, weight: w + p.qkvWeight, bias: w + p.qkvBias,
                           rows: R, inChannels: C, outChannels: 3 * C)
            attend(layer: l, rows: rows, positions: positions)
            Linear.forward(out: normed, inp: attention, weight: w + p.projWeight, bias: w + p.projBias,
                           rows: R, inChannels: C, outChannels: C)
            Residual.forward(out: residual, inp1: residual, inp2: normed, count: R * C)
            LayerNorm.forward(out: normed, mean: nil, rstd: nil, inp: residual, weight: w + p.ln2Weight,
                              bias: w + p.ln2Bias, rows: R, channels: C)
            Linear.forward(out: hidden, inp: normed, weight: w + p.fcWeight, bias: w + p.fcBias,
                           rows: R, inChannels: C, outChannels: M)
            GELU.forward(out: hidden, inp: hidden, count: R * M)
            Linear.forward(out: normed, inp: hidden, weight: w + p.fcProjWeight, bias: w + p.fcProjBias,
                           rows: R, inChannels: M, outChannels: C)
            Residual.forward(out: residual, inp1: residual, inp2: normed, count: R * C)
        }
        LayerNorm.forward(out: normed, mean: nil, rstd: nil, inp: residual, weight: w + layout.finalNormWeight,
                          bias: w + layout.finalNormBias, rows: R, channels: C)
        Linear.forward(out: logits, inp: normed, weight: w + layout.tokenEmbedding, bias: nil,
                       rows: R, inChannels: C, outChannels: V)
        return logits
    }

    /// Appends each row's key/value to its sequence's cache, then attends its query over the
    /// cached positions 0...position (single-query causal attention, tight loops).
    private func attend(layer: Int, rows: [Int], positions: [Int]) {
        let config = model.config, C = config.dim, NH = config.heads, hs = config.headDim
        let scale = 1 / Float(hs).squareRoot()
        let keyCache = keys[layer], valueCache = values[layer]
        for (r, sequence) in rows.enumerated() {
            for h in 0..<NH {
                let row = qkv + r * 3 * C + h * hs
                (slab(keyCache, sequence, h) + positions[r] * hs).update(from: row + C, count: hs)
                (slab(valueCache, sequence, h) + positions[r] * hs).update(from: row + 2 * C, count: hs)
            }
        }
        let items = rows.count * NH
        let workers = min(Parallel.workerCount(for: items), workerCapacity)
        let body: (Int, Range<Int>) -> Void = { worker, range in
            let score = self.scores + worker * self.cacheLength
            for item in range {
                let r = item / NH, h = item % NH
                let visible = positions[r] + 1
                let q = self.qkv + r * 3 * C + h * hs
                let keySlab = self.slab(keyCache, rows[r], h)
                let valueSlab = self.slab(valueCache, rows[r], h)
                // scores = scale·K[0...pos]·q; out = softmax(scores)ᵀ·V[0...pos] (two sgemv calls,
                // BLAS single-threaded inside this parallel region).
                cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(visible), Int32(hs), scale, keySlab, Int32(hs),
                            q, 1, 0, score, 1)
                let top = maximum(score, count: visible)
                let sum = expShiftedSum(score, score, shift: top, count: visible)
                cblas_sgemv(CblasRowMajor, CblasTrans, Int32(visible), Int32(hs), 1 / sum, valueSlab, Int32(hs),
                            score, 1, 0, self.attention + r * C + h * hs, 1)
            }
        }
        if workers <= 1 || items < 64 {
            body(0, 0..<items)
        } else {
            Parallel.forEachChunk(count: items, maxWorkers: workerCapacity) { worker, range in body(worker, range) }
        }
    }
}


import COpenBLAS
import Foundation

// Causal multi-head self-attention, per sequence and head, matrix products through sgemm.
// Shapes: qkv [B, T, 3C] (query | key | value, each C = NH·hs channels, head h at h·hs),
//         out [B, T, C], logSumExp [B, NH, T] (saved for backward instead of the [T, T]
//         attention matrix, which would not fit: 64·4·384² floats per layer).
// Legend: S = scale·Q·Kᵀ (scale = 1/√hs; Kᵀ copied out per head), P = softmax over j ≤ i of S[i, j], out = P·V.
// Rows are processed in blocks of `blockRows` queries; a block only multiplies against the keys
// it can see (0..<end of block), which skips most of the masked upper triangle.
// Backward recomputes P from S and logSumExp: dV += Pᵀ·dO, dP = dO·Vᵀ,
// dS = P ∘ (dP − D) with D[i] = dO[i]·O[i], dQ += scale·dS·K, dK += scale·dSᵀ·Q.
//
// The per-head work is `segmentForward`/`segmentBackward`: a run of query rows attending
// causally over their own keys, optionally after a prefix of keys every row sees in full (a
// prompt shared by several completions, `SharedPrefixAttention`). The prefix's columns come
// first in each score row: S = [scale·Q·Kpᵀ | scale·Q·Kᵀ].

/// Forward/backward pair of causal self-attention (llm.c `attention_*`).
enum Attention {
    static let blockRows = 64

    static func forward(out: UnsafeMutablePointer<Float>, logSumExp: UnsafeMutablePointer<Float>?,
                               qkv: UnsafePointer<Float>, batchSize B: Int, sequenceLength T: Int,
                               channels C: Int, heads NH: Int) {
        let hs = C / NH
        let perWorker = segmentForwardScratch(rows: T, prefixLength: 0, headSize: hs)
        let workers = Parallel.workerCount(for: B * NH)
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: workers * perWorker)
        defer { scratch.deallocate() }
        Parallel.forEachChunk(count: B * NH) { worker, pairs in
            for pair in pairs {
                let b = pair / NH, h = pair % NH
                let q = qkv + b * T * 3 * C + h * hs
                segmentForward(out: out + b * T * C + h * hs, outStride: C, logSumExp: logSumExp.map { $0 + pair * T },
                               q: q, k: q + C, v: q + 2 * C, stride: 3 * C, rows: T, prefix: nil, headSize: hs,
                               scratch: scratch + worker * perWorker)
            }
        }
    }

    /// Accumulates into dQKV. Needs the forward's qkv, out and logSumExp.
    static func backward(qkvGradient dQKV: UnsafeMutablePointer<Float>, outGradient dOut: UnsafePointer<Float>,
                                qkv: UnsafePointer<Float>, out: UnsafePointer<Float>,
                                logSumExp: UnsafePointer<Float>, batchSize B: Int, sequenceLength T: Int,
                                channels C: Int, heads NH: Int) {
        let hs = C / NH
        let perWorker = segmentBackwardScratch(rows: T, prefixLength: 0, headSize: hs)
        let workers = Parallel.workerCount(for: B * NH)
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: workers * perWorker)
        defer { scratch.deallocate() }
        Parallel.forEachChunk(count: B * NH) { worker, pairs in
            for pair in pairs {
                let b = pair / NH, h = pair % NH
                let offset = b * T * 3 * C + h * hs
                let q = qkv + offset, dq = dQKV + offset
                segmentBackward(qGradient: dq, kGradient: dq + C, vGradient: dq + 2 * C, outGradient: dOut + b * T * C + h * hs,
                                out: out + b * T * C + h * hs, outStride: C, logSumExp: logSumExp + pair * T,
                                q: q, k: q + C, v: q + 2 * C, stride: 3 * C, rows: T, prefix: nil, headSize: hs,
                                scratch: scratch + worker * perWorker)
            }
        }
    }

    /// Keys and values of one head that every query row of a segment sees in full, before its
    /// own causal keys. `keys`, `values` (and their gradients) are [length, hs] rows `stride`
    /// apart; `keysTransposed`/`valuesTransposed` are [hs, length] copies (leading dimension
    /// `length`) so that Q·Kᵀ and dO·Vᵀ are plain products. Backward accumulates into the gradients.
    struct Prefix {
        var keys: UnsafePointer<Float>
        var values: UnsafePointer<Float>
        var stride: Int
        var length: Int
        var keysTransposed: UnsafePointer<Float>
        var valuesTransposed: UnsafePointer<Float>?
        var keyGradients: UnsafeMutablePointer<Float>?
        var valueGradients: UnsafeMutablePointer<Float>?
    }

    /// Floats of scratch `segmentForward` needs.
    static func segmentForwardScratch(rows n: Int, prefixLength Lp: Int, headSize hs: Int) -> Int {
        let blockRows = min(self.blockRows, max(1, n))
        return hs * n + blockRows * (Lp + n) + blockRows
    }

    /// Floats of scratch `segmentBackward` needs.
    static func segmentBackwardScratch(rows n: Int, prefixLength Lp: Int, headSize hs: Int) -> Int {
        let blockRows = min(self.blockRows, max(1, n))
        return 2 * hs * n + 2 * blockRows * (Lp + n)
    }

    /// One head of one segment: rows i = 0..<n with query q[i], key k[i], value v[i] (rows
    /// `stride` apart) see the prefix's keys in full and their own keys 0…i. Writes out [n, hs]
    /// (rows `outStride` apart) and, when given, logSumExp [n].
    static func segmentForward(out o: UnsafeMutablePointer<Float>, outStride: Int, logSumExp: UnsafeMutablePointer<Float>?,
                               q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>, stride: Int,
                               rows n: Int, prefix: Prefix?, headSize hs: Int, scratch: UnsafeMutablePointer<Float>) {
        guard n > 0 else { return }
        let scale = 1 / Float(hs).squareRoot()
        let Lp = prefix?.length ?? 0
        let blockRows = min(self.blockRows, n)
        let kT = scratch
        let S = kT + hs * n
        let inverseSums = S + blockRows * (Lp + n)
        transpose(kT, k, rows: n, columns: hs, stride: stride)
        for start in Swift.stride(from: 0, to: n, by: blockRows) {
            let rows = min(blockRows, n - start)
            let ownKeys = start + rows
            let width = Lp + ownKeys
            let qBlock = q + start * stride
            rowProducts(S, width: width, rows: rows, left: qBlock, leftStride: stride, alpha: scale,
                        prefixTransposed: prefix?.keysTransposed, prefixLength: Lp, ownTransposed: kT, ownStride: n,
                        ownColumns: ownKeys, inner: hs)
            // Unnormalised weights e = exp(S − max); out = (e·V)/Σe, dividing the [rows, hs]
            // product instead of the [rows, width] weights.
            for r in 0..<rows {
                let row = S + r * width
                let visible = Lp + start + r + 1
                let rowMax = maximum(row, count: visible)
                let sum = expShiftedSum(row, row, shift: rowMax, count: visible)
                for j in visible..<width { row[j] = 0 }
                inverseSums[r] = 1 / sum
                logSumExp?[start + r] = rowMax + log(sum)
            }
            let oBlock = o + start * outStride
            var beta: Float = 0
            if let prefix, Lp > 0 {
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(hs), Int32(Lp),
                            1, S, Int32(width), prefix.values, Int32(prefix.stride), 0, oBlock, Int32(outStride))
                beta = 1
            }
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(hs), Int32(ownKeys),
                        1, S + Lp, Int32(width), v, Int32(stride), beta, oBlock, Int32(outStride))
            for r in 0..<rows {
                let inverse = inverseSums[r]
                let outRow = oBlock + r * outStride
                for c in 0..<hs { outRow[c] *= inverse }
            }
        }
    }

    /// Backward of `segmentForward`: accumulates into dq, dk, dv (rows `stride` apart, like q, k,
    /// v) and into the prefix's key and value gradients.
    static func segmentBackward(qGradient dq: UnsafeMutablePointer<Float>, kGradient dk: UnsafeMutablePointer<Float>,
                                vGradient dv: UnsafeMutablePointer<Float>, outGradient dO: UnsafePointer<Float>,
                                out o: UnsafePointer<Float>, outStride: Int, logSumExp: UnsafePointer<Float>,
                                q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>, stride: Int,
                                rows n: Int, prefix: Prefix?, headSize hs: Int, scratch: UnsafeMutablePointer<Float>) {
        guard n > 0 else { return }
        let scale = 1 / Float(hs).squareRoot()
        let Lp = prefix?.length ?? 0
        let blockRows = min(self.blockRows, n)
        let kT = scratch
        let vT = kT + hs * n
        let P = vT + hs * n
        let dS = P + blockRows * (Lp + n)
        transpose(kT, k, rows: n, columns: hs, stride: stride)
        transpose(vT, v, rows: n, columns: hs, stride: stride)
        for start in Swift.stride(from: 0, to: n, by: blockRows) {
            let rows = min(blockRows, n - start)
            let ownKeys = start + rows
            let width = Lp + ownKeys
            let qBlock = q + start * stride
            let dOBlock = dO + start * outStride
            rowProducts(P, width: width, rows: rows, left: qBlock, leftStride: stride, alpha: scale,
                        prefixTransposed: prefix?.keysTransposed, prefixLength: Lp, ownTransposed: kT, ownStride: n,
                        ownColumns: ownKeys, inner: hs)
            rowProducts(dS, width: width, rows: rows, left: dOBlock, leftStride: outStride, alpha: 1,
                        prefixTransposed: prefix?.valuesTransposed, prefixLength: Lp, ownTransposed: vT, ownStride: n,
                        ownColumns: ownKeys, inner: hs)
            for r in 0..<rows {
                let i = start + r
                let row = P + r * width
                let dRow = dS + r * width
                let visible = Lp + i + 1
                let d = dot(dO + i * outStride, o + i * outStride, count: hs)
                softmaxGradientRow(probabilities: row, scoreGradients: dRow, logSumExp: logSumExp[i], d: d, count: visible)
                (row + visible).update(repeating: 0, count: width - visible)
                (dRow + visible).update(repeating: 0, count: width - visible)
            }
            let dqBlock = dq + start * stride
            if let prefix, Lp > 0 {
                cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(Lp), Int32(hs), Int32(rows),
                            1, P, Int32(width), dOBlock, Int32(outStride), 1, prefix.valueGradients!, Int32(prefix.stride))
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(hs), Int32(Lp),
                            scale, dS, Int32(width), prefix.keys, Int32(prefix.stride), 1, dqBlock, Int32(stride))
                cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(Lp), Int32(hs), Int32(rows),
                            scale, dS, Int32(width), qBlock, Int32(stride), 1, prefix.keyGradients!, Int32(prefix.stride))
            }
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(ownKeys), Int32(hs), Int32(rows),
                        1, P + Lp, Int32(width), dOBlock, Int32(outStride), 1, dv, Int32(stride))
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(hs), Int32(ownKeys),
                        scale, dS + Lp, Int32(width), k, Int32(stride), 1, dqBlock, Int32(stride))
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(ownKeys), Int32(hs), Int32(rows),
                        scale, dS + Lp, Int32(width), qBlock, Int32(stride), 1, dk, Int32(stride))
        }
    }

    /// out[rows, Lp + ownColumns] (rows `width` apart) = alpha·left·[prefixᵀ | ownᵀ]: the
    /// products of `rows` left rows with the prefix's columns first, then the first `ownColumns`
    /// own columns (scores Q·Kᵀ, or dO·Vᵀ in backward; both right operands stored transposed).
    @inline(__always)
    static func rowProducts(_ out: UnsafeMutablePointer<Float>, width: Int, rows: Int, left: UnsafePointer<Float>,
                            leftStride: Int, alpha: Float, prefixTransposed: UnsafePointer<Float>?, prefixLength Lp: Int,
                            ownTransposed: UnsafePointer<Float>, ownStride: Int, ownColumns: Int, inner hs: Int) {
        if let prefixTransposed, Lp > 0 {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(Lp), Int32(hs),
                        alpha, left, Int32(leftStride), prefixTransposed, Int32(Lp), 0, out, Int32(width))
        }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(ownColumns), Int32(hs),
                    alpha, left, Int32(leftStride), ownTransposed, Int32(ownStride), 0, out + Lp, Int32(width))
    }

    /// One row of the backward's softmax, in one pass: p = exp(s − lse) over the scores in
    /// `probabilities` (overwritten with p), dS = p·(dP − d) over the value products in
    /// `scoreGradients` (overwritten with dS).
    @inline(__always)
    static func softmaxGradientRow(probabilities row: UnsafeMutablePointer<Float>, scoreGradients dRow: UnsafeMutablePointer<Float>,
                                   logSumExp: Float, d: Float, count: Int) {
        let shifts = Float8(repeating: logSumExp), ds = Float8(repeating: d)
        var j = 0
        while j + 8 <= count {
            let p = exp8(UnsafeRawPointer(row + j).loadUnaligned(as: Float8.self) - shifts)
            let dP = UnsafeRawPointer(dRow + j).loadUnaligned(as: Float8.self)
            UnsafeMutableRawPointer(row + j).storeBytes(of: p, as: Float8.self)
            UnsafeMutableRawPointer(dRow + j).storeBytes(of: p * (dP - ds), as: Float8.self)
            j += 8
        }
        while j < count {
            let p = fastExp(row[j] - logSumExp)
            row[j] = p
            dRow[j] = p * (dRow[j] - d)
            j += 1
        }
    }

    /// Σ a[c]·b[c] for c < count (8 lanes, then across lanes).
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var lanes = Float8()
        var c = 0
        while c + 8 <= count {
            lanes.addProduct(UnsafeRawPointer(a + c).loadUnaligned(as: Float8.self), UnsafeRawPointer(b + c).loadUnaligned(as: Float8.self))
            c += 8
        }
        var total = lanes.sum()
        while c < count {
            total += a[c] * b[c]
            c += 1
        }
        return total
    }

    /// out[c, t] = inp[t·stride + c] for t < rows, c < columns (out is [columns, rows]): keys and
    /// values transposed per head, so Q·Kᵀ and dO·Vᵀ are plain products (faster in OpenBLAS's
    /// small-matrix kernels than the transposed-operand form).
    @inline(__always)
    static func transpose(_ out: UnsafeMutablePointer<Float>, _ inp: UnsafePointer<Float>, rows: Int, columns: Int, stride: Int) {
        for t in 0..<rows {
            let row = inp + t * stride
            for c in 0..<columns { out[c * rows + t] = row[c] }
        }
    }
}

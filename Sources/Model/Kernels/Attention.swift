import COpenBLAS
import Foundation

// Causal multi-head self-attention, per batch element and head, matrix products through sgemm.
// Shapes: qkv [B, T, 3C] (query | key | value, each C = NH·hs channels, head h at h·hs),
//         out [B, T, C], logSumExp [B, NH, T] (saved for backward instead of the [T, T]
//         attention matrix, which would not fit: 64·4·384² floats per layer).
// Legend: S = scale·Q·Kᵀ (scale = 1/√hs; Kᵀ copied out per head), P = softmax over j ≤ i of S[i, j], out = P·V.
// Rows are processed in blocks of `blockRows` queries; a block only multiplies against the keys
// it can see (0..<end of block), which skips most of the masked upper triangle.
// Backward recomputes P from S and logSumExp: dV += Pᵀ·dO, dP = dO·Vᵀ,
// dS = P ∘ (dP − D) with D[i] = dO[i]·O[i], dQ += scale·dS·K, dK += scale·dSᵀ·Q.

/// Forward/backward pair of causal self-attention (llm.c `attention_*`).
enum Attention {
    static let blockRows = 64

    static func forward(out: UnsafeMutablePointer<Float>, logSumExp: UnsafeMutablePointer<Float>?,
                               qkv: UnsafePointer<Float>, batchSize B: Int, sequenceLength T: Int,
                               channels C: Int, heads NH: Int) {
        let hs = C / NH
        let scale = 1 / Float(hs).squareRoot()
        let rowsPerBlock = min(blockRows, T)
        let workers = Parallel.workerCount(for: B * NH)
        let perWorker = rowsPerBlock * T + hs * T + rowsPerBlock
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: workers * perWorker)
        defer { scratch.deallocate() }
        Parallel.forEachChunk(count: B * NH) { worker, pairs in
            let S = scratch + worker * perWorker
            let kT = S + rowsPerBlock * T
            let inverseSums = kT + hs * T
            for pair in pairs {
                let b = pair / NH, h = pair % NH
                let q = qkv + b * T * 3 * C + h * hs
                let v = q + 2 * C
                transpose(kT, q + C, rows: T, columns: hs, stride: 3 * C)
                for start in stride(from: 0, to: T, by: rowsPerBlock) {
                    let rows = min(rowsPerBlock, T - start)
                    let keys = start + rows
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(keys), Int32(hs),
                                scale, q + start * 3 * C, Int32(3 * C), kT, Int32(T), 0, S, Int32(keys))
                    // Unnormalised weights e = exp(S − max); out = (e·V)/Σe, dividing the
                    // [rows, hs] product instead of the [rows, keys] weights.
                    for r in 0..<rows {
                        let row = S + r * keys
                        let visible = start + r + 1
                        let rowMax = maximum(row, count: visible)
                        let sum = expShiftedSum(row, row, shift: rowMax, count: visible)
                        for j in visible..<keys { row[j] = 0 }
                        inverseSums[r] = 1 / sum
                        logSumExp?[pair * T + start + r] = rowMax + log(sum)
                    }
                    let o = out + (b * T + start) * C + h * hs
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(hs), Int32(keys),
                                1, S, Int32(keys), v, Int32(3 * C), 0, o, Int32(C))
                    for r in 0..<rows {
                        let inverse = inverseSums[r]
                        for c in 0..<hs { o[r * C + c] *= inverse }
                    }
                }
            }
        }
    }

    /// Accumulates into dQKV. Needs the forward's qkv, out and logSumExp.
    static func backward(qkvGradient dQKV: UnsafeMutablePointer<Float>, outGradient dOut: UnsafePointer<Float>,
                                qkv: UnsafePointer<Float>, out: UnsafePointer<Float>,
                                logSumExp: UnsafePointer<Float>, batchSize B: Int, sequenceLength T: Int,
                                channels C: Int, heads NH: Int) {
        let hs = C / NH
        let scale = 1 / Float(hs).squareRoot()
        let rowsPerBlock = min(blockRows, T)
        let workers = Parallel.workerCount(for: B * NH)
        let perWorker = 2 * rowsPerBlock * T + 2 * hs * T
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: workers * perWorker)
        defer { scratch.deallocate() }
        Parallel.forEachChunk(count: B * NH) { worker, pairs in
            let P = scratch + worker * perWorker
            let dS = P + rowsPerBlock * T
            let kT = dS + rowsPerBlock * T
            let vT = kT + hs * T
            for pair in pairs {
                let b = pair / NH, h = pair % NH
                let q = qkv + b * T * 3 * C + h * hs
                let k = q + C
                let v = q + 2 * C
                let dq = dQKV + b * T * 3 * C + h * hs
                let dk = dq + C
                let dv = dq + 2 * C
                let o = out + b * T * C + h * hs
                let dO = dOut + b * T * C + h * hs
                transpose(kT, k, rows: T, columns: hs, stride: 3 * C)
                transpose(vT, v, rows: T, columns: hs, stride: 3 * C)
                for start in stride(from: 0, to: T, by: rowsPerBlock) {
                    let rows = min(rowsPerBlock, T - start)
                    let keys = start + rows
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(keys), Int32(hs),
                                scale, q + start * 3 * C, Int32(3 * C), kT, Int32(T), 0, P, Int32(keys))
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(keys), Int32(hs),
                                1, dO + start * C, Int32(C), vT, Int32(T), 0, dS, Int32(keys))
                    for r in 0..<rows {
                        let i = start + r
                        let row = P + r * keys
                        let dRow = dS + r * keys
                        let visible = i + 1
                        _ = expShiftedSum(row, row, shift: logSumExp[pair * T + i], count: visible)
                        var d: Float = 0
                        for c in 0..<hs { d += dO[i * C + c] * o[i * C + c] }
                        for j in 0..<visible { dRow[j] = row[j] * (dRow[j] - d) }
                        for j in visible..<keys {
                            row[j] = 0
                            dRow[j] = 0
                        }
                    }
                    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(keys), Int32(hs), Int32(rows),
                                1, P, Int32(keys), dO + start * C, Int32(C), 1, dv, Int32(3 * C))
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(hs), Int32(keys),
                                scale, dS, Int32(keys), k, Int32(3 * C), 1, dq + start * 3 * C, Int32(3 * C))
                    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(keys), Int32(hs), Int32(rows),
                                scale, dS, Int32(keys), q + start * 3 * C, Int32(3 * C), 1, dk, Int32(3 * C))
                }
            }
        }
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

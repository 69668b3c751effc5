import COpenBLAS

// Fully connected layer: a matrix product through cblas_sgemm (batch folded into rows) plus bias.
// Shapes: inp [N, C], weight [OC, C] (row-major, PyTorch layout), bias [OC] or nil, out [N, OC].
// out = inp · weightᵀ + bias
//
// The products are split across cores here (rows of out and dInp, output channels of dWeight),
// each part a single-threaded sgemm: every element is computed by one call, so results do not
// depend on the split, and OpenBLAS's own thread pool stays idle instead of spin-waiting
// against the other kernels' worker threads.

/// Forward/backward pair of the linear layer (llm.c `matmul_*`).
enum Linear {
    /// Products smaller than this (multiply-adds) run as one call.
    static let minimumParallelProduct = 1 << 18

    static func forward(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>,
                               weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                               rows N: Int, inChannels C: Int, outChannels OC: Int) {
        split(count: N, product: N * C * OC) { rows in
            let n0 = rows.lowerBound
            var beta: Float = 0
            if let bias {
                for n in rows { (out + n * OC).update(from: bias, count: OC) }
                beta = 1
            }
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows.count), Int32(OC), Int32(C),
                        1, inp + n0 * C, Int32(C), weight, Int32(C), beta, out + n0 * OC, Int32(OC))
        }
    }

    /// Accumulates dInp += dOut·weight, dWeight += dOutᵀ·inp, dBias += Σ_rows dOut.
    /// Pass nil for dInp when the input needs no gradient.
    static func backward(inpGradient dInp: UnsafeMutablePointer<Float>?,
                                weightGradient dWeight: UnsafeMutablePointer<Float>,
                                biasGradient dBias: UnsafeMutablePointer<Float>?,
                                outGradient dOut: UnsafePointer<Float>, inp: UnsafePointer<Float>,
                                weight: UnsafePointer<Float>,
                                rows N: Int, inChannels C: Int, outChannels OC: Int) {
        if let dInp {
            split(count: N, product: N * C * OC) { rows in
                let n0 = rows.lowerBound
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows.count), Int32(C), Int32(OC),
                            1, dOut + n0 * OC, Int32(OC), weight, Int32(C), 1, dInp + n0 * C, Int32(C))
            }
        }
        split(count: OC, product: N * C * OC) { channels in
            let o0 = channels.lowerBound
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(channels.count), Int32(C), Int32(N),
                        1, dOut + o0, Int32(OC), inp, Int32(C), 1, dWeight + o0 * C, Int32(C))
            if let dBias {
                for n in 0..<N {
                    let row = dOut + n * OC
                    for o in channels { dBias[o] += row[o] }
                }
            }
        }
    }

    /// Runs `body` over contiguous parts of 0..<count, one per worker (inline when small).
    private static func split(count: Int, product: Int, _ body: (Range<Int>) -> Void) {
        if product < minimumParallelProduct || count < 2 {
            body(0..<count)
        } else {
            Parallel.forEachChunk(count: count) { _, range in
                if !range.isEmpty { body(range) }
            }
        }
    }
}

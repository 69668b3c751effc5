import COpenBLAS

// Fully connected layer: a matrix product through cblas_sgemm (batch folded into rows) plus bias.
// Shapes: inp [N, C], weight [OC, C] (row-major, PyTorch layout), bias [OC] or nil, out [N, OC].
// out = inp · weightᵀ + bias

/// Forward/backward pair of the linear layer (llm.c `matmul_*`).
public enum Linear {
    public static func forward(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>,
                               weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                               rows N: Int, inChannels C: Int, outChannels OC: Int) {
        var beta: Float = 0
        if let bias {
            for n in 0..<N { (out + n * OC).update(from: bias, count: OC) }
            beta = 1
        }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(N), Int32(OC), Int32(C),
                    1, inp, Int32(C), weight, Int32(C), beta, out, Int32(OC))
    }

    /// Accumulates dInp += dOut·weight, dWeight += dOutᵀ·inp, dBias += Σ_rows dOut.
    /// Pass nil for dInp when the input needs no gradient.
    public static func backward(inpGradient dInp: UnsafeMutablePointer<Float>?,
                                weightGradient dWeight: UnsafeMutablePointer<Float>,
                                biasGradient dBias: UnsafeMutablePointer<Float>?,
                                outGradient dOut: UnsafePointer<Float>, inp: UnsafePointer<Float>,
                                weight: UnsafePointer<Float>,
                                rows N: Int, inChannels C: Int, outChannels OC: Int) {
        if let dInp {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(N), Int32(C), Int32(OC),
                        1, dOut, Int32(OC), weight, Int32(C), 1, dInp, Int32(C))
        }
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(OC), Int32(C), Int32(N),
                    1, dOut, Int32(OC), inp, Int32(C), 1, dWeight, Int32(C))
        if let dBias {
            for n in 0..<N {
                let row = dOut + n * OC
                for o in 0..<OC { dBias[o] += row[o] }
            }
        }
    }
}

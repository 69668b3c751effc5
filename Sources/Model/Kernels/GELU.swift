// GELU, tanh approximation, elementwise.
// Shapes: inp, out [N].
// gelu(x) = 0.5·x·(1 + tanh(u)), u = √(2/π)·(x + 0.044715·x³)
//         = x·σ(2u)      (σ the logistic function; one exp instead of a tanh)
// gelu'(x) = σ(2u) + x·σ(2u)·(1 − σ(2u))·2u'(x), u'(x) = √(2/π)·(1 + 3·0.044715·x²)

/// Forward/backward pair of the GELU activation (llm.c `gelu_*`).
enum GELU {
    static let scale: Float = 0.797_884_56   // √(2/π)
    static let cubic: Float = 0.044_715

    static func forward(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, count N: Int) {
        Parallel.forEachRange(count: N, work: N, alignment: 8) { _, range in
            forward(out: out + range.lowerBound, inp: inp + range.lowerBound, serialCount: range.count)
        }
    }

    static func forward(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, serialCount N: Int) {
        var i = 0
        while i + 8 <= N {
            let x = UnsafeRawPointer(inp + i).loadUnaligned(as: Float8.self)
            let u = scale * (x + cubic * x * x * x)
            let y = x / (1 + exp8(-2 * u))
            UnsafeMutableRawPointer(out + i).storeBytes(of: y, as: Float8.self)
            i += 8
        }
        while i < N {
            let x = inp[i]
            let u = scale * (x + cubic * x * x * x)
            out[i] = x / (1 + fastExp(-2 * u))
            i += 1
        }
    }

    /// Accumulates dInp += gelu'(inp)·dOut.
    static func backward(inpGradient dInp: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>,
                                outGradient dOut: UnsafePointer<Float>, count N: Int) {
        Parallel.forEachRange(count: N, work: N, alignment: 8) { _, range in
            let start = range.lowerBound
            backward(inpGradient: dInp + start, inp: inp + start, outGradient: dOut + start, serialCount: range.count)
        }
    }

    static func backward(inpGradient dInp: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>,
                         outGradient dOut: UnsafePointer<Float>, serialCount N: Int) {
        var i = 0
        while i + 8 <= N {
            let x = UnsafeRawPointer(inp + i).loadUnaligned(as: Float8.self)
            let dy = UnsafeRawPointer(dOut + i).loadUnaligned(as: Float8.self)
            let u = scale * (x + cubic * x * x * x)
            let sigma = 1 / (1 + exp8(-2 * u))
            let du = scale * (1 + 3 * cubic * x * x)
            let local = sigma + x * sigma * (1 - sigma) * 2 * du
            let old = UnsafeRawPointer(dInp + i).loadUnaligned(as: Float8.self)
            UnsafeMutableRawPointer(dInp + i).storeBytes(of: old + local * dy, as: Float8.self)
            i += 8
        }
        while i < N {
            let x = inp[i]
            let u = scale * (x + cubic * x * x * x)
            let sigma = 1 / (1 + fastExp(-2 * u))
            let du = scale * (1 + 3 * cubic * x * x)
            dInp[i] += (sigma + x * sigma * (1 - sigma) * 2 * du) * dOut[i]
            i += 1
        }
    }

    /// out = gelu(inp) and derivative = gelu'(inp) in one pass (one exp per element), for a
    /// backward that needs both the activation (weight gradient of the next layer) and the
    /// local derivative; the caller then forms dInp = derivative ∘ dOut.
    static func forwardWithDerivative(out: UnsafeMutablePointer<Float>, derivative: UnsafeMutablePointer<Float>,
                                      inp: UnsafePointer<Float>, count N: Int) {
        Parallel.forEachRange(count: N, work: N, alignment: 8) { _, range in
            var i = range.lowerBound
            while i + 8 <= range.upperBound {
                let x = UnsafeRawPointer(inp + i).loadUnaligned(as: Float8.self)
                let u = scale * (x + cubic * x * x * x)
                let sigma = 1 / (1 + exp8(-2 * u))
                let du = scale * (1 + 3 * cubic * x * x)
                UnsafeMutableRawPointer(out + i).storeBytes(of: x * sigma, as: Float8.self)
                UnsafeMutableRawPointer(derivative + i).storeBytes(of: sigma + x * sigma * (1 - sigma) * 2 * du, as: Float8.self)
                i += 8
            }
            while i < range.upperBound {
                let x = inp[i]
                let u = scale * (x + cubic * x * x * x)
                let sigma = 1 / (1 + fastExp(-2 * u))
                let du = scale * (1 + 3 * cubic * x * x)
                out[i] = x * sigma
                derivative[i] = sigma + x * sigma * (1 - sigma) * 2 * du
                i += 1
            }
        }
    }
}

// Residual connection, elementwise.
// Shapes: inp1, inp2, out [N].  out = inp1 + inp2

/// Forward/backward pair of the residual add (llm.c `residual_*`).
enum Residual {
    static func forward(out: UnsafeMutablePointer<Float>, inp1: UnsafePointer<Float>,
                               inp2: UnsafePointer<Float>, count N: Int) {
        for i in 0..<N { out[i] = inp1[i] + inp2[i] }
    }

    /// Accumulates dOut into both inputs' gradients.
    static func backward(inp1Gradient dInp1: UnsafeMutablePointer<Float>,
                                inp2Gradient dInp2: UnsafeMutablePointer<Float>,
                                outGradient dOut: UnsafePointer<Float>, count N: Int) {
        for i in 0..<N {
            dInp1[i] += dOut[i]
            dInp2[i] += dOut[i]
        }
    }
}

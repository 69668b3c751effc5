import XCTest
@testable import Basics
@testable import Model

/// Kernels that split work across cores give the same results for 1 and 2 threads (large
/// enough shapes to take the parallel path), and gradient accumulation over micro-batches equals
/// one full batch.
final class ParallelKernelTests: XCTestCase {
    private var savedThreadCount = 1
    override func setUp() { savedThreadCount = KernelSet.threadCount }
    override func tearDown() { KernelSet.setThreadCount(savedThreadCount) }

    func testResultsDoNotDependOnThreadCount() {
        var random = RandomGenerator(seed: 1)
        let N = 2 * 160, C = 128, B = 2, T = 160, NH = 4, V = 128
        let inp = FloatStorage(random: N * C, generator: &random)
        let weight = FloatStorage(random: C, generator: &random), bias = FloatStorage(random: C, generator: &random)
        let dOut = FloatStorage(random: N * C, generator: &random)
        let qkv = FloatStorage(random: N * 3 * C, generator: &random)
        let targets = (0..<N).map { Int32($0 % V) }
        func run(threads: Int) -> [[Float]] {
            KernelSet.setThreadCount(threads)
            let out = FloatStorage(N * C), mean = FloatStorage(N), rstd = FloatStorage(N)
            let dInp = FloatStorage(N * C), dWeight = FloatStorage(C), dBias = FloatStorage(C)
            LayerNorm.forward(out: out.pointer, mean: mean.pointer, rstd: rstd.pointer, inp: inp.pointer,
                              weight: weight.pointer, bias: bias.pointer, rows: N, channels: C)
            LayerNorm.backward(inpGradient: dInp.pointer, weightGradient: dWeight.pointer, biasGradient: dBias.pointer,
                               outGradient: dOut.pointer, inp: inp.pointer, weight: weight.pointer,
                               mean: mean.pointer, rstd: rstd.pointer, rows: N, channels: C)
            let gelu = FloatStorage(N * C), dGelu = FloatStorage(N * C)
            GELU.forward(out: gelu.pointer, inp: inp.pointer, count: N * C - 3)
            GELU.backward(inpGradient: dGelu.pointer, inp: inp.pointer, outGradient: dOut.pointer, count: N * C - 3)
            let attention = FloatStorage(N * C), logSumExp = FloatStorage(N * NH), dQKV = FloatStorage(N * 3 * C)
            Attention.forward(out: attention.pointer, logSumExp: logSumExp.pointer, qkv: qkv.pointer, batchSize: B,
                              sequenceLength: T, channels: C, heads: NH)
            Attention.backward(qkvGradient: dQKV.pointer, outGradient: dOut.pointer, qkv: qkv.pointer, out: attention.pointer,
                               logSumExp: logSumExp.pointer, batchSize: B, sequenceLength: T, channels: C, heads: NH)
            let logProbs = FloatStorage(N), entropies = FloatStorage(N), dLogits = FloatStorage(N * V)
            TokenLogProbs.forward(logProbs: logProbs.pointer, entropies: entropies.pointer, logits: inp.pointer,
                                  targets: targets, temperature: 0.8, rows: N, vocabularySize: V)
            TokenLogProbs.backward(logitGradients: dLogits.pointer, logProbGradients: rstd.pointer, entropyGradients: mean.pointer,
                                   logits: inp.pointer, targets: targets, temperature: 0.8, rows: N, vocabularySize: V)
            let linearOut = FloatStorage(N * 3 * C), dLinearInp = FloatStorage(N * C), dLinearWeight = FloatStorage(3 * C * C)
            Linear.forward(out: linearOut.pointer, inp: inp.pointer, weight: qkv.pointer, bias: dOut.pointer,
                           rows: N, inChannels: C, outChannels: 3 * C)
            Linear.backward(inpGradient: dLinearInp.pointer, weightGradient: dLinearWeight.pointer, biasGradient: dQKV.pointer,
                            outGradient: linearOut.pointer, inp: inp.pointer, weight: qkv.pointer,
                            rows: N, inChannels: C, outChannels: 3 * C)
            return [linearOut.array, dLinearInp.array, dLinearWeight.array, out.array, dInp.array, gelu.array, dGelu.array, attention.array, dQKV.array,
                    logProbs.array, entropies.array, dLogits.array, dWeight.array, dBias.array]
        }
        let one = run(threads: 1), two = run(threads: 2)
        let names = ["linear out", "linear dInp", "linear dWeight", "layernorm out", "layernorm dInp", "gelu", "gelu backward", "attention", "attention backward",
                     "log-probs", "entropies", "dLogits"]
        for (index, name) in names.enumerated() {
            XCTAssertEqual(one[index], two[index], "\(name) changed with the thread count")
        }
        // Row-summed weight gradients are added per worker: equal up to rounding.
        for index in 12...13 {
            for c in 0..<C { XCTAssertEqual(one[index][c], two[index][c], accuracy: 1e-3 * max(1, abs(one[index][c]))) }
        }
    }

    func testFewRowLinearIsSplitWithSameResults() {
        var random = RandomGenerator(seed: 2)
        let N = 64, C = 128, OC = 384
        let inp = FloatStorage(random: N * C, generator: &random)
        let weight = FloatStorage(random: OC * C, generator: &random), bias = FloatStorage(random: OC, generator: &random)
        func run(threads: Int) -> [Float] {
            KernelSet.setThreadCount(threads)
            let out = FloatStorage(N * OC)
            Linear.forward(out: out.pointer, inp: inp.pointer, weight: weight.pointer, bias: bias.pointer,
                           rows: N, inChannels: C, outChannels: OC)
            return out.array
        }
        let one = run(threads: 1), two = run(threads: 2)
        XCTAssertEqual(one, two)
        // Spot-check against a direct dot product.
        for (n, o) in [(0, 0), (17, 200), (63, 383)] {
            var expected = Double(bias.pointer[o])
            for c in 0..<C { expected += Double(inp.pointer[n * C + c]) * Double(weight.pointer[o * C + c]) }
            XCTAssertEqual(Double(two[n * OC + o]), expected, accuracy: 1e-3)
        }
    }

    func testMicroBatchedGradientsEqualFullBatch() {
        let config = ModelConfig(dim: 16, layers: 2, heads: 2, mlpDim: 32, context: 8)
        let model = Transformer(config: config, vocabularySize: 24, seed: 3)
        var random = RandomGenerator(seed: 4)
        let B = 4, T = 8, V = 24
        let tokens = (0..<(B * T)).map { _ in Int32(random.nextInt(below: V)) }
        let dLogits = FloatStorage(random: B * T * V, scale: 0.01, generator: &random)
        model.zeroGradients()
        _ = model.forward(tokens: tokens, batchSize: B, sequenceLength: T)
        model.backward(logitGradients: dLogits.pointer)
        let full = Array(model.gradients.buffer)
        model.zeroGradients()
        for half in 0..<2 {
            tokens.withUnsafeBufferPointer { _ = model.forward(tokens: $0.baseAddress! + half * 2 * T, batchSize: 2, sequenceLength: T) }
            model.backward(logitGradients: dLogits.pointer + half * 2 * T * V)
        }
        let accumulated = Array(model.gradients.buffer)
        var worst: Float = 0
        for i in 0..<full.count { worst = max(worst, abs(full[i] - accumulated[i]) / max(1e-3, abs(full[i]))) }
        XCTAssertLessThan(worst, 1e-3, "largest relative difference \(worst)")
    }
}

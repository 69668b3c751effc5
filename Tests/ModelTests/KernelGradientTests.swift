import XCTest
@testable import Basics
@testable import Model

/// Finite-difference checks of every layer kernel's backward, each on its own.
final class KernelGradientTests: XCTestCase {
    func testEmbeddingGradient() {
        var random = RandomGenerator(seed: 1)
        let B = 2, T = 3, C = 4, V = 5
        let tokens: [Int32] = [1, 4, 1, 0, 2, 4]
        let tokenTable = FloatStorage(random: V * C, generator: &random)
        let positionTable = FloatStorage(random: T * C, generator: &random)
        let out = FloatStorage(B * T * C), weights = FloatStorage(random: B * T * C, generator: &random)
        let dTokens = FloatStorage(V * C, fill: 0.5), dPositions = FloatStorage(T * C, fill: -0.25)
        let loss: () -> Double = {
            Embedding.forward(out: out.pointer, tokens: tokens, tokenTable: tokenTable.pointer,
                              positionTable: positionTable.pointer, batchSize: B, sequenceLength: T, channels: C)
            return weightedSum(out.pointer, weights.pointer, out.count)
        }
        _ = loss()
        Embedding.backward(tokenTableGradient: dTokens.pointer, positionTableGradient: dPositions.pointer,
                           outGradient: weights.pointer, tokens: tokens, batchSize: B, sequenceLength: T, channels: C)
        // Backward accumulates: remove the prefill before comparing.
        for i in 0..<dTokens.count { dTokens.pointer[i] -= 0.5 }
        for i in 0..<dPositions.count { dPositions.pointer[i] += 0.25 }
        checkGradient("embedding token table", input: tokenTable.pointer, analytic: dTokens.pointer,
                      indices: Array(0..<tokenTable.count), loss: loss)
        checkGradient("embedding position table", input: positionTable.pointer, analytic: dPositions.pointer,
                      indices: Array(0..<positionTable.count), loss: loss)
        XCTAssertEqual(dTokens.pointer[3 * C], 0, "token 3 never appears, so its row gets no gradient")
    }

    func testLayerNormGradient() {
        var random = RandomGenerator(seed: 2)
        let N = 5, C = 7
        let inp = FloatStorage(random: N * C, scale: 2, generator: &random)
        let weight = FloatStorage(random: C, generator: &random), bias = FloatStorage(random: C, generator: &random)
        let out = FloatStorage(N * C), mean = FloatStorage(N), rstd = FloatStorage(N)
        let weights = FloatStorage(random: N * C, generator: &random)
        let dInp = FloatStorage(N * C), dWeight = FloatStorage(C), dBias = FloatStorage(C)
        let loss: () -> Double = {
            LayerNorm.forward(out: out.pointer, mean: mean.pointer, rstd: rstd.pointer, inp: inp.pointer,
                              weight: weight.pointer, bias: bias.pointer, rows: N, channels: C)
            return weightedSum(out.pointer, weights.pointer, out.count)
        }
        _ = loss()
        LayerNorm.backward(inpGradient: dInp.pointer, weightGradient: dWeight.pointer, biasGradient: dBias.pointer,
                           outGradient: weights.pointer, inp: inp.pointer, weight: weight.pointer,
                           mean: mean.pointer, rstd: rstd.pointer, rows: N, channels: C)
        checkGradient("layernorm input", input: inp.pointer, analytic: dInp.pointer, indices: Array(0..<inp.count),
                      epsilon: 1e-2, relativeTolerance: 2e-2, absoluteTolerance: 2e-3, loss: loss)
        checkGradient("layernorm weight", input: weight.pointer, analytic: dWeight.pointer, indices: Array(0..<C), loss: loss)
        checkGradient("layernorm bias", input: bias.pointer, analytic: dBias.pointer, indices: Array(0..<C), loss: loss)
    }

    func testLinearGradient() {
        var random = RandomGenerator(seed: 3)
        let N = 6, C = 5, OC = 4
        let inp = FloatStorage(random: N * C, generator: &random)
        let weight = FloatStorage(random: OC * C, generator: &random), bias = FloatStorage(random: OC, generator: &random)
        let out = FloatStorage(N * OC), weights = FloatStorage(random: N * OC, generator: &random)
        let dInp = FloatStorage(N * C), dWeight = FloatStorage(OC * C), dBias = FloatStorage(OC)
        let loss: () -> Double = {
            Linear.forward(out: out.pointer, inp: inp.pointer, weight: weight.pointer, bias: bias.pointer,
                           rows: N, inChannels: C, outChannels: OC)
            return weightedSum(out.pointer, weights.pointer, out.count)
        }
        _ = loss()
        Linear.backward(inpGradient: dInp.pointer, weightGradient: dWeight.pointer, biasGradient: dBias.pointer,
                        outGradient: weights.pointer, inp: inp.pointer, weight: weight.pointer,
                        rows: N, inChannels: C, outChannels: OC)
        checkGradient("linear input", input: inp.pointer, analytic: dInp.pointer, indices: Array(0..<inp.count), loss: loss)
        checkGradient("linear weight", input: weight.pointer, analytic: dWeight.pointer, indices: Array(0..<weight.count), loss: loss)
        checkGradient("linear bias", input: bias.pointer, analytic: dBias.pointer, indices: Array(0..<OC), loss: loss)
        // Accumulation: a second backward doubles the gradients.
        let once = dWeight.array
        Linear.backward(inpGradient: dInp.pointer, weightGradient: dWeight.pointer, biasGradient: dBias.pointer,
                        outGradient: weights.pointer, inp: inp.pointer, weight: weight.pointer,
                        rows: N, inChannels: C, outChannels: OC)
        for i in 0..<once.count { XCTAssertEqual(dWeight.pointer[i], 2 * once[i], accuracy: 1e-5) }
    }

    private func checkAttention(batchSize B: Int, sequenceLength T: Int, heads NH: Int, headSize hs: Int, samples: Int, seed: UInt64) {
        var random = RandomGenerator(seed: seed)
        let C = NH * hs
        let qkv = FloatStorage(random: B * T * 3 * C, generator: &random)
        let out = FloatStorage(B * T * C), logSumExp = FloatStorage(B * NH * T)
        let weights = FloatStorage(random: B * T * C, generator: &random)
        let dQKV = FloatStorage(B * T * 3 * C)
        let loss: () -> Double = {
            Attention.forward(out: out.pointer, logSumExp: logSumExp.pointer, qkv: qkv.pointer, batchSize: B,
                              sequenceLength: T, channels: C, heads: NH)
            return weightedSum(out.pointer, weights.pointer, out.count)
        }
        _ = loss()
        Attention.backward(qkvGradient: dQKV.pointer, outGradient: weights.pointer, qkv: qkv.pointer, out: out.pointer,
                           logSumExp: logSumExp.pointer, batchSize: B, sequenceLength: T, channels: C, heads: NH)
        checkGradient("attention qkv (T \(T))", input: qkv.pointer, analytic: dQKV.pointer,
                      indices: sampleIndices(qkv.count, limit: samples, generator: &random),
                      epsilon: 1e-2, relativeTolerance: 2e-2, absoluteTolerance: 1e-3, loss: loss)
        // Causality: the value at the last position cannot influence earlier outputs.
        let before = out.array
        qkv.pointer[(T - 1) * 3 * C + 2 * C] += 5
        _ = loss()
        for t in 0..<(T - 1) { XCTAssertEqual(out.pointer[t * C], before[t * C], "position \(t) saw the future") }
    }

    func testAttentionGradient() {
        checkAttention(batchSize: 2, sequenceLength: 5, heads: 2, headSize: 3, samples: 180, seed: 4)
    }

    func testAttentionGradientAcrossRowBlocks() {
        // T larger than Attention.blockRows exercises the blocked causal path.
        checkAttention(batchSize: 1, sequenceLength: Attention.blockRows + 7, heads: 2, headSize: 2, samples: 80, seed: 5)
    }

    /// Shared-prefix attention against central differences: forward, backward, and a check of
    /// the gradient of Σ weights·out with respect to every (or `samples` of the) qkv entries.
    @discardableResult
    private func checkSharedPrefixAttention(_ batch: PrefixBatch, heads NH: Int, headSize hs: Int, samples: Int?,
                                            seed: UInt64) -> (qkv: FloatStorage, out: FloatStorage) {
        var random = RandomGenerator(seed: seed)
        let C = NH * hs, N = batch.rowCount
        let qkv = FloatStorage(random: N * 3 * C, generator: &random)
        let out = FloatStorage(N * C), logSumExp = FloatStorage(NH * N)
        let weights = FloatStorage(random: N * C, generator: &random)
        let dQKV = FloatStorage(N * 3 * C)
        let loss: () -> Double = {
            SharedPrefixAttention.forward(out: out.pointer, logSumExp: logSumExp.pointer, qkv: qkv.pointer, batch: batch,
                                          channels: C, heads: NH)
            return weightedSum(out.pointer, weights.pointer, out.count)
        }
        _ = loss()
        SharedPrefixAttention.backward(qkvGradient: dQKV.pointer, outGradient: weights.pointer, qkv: qkv.pointer,
                                       out: out.pointer, logSumExp: logSumExp.pointer, batch: batch, channels: C, heads: NH)
        checkGradient("shared-prefix attention qkv", input: qkv.pointer, analytic: dQKV.pointer,
                      indices: samples.map { sampleIndices(qkv.count, limit: $0, generator: &random) } ?? Array(0..<qkv.count),
                      epsilon: 1e-2, relativeTolerance: 2e-2, absoluteTolerance: 1e-3, loss: loss)
        _ = loss()   // out at the unperturbed input
        return (qkv, out)
    }

    /// Two groups (prompts of 4 and 3 rows, completions of 3, 0, 2 and 1 input rows), and each
    /// completion row equal to plain causal attention over its prompt + completion rows.
    func testSharedPrefixAttentionGradient() {
        let NH = 2, hs = 3, C = NH * hs
        let batch = PrefixBatch(prompts: [[1, 2, 3, 4], [5, 6, 7]], completions: [[1, 1, 1, 1], [2], [3, 3, 3], [4, 4]], groupSize: 2)
        let (qkv, out) = checkSharedPrefixAttention(batch, heads: NH, headSize: hs, samples: nil, seed: 6)
        for s in 0..<4 where batch.completionRows[s] > 0 {
            let group = batch.groups[s / 2]
            let rows = Array(group.promptStart..<(group.promptStart + group.promptLength))
                + Array(batch.completionStarts[s]..<(batch.completionStarts[s] + batch.completionRows[s]))
            let sequence = FloatStorage(rows.count * 3 * C), alone = FloatStorage(rows.count * C)
            for (t, row) in rows.enumerated() { (sequence.pointer + t * 3 * C).update(from: qkv.pointer + row * 3 * C, count: 3 * C) }
            Attention.forward(out: alone.pointer, logSumExp: nil, qkv: sequence.pointer, batchSize: 1,
                              sequenceLength: rows.count, channels: C, heads: NH)
            for (t, row) in rows.enumerated() {
                for c in 0..<C { XCTAssertEqual(out.pointer[row * C + c], alone.pointer[t * C + c], accuracy: 1e-5, "sequence \(s) row \(t)") }
            }
        }
    }

    func testSharedPrefixAttentionAcrossRowBlocks() {
        // A prompt and a completion longer than Attention.blockRows exercise the blocked path.
        let batch = PrefixBatch(prompts: [[Int32](repeating: 1, count: Attention.blockRows + 3)],
                                completions: [[Int32](repeating: 2, count: Attention.blockRows + 6)], groupSize: 1)
        checkSharedPrefixAttention(batch, heads: 1, headSize: 2, samples: 120, seed: 7)
    }

    func testPackedEmbeddingGradient() {
        var random = RandomGenerator(seed: 8)
        let N = 5, C = 3, V = 4, T = 6
        let tokens: [Int32] = [1, 3, 1, 0, 2], positions: [Int32] = [0, 1, 2, 1, 5]
        let tokenTable = FloatStorage(random: V * C, generator: &random)
        let positionTable = FloatStorage(random: T * C, generator: &random)
        let out = FloatStorage(N * C), weights = FloatStorage(random: N * C, generator: &random)
        let dTokens = FloatStorage(V * C), dPositions = FloatStorage(T * C)
        let loss: () -> Double = {
            Embedding.forward(out: out.pointer, tokens: tokens, positions: positions, tokenTable: tokenTable.pointer,
                              positionTable: positionTable.pointer, rows: N, channels: C)
            return weightedSum(out.pointer, weights.pointer, out.count)
        }
        _ = loss()
        Embedding.backward(tokenTableGradient: dTokens.pointer, positionTableGradient: dPositions.pointer,
                           outGradient: weights.pointer, tokens: tokens, positions: positions, rows: N, channels: C)
        checkGradient("packed embedding token table", input: tokenTable.pointer, analytic: dTokens.pointer,
                      indices: Array(0..<tokenTable.count), loss: loss)
        checkGradient("packed embedding position table", input: positionTable.pointer, analytic: dPositions.pointer,
                      indices: Array(0..<positionTable.count), loss: loss)
        XCTAssertEqual(dPositions.pointer[3 * C], 0, "position 3 is never used")
    }

    func testGELUGradient() {
        var random = RandomGenerator(seed: 6)
        let N = 21   // not a multiple of 8: vector body and scalar tail
        let inp = FloatStorage(random: N, scale: 2, generator: &random)
        let out = FloatStorage(N), weights = FloatStorage(random: N, generator: &random), dInp = FloatStorage(N)
        let loss: () -> Double = {
            GELU.forward(out: out.pointer, inp: inp.pointer, count: N)
            return weightedSum(out.pointer, weights.pointer, N)
        }
        _ = loss()
        GELU.backward(inpGradient: dInp.pointer, inp: inp.pointer, outGradient: weights.pointer, count: N)
        checkGradient("gelu", input: inp.pointer, analytic: dInp.pointer, indices: Array(0..<N),
                      epsilon: 1e-2, relativeTolerance: 1e-2, absoluteTolerance: 5e-4, loss: loss)
        // Against the tanh formula itself (recompute: the check left the last perturbed output).
        _ = loss()
        for i in 0..<N {
            let x = Double(inp.pointer[i])
            let reference = 0.5 * x * (1 + tanh(0.7978845608 * (x + 0.044715 * x * x * x)))
            XCTAssertEqual(Double(out.pointer[i]), reference, accuracy: 1e-5)
        }
    }

    func testResidualGradient() {
        var random = RandomGenerator(seed: 7)
        let N = 9
        let a = FloatStorage(random: N, generator: &random), b = FloatStorage(random: N, generator: &random)
        let out = FloatStorage(N), weights = FloatStorage(random: N, generator: &random)
        let dA = FloatStorage(N), dB = FloatStorage(N)
        let loss: () -> Double = {
            Residual.forward(out: out.pointer, inp1: a.pointer, inp2: b.pointer, count: N)
            return weightedSum(out.pointer, weights.pointer, N)
        }
        _ = loss()
        Residual.backward(inp1Gradient: dA.pointer, inp2Gradient: dB.pointer, outGradient: weights.pointer, count: N)
        checkGradient("residual first input", input: a.pointer, analytic: dA.pointer, indices: Array(0..<N), loss: loss)
        checkGradient("residual second input", input: b.pointer, analytic: dB.pointer, indices: Array(0..<N), loss: loss)
    }

    func testTokenLogProbsGradientWithTemperatureAndEntropy() {
        var random = RandomGenerator(seed: 8)
        let N = 4, V = 11
        let temperature: Float = 0.7
        let logits = FloatStorage(random: N * V, scale: 2, generator: &random)
        let targets: [Int32] = [3, 10, -1, 0]   // row 2 has no target
        let logProbs = FloatStorage(N), entropies = FloatStorage(N)
        let dLogProbs = FloatStorage(random: N, generator: &random), dEntropies = FloatStorage(random: N, generator: &random)
        let dLogits = FloatStorage(N * V)
        let loss: () -> Double = {
            TokenLogProbs.forward(logProbs: logProbs.pointer, entropies: entropies.pointer, logits: logits.pointer,
                                  targets: targets, temperature: temperature, rows: N, vocabularySize: V)
            return weightedSum(logProbs.pointer, dLogProbs.pointer, N) + weightedSum(entropies.pointer, dEntropies.pointer, N)
        }
        _ = loss()
        TokenLogProbs.backward(logitGradients: dLogits.pointer, logProbGradients: dLogProbs.pointer,
                               entropyGradients: dEntropies.pointer, logits: logits.pointer, targets: targets,
                               temperature: temperature, rows: N, vocabularySize: V)
        checkGradient("token log-probs + entropy", input: logits.pointer, analytic: dLogits.pointer,
                      indices: Array(0..<logits.count), epsilon: 5e-3, relativeTolerance: 1e-2,
                      absoluteTolerance: 5e-4, loss: loss)
        // Values against a Double reference.
        _ = loss()
        for n in 0..<N {
            let row = (0..<V).map { Double(logits.pointer[n * V + $0]) / Double(temperature) }
            let top = row.max()!
            let logZ = top + log(row.map { exp($0 - top) }.reduce(0, +))
            let entropy = -row.map { exp($0 - logZ) * ($0 - logZ) }.reduce(0, +)
            XCTAssertEqual(Double(entropies.pointer[n]), entropy, accuracy: 1e-5)
            let expected = targets[n] >= 0 ? row[Int(targets[n])] - logZ : 0
            XCTAssertEqual(Double(logProbs.pointer[n]), expected, accuracy: 1e-5)
        }
    }
}

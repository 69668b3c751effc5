import Basics
import Foundation

/// How the sampler picks tokens.
public struct SamplingSettings: Equatable, Sendable {
    /// Softmax temperature; 0 means greedy (argmax; log-probs then use temperature 1).
    public var temperature: Float
    /// Keep only the k most likely tokens (0 = off).
    public var topK: Int
    /// Keep the smallest set of most likely tokens whose probability reaches p (1 = off).
    public var topP: Float
    /// Completion budget; generation also stops when the context is full.
    public var maxNewTokens: Int
    /// Token sequences that end a completion (which then ends with the stop sequence).
    public var stopSequences: [[Int32]]

    public init(temperature: Float = 1, topK: Int = 0, topP: Float = 1, maxNewTokens: Int = 128,
                stopSequences: [[Int32]] = []) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.maxNewTokens = maxNewTokens
        self.stopSequences = stopSequences
    }
}

/// One generated completion.
public struct SampledCompletion: Equatable, Sendable {
    public enum Finish: String, Equatable, Sendable {
        /// The model emitted end-of-text (the last token).
        case endOfText
        /// The completion ends with one of the stop sequences.
        case stopSequence
        /// `maxNewTokens` reached or the context is full.
        case length
    }

    /// Generated tokens (prompt excluded).
    public var tokens: [Int32]
    /// log p(token) under softmax(logits / temperature) over the FULL vocabulary (not the
    /// top-k/top-p truncation the token was drawn from), as the GRPO loss uses it.
    public var logProbs: [Float]
    public var finish: Finish

    init(tokens: [Int32], logProbs: [Float], finish: Finish) {
        self.tokens = tokens
        self.logProbs = logProbs
        self.finish = finish
    }
}

/// Picks one token from a logits row and reports its log-prob under the full distribution.
enum TokenPicker {
    /// `probabilities` and `order` are scratch of V entries.
    static func pick(logits z: UnsafePointer<Float>, vocabularySize V: Int, settings: SamplingSettings,
                     random: inout RandomGenerator, probabilities: UnsafeMutablePointer<Float>,
                     order: UnsafeMutablePointer<Int32>) -> (token: Int32, logProb: Float) {
        let greedy = settings.temperature <= 0
        let inverseTemperature = greedy ? 1 : 1 / settings.temperature
        var top = -Float.infinity
        var best = 0
        for v in 0..<V where z[v] > top {
            top = z[v]
            best = v
        }
        // probabilities[v] = exp(z[v]/τ − top/τ), normalised (vectorised exp).
        for v in 0..<V { probabilities[v] = z[v] * inverseTemperature }
        let shift = top * inverseTemperature
        let sum = expShiftedSum(probabilities, probabilities, shift: shift, count: V)
        let logSum = log(sum)
        func logProb(_ v: Int) -> Float { z[v] * inverseTemperature - shift - logSum }
        if greedy { return (Int32(best), logProb(best)) }
        let inverseSum = 1 / sum
        for v in 0..<V { probabilities[v] *= inverseSum }

        let truncate = (settings.topK > 0 && settings.topK < V) || settings.topP < 1
        let u = Float(random.nextDouble())
        if !truncate {
            var cumulative: Float = 0
            var last = best
            for v in 0..<V where probabilities[v] > 0 {
                cumulative += probabilities[v]
                last = v
                if u < cumulative { return (Int32(v), logProb(v)) }
            }
            return (Int32(last), logProb(last))
        }
        // Most likely first (ties: lower id first), then cut to top-k and to the top-p nucleus.
        for v in 0..<V { order[v] = Int32(v) }
        var sorted = UnsafeMutableBufferPointer(start: order, count: V)
        sorted.sort { a, b in
            let pa = probabilities[Int(a)], pb = probabilities[Int(b)]
            return pa > pb || (pa == pb && a < b)
        }
        var kept = settings.topK > 0 ? min(settings.topK, V) : V
        if settings.topP < 1 {
            var cumulative: Float = 0
            for i in 0..<kept {
                cumulative += probabilities[Int(order[i])]
                if cumulative >= settings.topP {
                    kept = i + 1
                    break
                }
            }
        }
        var mass: Float = 0
        for i in 0..<kept { mass += probabilities[Int(order[i])] }
        let target = u * mass
        var cumulative: Float = 0
        for i in 0..<kept {
            cumulative += probabilities[Int(order[i])]
            if target < cumulative { return (order[i], logProb(Int(order[i]))) }
        }
        let last = Int(order[kept - 1])
        return (Int32(last), logProb(last))
    }
}

import Basics
import Foundation

/// Batched autoregressive generation with a key/value cache.
///
/// Each prompt is run through the model once (prefill); its cached keys and values are shared
/// (not copied) by the `completionsPerPrompt` sequences of its group, which then decode
/// together, one token per sequence per step, each at its own position. Deterministic for a given `RandomGenerator`
/// state (and BLAS thread count / kernel set): tokens are drawn in sequence order, one uniform
/// draw per sampled token.
public final class Sampler {
    public let model: Transformer
    public let endOfText: Int32
    private var decoder: KVCacheDecoder?

    /// `model` is used as it is at each `generate` call (parameters are read, not copied).
    public init(model: Transformer, endOfText: Int32) {
        self.model = model
        self.endOfText = endOfText
    }

    /// Frees the key/value cache (reallocated by the next `generate`).
    func releaseBuffers() { decoder = nil }

    /// Completions in prompt-major order: prompt 0's `completionsPerPrompt` completions first.
    /// Prompts must be non-empty and at most `context` tokens; a sequence never grows past the
    /// context (it then finishes with `.length`).
    public func generate(prompts: [[Int32]], completionsPerPrompt G: Int, settings: SamplingSettings,
                         random: inout RandomGenerator) -> [SampledCompletion] {
        precondition(G > 0, "completionsPerPrompt must be positive")
        let context = model.config.context, V = model.vocabularySize
        for (index, prompt) in prompts.enumerated() {
            precondition(!prompt.isEmpty && prompt.count <= context,
                         "prompt \(index) has \(prompt.count) tokens; it must have 1...\(context)")
        }
        let P = prompts.count
        if P == 0 { return [] }
        let S = P * G
        let lengths = prompts.map(\.count)
        let limits = lengths.map { min(max(0, settings.maxNewTokens), context - $0) }
        let longest = lengths.max()!
        let completionLength = limits.max()!
        if decoder == nil || !decoder!.fits(prompts: P, sequences: S, promptLength: longest, completionLength: completionLength) {
            decoder = nil
            decoder = KVCacheDecoder(model: model, prompts: P, sequences: S, promptLength: longest,
                                     completionLength: completionLength)
        }
        let decoder = decoder!

        var completions = [SampledCompletion](repeating: SampledCompletion(tokens: [], logProbs: [], finish: .length), count: S)
        var finished = [Bool](repeating: false, count: S)
        let probabilities = UnsafeMutablePointer<Float>.allocate(capacity: V)
        let order = UnsafeMutablePointer<Int32>.allocate(capacity: V)
        defer {
            probabilities.deallocate()
            order.deallocate()
        }

        func record(_ sequence: Int, logits: UnsafePointer<Float>, random: inout RandomGenerator) {
            let (token, logProb) = TokenPicker.pick(logits: logits, vocabularySize: V, settings: settings, random: &random,
                                                    probabilities: probabilities, order: order)
            completions[sequence].tokens.append(token)
            completions[sequence].logProbs.append(logProb)
            let tokens = completions[sequence].tokens
            if token == endOfText {
                completions[sequence].finish = .endOfText
                finished[sequence] = true
            } else if settings.stopSequences.contains(where: { !$0.isEmpty && tokens.count >= $0.count && tokens.suffix($0.count).elementsEqual($0) }) {
                completions[sequence].finish = .stopSequence
                finished[sequence] = true
            } else if tokens.count >= limits[sequence / G] {
                completions[sequence].finish = .length
                finished[sequence] = true
            }
        }

        // Prefill: every prompt once, right-padded with token 0 (never attended to).
        var padded = [Int32](repeating: 0, count: P * longest)
        for (p, prompt) in prompts.enumerated() {
            for (t, token) in prompt.enumerated() { padded[p * longest + t] = token }
        }
        let promptLogits = decoder.prefill(prompts: padded, lengths: lengths, paddedLength: longest, groupSize: G)
        for sequence in 0..<S {
            if limits[sequence / G] == 0 {
                finished[sequence] = true
                continue
            }
            record(sequence, logits: promptLogits + (sequence / G) * V, random: &random)
        }

        // Decode: one token per unfinished sequence per step.
        while true {
            let rows = (0..<S).filter { !finished[$0] }
            if rows.isEmpty { break }
            let tokens = rows.map { completions[$0].tokens.last! }
            let positions = rows.map { lengths[$0 / G] + completions[$0].tokens.count - 1 }
            let logits = decoder.step(rows: rows, tokens: tokens, positions: positions)
            for (r, sequence) in rows.enumerated() {
                record(sequence, logits: logits + r * V, random: &random)
            }
        }
        return completions
    }
}

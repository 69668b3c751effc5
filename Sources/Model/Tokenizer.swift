import Basics
import Foundation

/// Byte-level tokenizer: tokens 0–255 are bytes, 256 is end-of-text, and a BPE tokenizer adds
/// merged tokens from 257 on (token 257 + i is merge i, the concatenation of its pair).
///
/// Every `String` round-trips exactly: text is encoded as its UTF-8 bytes, chunked (see
/// `BPETraining.chunks`) and merged within chunks, so the tokens always spell the original bytes.
/// Saved with every checkpoint as `tokenizer.json`.
public final class Tokenizer: Codable {
    /// 256 bytes + end-of-text.
    static let byteVocabularySize = 257

    /// How BPE pre-tokenisation treats a space before a word (`BPETraining.chunks`).
    public enum SpaceHandling: String, ConfigOption {
        /// One space joins the run after it (" Paris"): fewer tokens, but a word after a space
        /// and the same word after a quote are different tokens.
        case glued
        /// A space is a symbol like `"` or `,`: it joins punctuation runs (`": "`) but never a
        /// word, so a word is the same tokens wherever it stands.
        case split
    }

    /// Merge i joins `merges[i].0` and `merges[i].1` into token 257 + i.
    public let merges: [(Int32, Int32)]
    /// Pre-tokenisation of spaces; part of the tokenizer (saved with it), since merges learned
    /// with one handling do not apply to chunks made with the other.
    public let spaces: SpaceHandling
    private let mergedToken: [UInt64: Int32]
    private let tokenBytes: [[UInt8]]

    /// Total number of tokens (bytes, end-of-text, merges).
    public var vocabularySize: Int { Tokenizer.byteVocabularySize + merges.count }
    /// End of text; also the padding token.
    public var endOfText: Int32 { 256 }
    /// "bytes" or "bpe".
    public var kind: ModelConfig.TokenizerKind { merges.isEmpty ? .bytes : .bpe }

    init(merges: [(Int32, Int32)], spaces: SpaceHandling = .glued) {
        self.merges = merges
        self.spaces = spaces
        var table: [[UInt8]] = (0..<256).map { [UInt8($0)] }
        table.append([])   // end-of-text spells nothing
        var lookup: [UInt64: Int32] = [:]
        for (index, pair) in merges.enumerated() {
            let token = Int32(Tokenizer.byteVocabularySize + index)
            table.append(table[Int(pair.0)] + table[Int(pair.1)])
            lookup[Tokenizer.key(pair.0, pair.1)] = token
        }
        tokenBytes = table
        mergedToken = lookup
    }

    /// The plain byte tokenizer (257 tokens).
    public static func bytes() -> Tokenizer { Tokenizer(merges: []) }

    /// Learns up to `vocabularySize − 257` merges from `corpus` (greedy most-frequent pair; ties
    /// to the smallest pair of token ids), deterministic for a given corpus. Stops early when no
    /// pair occurs twice.
    public static func trainBPE(corpus: [String], vocabularySize: Int, spaces: SpaceHandling = .glued) -> Tokenizer {
        Tokenizer(merges: BPETraining.learnMerges(corpus: corpus, mergeCount: max(0, vocabularySize - byteVocabularySize),
                                                  spaces: spaces),
                  spaces: spaces)
    }

    static func key(_ a: Int32, _ b: Int32) -> UInt64 { UInt64(UInt32(a)) << 32 | UInt64(UInt32(b)) }

    /// Tokens for `text` (never contains end-of-text).
    public func encode(_ text: String) -> [Int32] {
        let bytes = Array(text.utf8)
        if merges.isEmpty { return bytes.map { Int32($0) } }
        var output: [Int32] = []
        output.reserveCapacity(bytes.count)
        var word: [Int32] = []
        for range in BPETraining.chunks(bytes, spaces: spaces) {
            word.removeAll(keepingCapacity: true)
            for i in range { word.append(Int32(bytes[i])) }
            applyMerges(&word)
            output += word
        }
        return output
    }

    /// Merges in rank order until no adjacent pair has a merge.
    private func applyMerges(_ word: inout [Int32]) {
        while word.count > 1 {
            var best: Int32 = .max
            for i in 0..<(word.count - 1) {
                if let token = mergedToken[Tokenizer.key(word[i], word[i + 1])], token < best { best = token }
            }
            if best == .max { return }
            let pair = merges[Int(best) - Tokenizer.byteVocabularySize]
            var merged: [Int32] = []
            merged.reserveCapacity(word.count)
            var i = 0
            while i < word.count {
                if i + 1 < word.count && word[i] == pair.0 && word[i + 1] == pair.1 {
                    merged.append(best)
                    i += 2
                } else {
                    merged.append(word[i])
                    i += 1
                }
            }
            word = merged
        }
    }

    /// The bytes the tokens spell; end-of-text and ids outside the vocabulary spell nothing.
    public func bytes(of tokens: [Int32]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(tokens.count * 2)
        for token in tokens where token >= 0 && Int(token) < tokenBytes.count {
            output += tokenBytes[Int(token)]
        }
        return output
    }

    /// Text for any token stream; never traps. Invalid UTF-8 (e.g. a cut multi-byte character)
    /// becomes U+FFFD, the only lossy case.
    public func decode(_ tokens: [Int32]) -> String {
        String(decoding: bytes(of: tokens), as: UTF8.self)
    }

    // MARK: Codable: {"kind": "bytes"|"bpe", "vocabulary_size": n, "merges": [[a, b], …], "spaces": "glued"|"split"}
    // (`spaces` absent means glued: tokenizers saved before it existed.)

    enum CodingKeys: String, CodingKey {
        case kind
        case vocabularySize = "vocabulary_size"
        case merges
        case spaces
    }

    public convenience init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let pairs = try container.decodeIfPresent([[Int32]].self, forKey: .merges) ?? []
        var merges: [(Int32, Int32)] = []
        for (index, pair) in pairs.enumerated() {
            let limit = Int32(Tokenizer.byteVocabularySize + index)
            guard pair.count == 2, pair.allSatisfy({ $0 >= 0 && $0 < limit && $0 != 256 }) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .merges, in: container,
                    debugDescription: "merge \(index) is \(pair): expected two token ids below \(limit), not end-of-text (256)")
            }
            merges.append((pair[0], pair[1]))
        }
        self.init(merges: merges, spaces: try container.decodeIfPresent(SpaceHandling.self, forKey: .spaces) ?? .glued)
        if let size = try container.decodeIfPresent(Int.self, forKey: .vocabularySize), size != vocabularySize {
            throw DecodingError.dataCorruptedError(
                forKey: .vocabularySize, in: container,
                debugDescription: "vocabulary_size \(size) does not match 257 + \(merges.count) merges")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind.rawValue, forKey: .kind)
        try container.encode(vocabularySize, forKey: .vocabularySize)
        try container.encode(merges.map { [$0.0, $0.1] }, forKey: .merges)
        try container.encode(spaces, forKey: .spaces)
    }
}

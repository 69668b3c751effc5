import Basics
import Foundation

/// The shape of the decoder-only transformer and its tokenizer (`RunConfig.model`).
///
/// Keys are snake_case; every key is optional and falls back to the default shown on its
/// property. Encoding writes every field, so an encoded config is the resolved config.
public struct ModelConfig: Codable, Equatable, Sendable {
    /// Which tokenizer the run trains with.
    public enum TokenizerKind: String, ConfigOption {
        /// 256 byte tokens plus end-of-text.
        case bytes
        /// Byte-level BPE learned from the task corpus, `bpe_vocab` tokens in all.
        case bpe
    }

    /// Model width (channels per token). Default 128.
    public var dim: Int
    /// Number of transformer blocks. Default 4.
    public var layers: Int
    /// Attention heads per block; must divide `dim`. Default 4.
    public var heads: Int
    /// Hidden width of each block's MLP. Default 512.
    public var mlpDim: Int
    /// Longest sequence (prompt + completion) the model accepts: the number of position
    /// embeddings. Default 384.
    public var context: Int
    /// Default `bytes`.
    public var tokenizer: TokenizerKind
    /// Vocabulary size of the BPE tokenizer (bytes + end-of-text + merges); used only when
    /// `tokenizer` is `bpe`. Default 512.
    public var bpeVocab: Int
    /// BPE pre-tokenisation of spaces (`glued` or `split`, see `Tokenizer.SpaceHandling`); used
    /// only when `tokenizer` is `bpe`. Default `glued`.
    public var bpeSpaces: Tokenizer.SpaceHandling
    /// Standard deviation of the normal initialisation (GPT-2: 0.02). Default 0.02.
    public var initStd: Double

    public init(dim: Int = 128, layers: Int = 4, heads: Int = 4, mlpDim: Int = 512, context: Int = 384,
                tokenizer: TokenizerKind = .bytes, bpeVocab: Int = 512, bpeSpaces: Tokenizer.SpaceHandling = .glued,
                initStd: Double = 0.02) {
        self.dim = dim
        self.layers = layers
        self.heads = heads
        self.mlpDim = mlpDim
        self.context = context
        self.tokenizer = tokenizer
        self.bpeVocab = bpeVocab
        self.bpeSpaces = bpeSpaces
        self.initStd = initStd
    }

    /// Channels per attention head.
    var headDim: Int { dim / heads }

    enum CodingKeys: String, CodingKey {
        case dim, layers, heads
        case mlpDim = "mlp_dim"
        case context, tokenizer
        case bpeVocab = "bpe_vocab"
        case bpeSpaces = "bpe_spaces"
        case initStd = "init_std"
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = ModelConfig()
        func positive(_ key: CodingKeys, _ fallback: Int) throws -> Int {
            try container.decodeChecked(Int.self, forKey: key, default: fallback, requirement: "an integer ≥ 1") { $0 > 0 }
        }
        dim = try positive(.dim, defaults.dim)
        layers = try positive(.layers, defaults.layers)
        heads = try positive(.heads, defaults.heads)
        mlpDim = try positive(.mlpDim, defaults.mlpDim)
        context = try positive(.context, defaults.context)
        tokenizer = try container.decodeIfPresent(TokenizerKind.self, forKey: .tokenizer) ?? defaults.tokenizer
        bpeVocab = try container.decodeChecked(
            Int.self, forKey: .bpeVocab, default: defaults.bpeVocab,
            requirement: "an integer ≥ \(Tokenizer.byteVocabularySize) (256 bytes + end-of-text)"
        ) { $0 >= Tokenizer.byteVocabularySize }
        initStd = try container.decodeChecked(
            Double.self, forKey: .initStd, default: defaults.initStd, requirement: "a positive finite number"
        ) { $0.isFinite && $0 > 0 }
        bpeSpaces = try container.decodeIfPresent(Tokenizer.SpaceHandling.self, forKey: .bpeSpaces) ?? defaults.bpeSpaces
        guard dim % heads == 0 else {
            throw DecodingError.dataCorruptedError(
                forKey: .heads, in: container,
                debugDescription: "dim (\(dim)) must be divisible by heads (\(heads)); e.g. dim \(heads * max(1, dim / heads)) or heads \(largestDivisor(of: dim, atMost: heads))")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(dim, forKey: .dim)
        try container.encode(layers, forKey: .layers)
        try container.encode(heads, forKey: .heads)
        try container.encode(mlpDim, forKey: .mlpDim)
        try container.encode(context, forKey: .context)
        try container.encode(tokenizer.rawValue, forKey: .tokenizer)
        try container.encode(bpeVocab, forKey: .bpeVocab)
        try container.encode(initStd, forKey: .initStd)
        try container.encode(bpeSpaces, forKey: .bpeSpaces)
    }
}

private func largestDivisor(of value: Int, atMost limit: Int) -> Int {
    var candidate = max(1, min(limit, value))
    while value % candidate != 0 { candidate -= 1 }
    return candidate
}

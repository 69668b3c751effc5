import ToolUse

/// The `error_typed` preset's penalty per FC-RewardBench error class (`reward.error_weights`):
/// a completion failing with class c scores `−weight(c)`; a right one scores 1. The defaults
/// grade the classes from unusable (a bad format costs the most) to nearly right (a wrong value
/// costs the least); they are this project's choice, not a paper's.
struct ErrorWeights: Equatable, Sendable {
    var values: [CallError: Double]

    init() {
        values = [.badFormat: 1, .wrongCount: 0.8, .wrongName: 0.8, .missingParameter: 0.6,
                  .unexpectedParameter: 0.4, .wrongType: 0.4, .wrongValue: 0.2]
    }

    subscript(error: CallError) -> Double {
        get { values[error] ?? 0 }
        set { values[error] = newValue }
    }
}

extension ErrorWeights: Codable {
    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Reads the classes present; absent ones keep `defaults`. Each weight is a finite number ≥ 0.
    static func decode(_ container: KeyedDecodingContainer<Key>, defaults: ErrorWeights) throws -> ErrorWeights {
        var weights = defaults
        for error in CallError.allCases {
            let key = Key(stringValue: error.rawValue)
            guard let value = try container.decodeIfPresent(Double.self, forKey: key) else { continue }
            guard value.isFinite, value >= 0 else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container,
                    debugDescription: "\(value) is not allowed: expected a number ≥ 0 (a completion with this error scores minus it)")
            }
            weights[error] = value
        }
        return weights
    }

    init(from decoder: Decoder) throws {
        self = try Self.decode(try decoder.container(keyedBy: Key.self), defaults: ErrorWeights())
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for error in CallError.allCases { try container.encode(self[error], forKey: Key(stringValue: error.rawValue)) }
    }
}

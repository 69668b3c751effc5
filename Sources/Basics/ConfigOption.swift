/// A string-valued config option (an enum of named choices). Decoding an unknown value names
/// every allowed one, in the wording every config section shares:
/// `unknown value 'dapo2': expected one of grpo, bnpo, dr_grpo, dapo`.
public protocol ConfigOption: RawRepresentable, CaseIterable, Codable, Sendable where RawValue == String {}

extension ConfigOption {
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(rawValue: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: Self.unknownValueMessage(text)))
        }
        self = value
    }

    public func encode(to encoder: Encoder) throws {
        var single = encoder.singleValueContainer()
        try single.encode(rawValue)
    }

    /// "a, b, c", for messages.
    public static var allowedValues: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// The message for a value that is not one of the choices.
    public static func unknownValueMessage(_ text: String) -> String {
        "unknown value '\(text)': expected one of \(allowedValues)"
    }
}

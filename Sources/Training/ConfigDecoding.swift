import Foundation

/// Helpers for the hand-written `init(from:)` of config sections (docs/architecture.md, "Config
/// decoding"): every key is read with `decodeIfPresent` and bad values throw
/// `DecodingError.dataCorrupted` saying what is allowed.
extension KeyedDecodingContainer {
    /// A string-valued choice (`loss_type: dapo`), or `fallback` when the key is absent.
    func decodeChoice<Choice: RawRepresentable & CaseIterable>(
        _ type: Choice.Type, forKey key: Key, default fallback: Choice
    ) throws -> Choice where Choice.RawValue == String {
        guard let raw = try decodeIfPresent(String.self, forKey: key) else { return fallback }
        guard let value = Choice(rawValue: raw) else {
            let allowed = Choice.allCases.map(\.rawValue).joined(separator: ", ")
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self, debugDescription: "'\(raw)' is not allowed: expected one of \(allowed)")
        }
        return value
    }

    /// A number that must satisfy `isValid`; `requirement` completes "expected …".
    func decodeChecked<Value: Decodable>(
        _ type: Value.Type, forKey key: Key, default fallback: Value,
        requirement: String, isValid: (Value) -> Bool
    ) throws -> Value {
        let value = try decodeIfPresent(Value.self, forKey: key) ?? fallback
        guard isValid(value) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self, debugDescription: "\(value) is not allowed: expected \(requirement)")
        }
        return value
    }
}

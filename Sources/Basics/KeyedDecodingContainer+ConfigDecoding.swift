/// Helpers for the hand-written `init(from:)` of config sections (docs/architecture.md, "Config
/// decoding"): every key is read with `decodeIfPresent` and falls back to its default, and a bad
/// value throws `DecodingError.dataCorrupted` at its key saying what is allowed, in one wording:
/// `0 is not allowed: expected an integer ≥ 1`.
extension KeyedDecodingContainer {
    /// A value that must satisfy `isValid`, or `fallback` when the key is absent; `requirement`
    /// completes "expected …".
    public func decodeChecked<Value: Decodable>(
        _ type: Value.Type, forKey key: Key, default fallback: Value,
        requirement: String, isValid: (Value) -> Bool
    ) throws -> Value {
        let value = try decodeIfPresent(Value.self, forKey: key) ?? fallback
        guard isValid(value) else { throw invalidValue(value, forKey: key, expected: requirement) }
        return value
    }

    /// An optional value (nil when absent or null) that must satisfy `isValid` when present.
    public func decodeCheckedIfPresent<Value: Decodable>(
        _ type: Value.Type, forKey key: Key, requirement: String, isValid: (Value) -> Bool
    ) throws -> Value? {
        guard let value = try decodeIfPresent(Value.self, forKey: key) else { return nil }
        guard isValid(value) else { throw invalidValue(value, forKey: key, expected: requirement) }
        return value
    }

    /// The error for a value that decoded but is not allowed at `key`.
    func invalidValue(_ value: Any, forKey key: Key, expected requirement: String) -> DecodingError {
        DecodingError.dataCorruptedError(
            forKey: key, in: self, debugDescription: "\(value) is not allowed: expected \(requirement)")
    }
}

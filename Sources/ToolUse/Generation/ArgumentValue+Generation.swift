// The values the generator draws for tool parameters, before they become JSON.

/// A generated argument value (a subset of JSON: no objects, no null).
indirect enum ArgumentValue: Equatable, Sendable {
    case string(String)
    case integer(Int)
    case number(Double)
    case boolean(Bool)
    case array([ArgumentValue])
}

extension ArgumentValue {
    /// The value as JSON (`.number` becomes a double, so `2.0` is written `2.0`).
    var json: JSONValue {
        switch self {
        case .string(let text): return .string(text)
        case .integer(let whole): return .integer(whole)
        case .number(let number): return .double(number)
        case .boolean(let flag): return .bool(flag)
        case .array(let items): return .array(items.map(\.json))
        }
    }
}

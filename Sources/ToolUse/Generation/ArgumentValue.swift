// The values the generator draws for tool parameters, before they become JSON.

/// A generated argument value (a subset of JSON: no objects, no null).
indirect enum ArgumentValue: Equatable, Sendable {
    case string(String)
    case integer(Int)
    case number(Double)
    case boolean(Bool)
    case array([ArgumentValue])
}

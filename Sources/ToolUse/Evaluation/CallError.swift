// How a completion's calls fail against the gold calls, in the error classes FC-RewardBench
// labels (Agarwal et al. 2025, "ToolRM", arXiv 2509.11963): its rejected calls are tagged
// parsing error, incorrect function name, incorrect number of calls, missing required (or
// optional) parameter, unexpected parameter, parameter value type error and parameter value
// error. Here one class per completion: the first that applies in declaration order.

/// The reason a completion's calls are not the gold calls.
public enum CallError: String, CaseIterable, Sendable {
    /// Not a well-formed ToolRL answer (`ParsedCompletion.isWellFormed`: `<think>` then
    /// `<tool_call>` and/or `<response>`, nothing outside the blocks, every call line valid).
    case badFormat = "bad_format"
    /// A different number of calls than the gold (a call where none is wanted counts here).
    case wrongCount = "wrong_count"
    /// As many calls, but the called names differ from the gold's as a multiset.
    case wrongName = "wrong_name"
    /// A call lacks a parameter its gold call has. The gold names what the request needs, so
    /// FC-RewardBench's "missing required" and "missing optional" are one class here.
    case missingParameter = "missing_parameter"
    /// A call has a parameter its gold call does not.
    case unexpectedParameter = "unexpected_parameter"
    /// A parameter's value has another JSON type (number, string, boolean, null, array, object).
    case wrongType = "wrong_type"
    /// A parameter's value has the right type but is not equal.
    case wrongValue = "wrong_value"

    /// The first class that applies to `parsed` against `gold`, or nil when every call is right.
    /// `equal` decides value equality (evaluation: `strictEquals`; rewards: the spec's choice).
    /// Calls pair with same-name gold calls greedily, each gold call taking the prediction with the
    /// least severe difference; the completion's class is the most severe over the pairs.
    public static func classify(_ parsed: ParsedCompletion, gold: [ToolCall],
                                equal: (JSONValue, JSONValue) -> Bool) -> CallError? {
        guard parsed.isWellFormed else { return .badFormat }
        let predicted = parsed.calls
        guard predicted.count == gold.count else { return .wrongCount }
        guard Evaluator.sameMultiset(gold.map(\.name), predicted.map(\.name), equal: { $0.hasSameScalars(as: $1) }) else {
            return .wrongName
        }
        var used = [Bool](repeating: false, count: predicted.count)
        var worst: CallError?
        for call in gold {
            var best: (index: Int, error: CallError?)?
            for index in predicted.indices where !used[index] && predicted[index].name.hasSameScalars(as: call.name) {
                let error = difference(call, predicted[index], equal: equal)
                if best == nil || severity(error) > severity(best!.error) { best = (index, error) }
            }
            // The name multisets agree, so every gold call finds an unused same-name prediction.
            guard let (index, error) = best else { return .wrongName }
            used[index] = true
            if severity(error) < severity(worst) { worst = error }
        }
        return worst
    }

    /// The first difference between a gold call and a same-name prediction, or nil.
    static func difference(_ gold: ToolCall, _ predicted: ToolCall, equal: (JSONValue, JSONValue) -> Bool) -> CallError? {
        if gold.parameters.contains(where: { predicted.parameter($0.0) == nil }) { return .missingParameter }
        if predicted.parameters.contains(where: { gold.parameter($0.0) == nil }) { return .unexpectedParameter }
        var found: CallError?
        for (key, value) in gold.parameters {
            let other = predicted.parameter(key)!
            if equal(value, other) { continue }
            if typeCategory(value) != typeCategory(other) { return .wrongType }
            found = .wrongValue
        }
        return found
    }

    /// JSON types as FC-RewardBench's type error reads them: integers and floats are both numbers.
    static func typeCategory(_ value: JSONValue) -> Int {
        switch value {
        case .null: return 0
        case .bool: return 1
        case .integer, .double: return 2
        case .string: return 3
        case .array: return 4
        case .object: return 5
        }
    }

    /// Larger is less severe; nil (no error) is the least severe of all.
    static func severity(_ error: CallError?) -> Int {
        guard let error else { return allCases.count }
        return allCases.firstIndex(of: error)!
    }
}

// Checking a call against a tool's schema: the name, required parameters present, no unknown
// parameters, and each value of the declared type.

extension ToolDefinition {
    /// What is wrong with `call` for this tool; empty when it fits the schema. Integers are
    /// accepted for `number` parameters; booleans are never numbers.
    public func problems(with call: ToolCall) -> [String] {
        var found: [String] = []
        if !call.name.hasSameScalars(as: name) {
            found.append("call names \(call.name), not \(name)")
        }
        for parameter in parameters where parameter.isRequired && call.parameter(parameter.name) == nil {
            found.append("\(name): required parameter \(parameter.name) is missing")
        }
        for (key, value) in call.parameters {
            guard let parameter = parameter(named: key) else {
                found.append("\(name): unknown parameter \(key)")
                continue
            }
            if !parameter.type.accepts(value) {
                found.append("\(name).\(key): \(value.dumps()) is not of type \(parameter.type.compactName)")
            }
        }
        return found
    }
}

extension ParameterType {
    /// Whether `value` has this type (`.other` accepts anything).
    public func accepts(_ value: JSONValue) -> Bool {
        switch (self, value) {
        case (.string, .string): return true
        case (.integer, .integer): return true
        case (.number, .integer), (.number, .double): return true
        case (.boolean, .bool): return true
        case (.enumeration(let options), .string(let text)): return options.contains { $0.hasSameScalars(as: text) }
        case (.array(let element), .array(let items)): return items.allSatisfy(element.accepts)
        case (.other, _): return true
        default: return false
        }
    }
}

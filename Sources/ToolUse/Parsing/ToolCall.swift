/// One tool call: `{"name": "...", "parameters": {...}}`, parameters in their written order.
public struct ToolCall: Sendable, CustomStringConvertible {
    public var name: String
    public var parameters: [(String, JSONValue)]

    public init(name: String, parameters: [(String, JSONValue)]) {
        self.name = name
        self.parameters = parameters
    }

    /// Reads a decoded call line. Returns the reason when the value does not have the shape
    /// `{"name": string, "parameters": object}` (other top-level keys are ignored).
    public static func from(_ value: JSONValue) -> Result<ToolCall, ToolCallShapeError> {
        guard case .object = value else {
            return .failure(ToolCallShapeError("a tool call must be a JSON object, found \(value.typeName)"))
        }
        guard let nameValue = value["name"] else { return .failure(ToolCallShapeError("the call has no \"name\"")) }
        guard case .string(let name) = nameValue else {
            return .failure(ToolCallShapeError("\"name\" must be a string, found \(nameValue.typeName)"))
        }
        guard let parametersValue = value["parameters"] else {
            return .failure(ToolCallShapeError("the call to \(name) has no \"parameters\" (use {} for none)"))
        }
        guard case .object(let parameters) = parametersValue else {
            return .failure(ToolCallShapeError("\"parameters\" of \(name) must be an object, found \(parametersValue.typeName)"))
        }
        return .success(ToolCall(name: name, parameters: parameters))
    }

    /// The call as a JSON object, `{"name": ..., "parameters": {...}}`.
    public var json: JSONValue {
        .object([("name", .string(name)), ("parameters", .object(parameters))])
    }

    /// The `json.dumps` line for this call, as in ToolRL's gold answers.
    public var description: String { json.dumps() }

    /// The value of parameter `key`, if present.
    public func parameter(_ key: String) -> JSONValue? {
        // By index: binding each (key, value) pair would retain and release both.
        for index in parameters.indices where parameters[index].0.hasSameScalars(as: key) { return parameters[index].1 }
        return nil
    }

    /// Same name (code points) and Python-equal parameters, key order ignored.
    public func pythonEquals(_ other: ToolCall) -> Bool {
        name.hasSameScalars(as: other.name) && JSONValue.object(parameters).pythonEquals(.object(other.parameters))
    }

    /// Same name and type-aware-equal parameters (`JSONValue.strictEquals`), key order ignored.
    public func strictEquals(_ other: ToolCall) -> Bool {
        name.hasSameScalars(as: other.name) && JSONValue.object(parameters).strictEquals(.object(other.parameters))
    }
}

extension ToolCall: Equatable {
    /// Representation equality: same name, same parameters in the same order.
    public static func == (lhs: ToolCall, rhs: ToolCall) -> Bool {
        lhs.name.hasSameScalars(as: rhs.name) && JSONValue.object(lhs.parameters) == JSONValue.object(rhs.parameters)
    }
}

public struct ToolCallShapeError: Error, Equatable, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

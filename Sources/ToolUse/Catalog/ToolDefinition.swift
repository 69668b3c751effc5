// What a tool is: a name, a domain, a description and typed parameters. The same shape serves
// the generated catalogs and tools loaded from ToolRL data; the prompt renderers turn it into the
// ToolRL `Parameters:` JSON or a compact signature.

/// The type of one tool parameter.
public indirect enum ParameterType: Equatable, Sendable {
    case string
    case integer
    case number
    case boolean
    /// A string restricted to the listed values.
    case enumeration([String])
    /// A list whose elements all have the given type.
    case array(ParameterType)
    /// A type named in loaded data that has no case here (`dict`, `object`, …); not checked.
    case other(String)

    /// The name used in the ToolRL `Parameters:` JSON (`"type": "string"`).
    var schemaName: String {
        switch self {
        case .string, .enumeration: return "string"
        case .integer: return "integer"
        case .number: return "number"
        case .boolean: return "boolean"
        case .array: return "array"
        case .other(let name): return name
        }
    }

    /// The short form used by compact prompts: `str`, `int`, `float`, `bool`, `enum[a,b]`, `list[str]`.
    var compactName: String {
        switch self {
        case .string: return "str"
        case .integer: return "int"
        case .number: return "float"
        case .boolean: return "bool"
        case .enumeration(let options): return "enum[" + options.joined(separator: ",") + "]"
        case .array(let element): return "list[" + element.compactName + "]"
        case .other(let name): return name
        }
    }
}

/// One parameter of a tool.
public struct ToolParameter: Sendable {
    public var name: String
    public var type: ParameterType
    public var description: String
    var isRequired: Bool
    /// What the tool assumes when an optional parameter is left out: nil for required
    /// parameters, `.null` for optional ones without a stated default.
    var defaultValue: JSONValue?

    init(name: String, type: ParameterType, description: String, isRequired: Bool,
                defaultValue: JSONValue? = nil) {
        self.name = name
        self.type = type
        self.description = description
        self.isRequired = isRequired
        self.defaultValue = isRequired ? nil : (defaultValue ?? .null)
    }
}

/// A tool as listed in a prompt.
public struct ToolDefinition: Sendable {
    public var name: String
    /// The topic the tool belongs to (`weather`, `travel`, …); used for splits and distractors.
    var domain: String
    public var description: String
    public var parameters: [ToolParameter]

    init(name: String, domain: String, description: String, parameters: [ToolParameter]) {
        self.name = name
        self.domain = domain
        self.description = description
        self.parameters = parameters
    }

    /// The parameter called `name`, if any.
    public func parameter(named name: String) -> ToolParameter? {
        parameters.first { $0.name == name }
    }
}

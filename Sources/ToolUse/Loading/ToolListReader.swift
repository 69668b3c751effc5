// Reads the tool list of a ToolRL system prompt back into tool definitions, so that `compact`
// prompts can list what the real schemas say.
//
// A listed tool is three lines: `N. Name: …`, `Description: …`, `Parameters: {JSON}`. The
// parameters are `{name: {description, type, default?, enum?, items?, required?}}` (ToolRL's
// data) or a JSON schema `{"type": "object", "properties": {…}, "required": […]}`.
//
// Required or optional, first rule that applies (docs/config.md, "Tool lists"):
// 1. a JSON schema's `required` list, or a parameter's own `"required": true|false`;
// 2. an `optional` marker in the type (`"str, optional"`, `"Optional[int]"`) makes that parameter
//    optional, and in a tool that uses the marker, unmarked parameters are required (xLAM's
//    convention: there `default` holds an example value, not a default);
// 3. otherwise ToolRL's convention: every parameter carries `default`, and `""` (or no `default`
//    at all) means there is none, so the parameter is required; any other value, `null`
//    included, is the default of an optional parameter.

/// Reads tool lists from system prompts.
enum ToolListReader {
    /// Tools listed in a ToolRL system prompt, or nil when none can be read (e.g. Python-repr
    /// parameter dicts, which are not JSON).
    static func tools(inSystemPrompt system: String) -> [ToolDefinition]? {
        var tools: [ToolDefinition] = []
        var name: String? = nil
        var description = ""
        for rawLine in system.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(rawLine)
            if let found = listedName(line) {
                name = found
                description = ""
            } else if name != nil, line.hasPrefix("Description: ") {
                description = String(line.dropFirst("Description: ".count))
            } else if let toolName = name, line.hasPrefix("Parameters: ") {
                guard let json = try? JSONValue.parse(String(line.dropFirst("Parameters: ".count))),
                      let parameters = parameters(json) else { return nil }
                tools.append(ToolDefinition(name: toolName, domain: "data", description: description,
                                            parameters: parameters))
                name = nil
            }
        }
        return tools.isEmpty ? nil : tools
    }

    /// The name in a `12. Name: get_weather` line.
    static func listedName(_ line: String) -> String? {
        guard let dot = line.firstIndex(of: "."), !line[..<dot].isEmpty,
              line[..<dot].allSatisfy(\.isNumber) else { return nil }
        let rest = line[line.index(after: dot)...]
        guard rest.hasPrefix(" Name: ") else { return nil }
        return String(rest.dropFirst(" Name: ".count))
    }

    /// Parameters from `{param: {…}}` or a JSON schema, by the rules above; nil when a parameter
    /// is not an object.
    static func parameters(_ json: JSONValue) -> [ToolParameter]? {
        guard var pairs = json.objectPairs else { return nil }
        var requiredList: [String]? = nil
        if let properties = json["properties"]?.objectPairs, json["type"]?.stringValue == "object" {
            pairs = properties
            requiredList = (json["required"]?.arrayValue ?? []).compactMap(\.stringValue)
        }
        var declared: [(name: String, field: JSONValue, type: DeclaredType)] = []
        for (key, field) in pairs {
            guard case .object = field else { return nil }
            declared.append((key, field, declaredType(field["type"], items: field["items"]?["type"]?.stringValue)))
        }
        let toolUsesMarker = declared.contains { $0.type.markedOptional }
        return declared.map { name, field, declaredType in
            var type = declaredType.type
            if let options = field["enum"]?.arrayValue?.compactMap(\.stringValue), !options.isEmpty, type == .string {
                type = .enumeration(options)
            }
            let required: Bool
            let stated = field["default"]
            if let list = requiredList {
                required = list.contains(name)
            } else if case .bool(let flag)? = field["required"] {
                required = flag
            } else if declaredType.markedOptional {
                required = false
            } else if toolUsesMarker {
                required = true
            } else {
                required = stated == nil || stated == .string("")
            }
            let defaultValue = stated == .string("") ? nil : stated
            return ToolParameter(name: name, type: type, description: field["description"]?.stringValue ?? "",
                                 isRequired: required, defaultValue: defaultValue)
        }
    }

    /// A parameter's type as declared, and whether the declaration marks it optional.
    struct DeclaredType: Equatable {
        var type: ParameterType
        var markedOptional: Bool
    }

    /// The `type` field: a name (`"string"`, `"List[int]"`, `"str, optional"`), a list of names
    /// (a union, `["string", "integer"]`), or absent (`any`).
    static func declaredType(_ value: JSONValue?, items: String?) -> DeclaredType {
        switch value {
        case .string(let text)?:
            return declaredType(text, items: items)
        case .array(let names)?:
            let members = names.compactMap(\.stringValue).map { declaredType($0, items: nil) }
            let kept = members.filter { $0.type != .other("None") && $0.type != .other("null") }
            let optional = kept.count < members.count || members.contains { $0.markedOptional }
            if kept.count == 1 { return DeclaredType(type: kept[0].type, markedOptional: optional) }
            return DeclaredType(type: .other(kept.map(\.type.compactName).joined(separator: "|")), markedOptional: optional)
        default:
            return DeclaredType(type: .other("any"), markedOptional: false)
        }
    }

    static func declaredType(_ text: String, items: String?) -> DeclaredType {
        var name = PythonText.strip(text)
        var optional = false
        for suffix in [", optional", ",optional", " optional"] where name.lowercased().hasSuffix(suffix) {
            name = PythonText.strip(String(name.dropLast(suffix.count)))
            optional = true
            break
        }
        if name.hasPrefix("Optional["), name.hasSuffix("]") {
            name = String(name.dropFirst("Optional[".count).dropLast())
            optional = true
        }
        return DeclaredType(type: parameterType(name, items: items), markedOptional: optional)
    }

    /// A type name in JSON-schema or Python spelling.
    static func parameterType(_ name: String, items: String?) -> ParameterType {
        let lowered = name.lowercased()
        switch lowered {
        case "string", "str": return .string
        case "integer", "int": return .integer
        case "number", "float", "double": return .number
        case "boolean", "bool": return .boolean
        case "array", "list", "tuple": return .array(items.map { parameterType($0, items: nil) } ?? .other("any"))
        default:
            for prefix in ["list[", "array[", "tuple["] where lowered.hasPrefix(prefix) && lowered.hasSuffix("]") {
                let inner = name.dropFirst(prefix.count).dropLast()
                return .array(parameterType(String(inner), items: nil))
            }
            return .other(name)
        }
    }
}

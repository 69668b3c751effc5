// The text fed to the policy for one item. Both styles share Ablate's chat frame:
//
//     <|system|>
//     {system text}
//     <|user|>
//     {user text}
//     <|assistant|>
//
// and the completion (the gold answer during SFT) follows the final newline. `toolrl` reproduces
// ToolRL's system prompt (`rlla_qwen.py::SYS` in ToolRL's code) and its flattened user
// history; `compact` keeps only signatures and the request, for small byte-level policies;
// `compact_described` adds each parameter's description under its tool's signature.

/// Renders prompts.
enum PromptRenderer {
    static let systemCue = "<|system|>\n"
    static let userCue = "\n<|user|>\n"
    /// Ends every prompt; the completion starts right after it.
    static let assistantCue = "\n<|assistant|>\n"

    /// The full prompt for a single-turn request.
    static func render(tools: [ToolDefinition], request: String, style: PromptStyle) -> String {
        switch style {
        case .toolrl:
            return frame(system: toolRLSystem(tools: tools), user: toolRLUser(request: request))
        case .compact, .compactDescribed:
            return frame(system: compactSystem(tools: tools, described: style == .compactDescribed), user: request)
        }
    }

    /// The chat frame around a system and a user text.
    static func frame(system: String, user: String) -> String {
        systemCue + system + userCue + user + assistantCue
    }

    // MARK: ToolRL style

    /// ToolRL's system prompt with `tools` listed as `1. Name: …\nDescription: …\nParameters: {…}`.
    static func toolRLSystem(tools: [ToolDefinition]) -> String {
        let list = tools.enumerated().map { index, tool in
            String(index + 1) + ". Name: " + tool.name + "\nDescription: " + tool.description
                + "\nParameters: " + parametersJSON(tool).dumps()
        }.joined(separator: "\n")
        return toolRLPreamble + list + toolRLInstructions
    }

    /// ToolRL's user part for a first turn: `**Dialogue Records History**\n<user> … </user>`.
    static func toolRLUser(request: String) -> String {
        "**Dialogue Records History**\n<user> " + request + " </user>"
    }

    /// The `Parameters:` object: per parameter its description, type (`enum` and `items` where
    /// they apply) and, for optional parameters only, `default` (null when none is stated).
    /// Required parameters are the ones without a `default`, as in ToolRL's ToolACE data.
    static func parametersJSON(_ tool: ToolDefinition) -> JSONValue {
        .object(tool.parameters.map { parameter in
            var fields: [(String, JSONValue)] = [
                ("description", .string(parameter.description)),
                ("type", .string(parameter.type.schemaName)),
            ]
            if case .enumeration(let options) = parameter.type {
                fields.append(("enum", .array(options.map { .string($0) })))
            }
            if case .array(let element) = parameter.type {
                fields.append(("items", .object([("type", .string(element.schemaName))])))
            }
            if let value = parameter.defaultValue {
                fields.append(("default", value))
            }
            return (parameter.name, .object(fields))
        })
    }

    static let toolRLPreamble = """
        You are a helpful multi-turn dialogue assistant capable of leveraging tool calls to solve user tasks and provide structured chat responses.

        **Available Tools**
        In your response, you can use the following tools:

        """

    static let toolRLInstructions = """


        **Steps for Each Turn**
        1. **Think:** Recall relevant context and analyze the current user goal.
        2. **Decide on Tool Usage:** If a tool is needed, specify the tool and its parameters.
        3. **Respond Appropriately:** If a response is needed, generate one while maintaining consistency across user queries.

        **Output Format**
        ```plaintext
        <think> Your thoughts and reasoning </think>
        <tool_call>
        {"name": "Tool name", "parameters": {"Parameter name": "Parameter content", "... ...": "... ..."}}
        {"name": "... ...", "parameters": {"... ...": "... ...", "... ...": "... ..."}}
        ...
        </tool_call>
        <response> AI's final response </response>
        ```

        **Important Notes**
        1. You must always include the `<think>` field to outline your reasoning. Provide at least one of `<tool_call>` or `<response>`. Decide whether to use `<tool_call>` (possibly multiple times), `<response>`, or both.
        2. You can invoke multiple tool calls simultaneously in the `<tool_call>` fields. Each tool call should be a JSON object with a "name" field and an "parameters" field containing a dictionary of parameters. If no parameters are needed, leave the "parameters" field an empty dictionary.
        3. Refer to the previous dialogue records in the history, including the user's queries, previous `<tool_call>`, `<response>`, and any tool feedback noted as `<obs>` (if exists).
        """

    // MARK: Compact style

    /// One line per tool: `name(param: type, optional?: type) - description`; with `described`,
    /// followed by one indented line per parameter that has a description or a stated default:
    /// `  unit: Temperature unit (default "celsius")`.
    static func compactSystem(tools: [ToolDefinition], described: Bool = false) -> String {
        "Tools:\n" + tools.map { tool in
            guard described else { return compactSignature(tool) }
            return ([compactSignature(tool)] + tool.parameters.compactMap(parameterLine)).joined(separator: "\n")
        }.joined(separator: "\n")
    }

    static func parameterLine(_ parameter: ToolParameter) -> String? {
        var text = PythonText.strip(parameter.description)
        if let value = parameter.defaultValue, !value.isNull {
            text += (text.isEmpty ? "" : " ") + "(default " + value.dumps() + ")"
        }
        return text.isEmpty ? nil : "  " + parameter.name + ": " + text
    }

    /// `get_forecast(city: str, days: int, unit?: enum[celsius,fahrenheit]) - Get a daily weather forecast for a city.`
    static func compactSignature(_ tool: ToolDefinition) -> String {
        let parameters = tool.parameters.map { parameter in
            parameter.name + (parameter.isRequired ? "" : "?") + ": " + parameter.type.compactName
        }.joined(separator: ", ")
        return tool.name + "(" + parameters + ") - " + tool.description
    }
}

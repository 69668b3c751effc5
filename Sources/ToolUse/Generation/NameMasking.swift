// Masking tool and parameter names with random identifiers, as ToolRL's Hammer data does, so a
// policy cannot rely on remembered names and must read the tool list. One masking is drawn per
// item and applied to the listed tools and the gold calls alike.

import Basics

/// A renaming of tools and their parameters for one item.
struct NameMasking {
    private(set) var toolNames: [String: String] = [:]
    /// Per original tool name: original parameter name → masked name.
    private(set) var parameterNames: [String: [String: String]] = [:]

    /// Draws fresh identifiers for `tools`: tool names of 6–8 characters, parameter names of
    /// 4–6, lower-case letters and digits starting with a letter, all distinct within the item
    /// and never equal to a real name.
    init(tools: [ToolDefinition], random: inout SeededRandom) {
        var taken = Set(tools.map(\.name))
        for tool in tools { taken.formUnion(tool.parameters.map(\.name)) }
        for tool in tools where toolNames[tool.name] == nil {
            toolNames[tool.name] = Self.identifier(length: random.integer(in: 6...8), avoiding: &taken, random: &random)
            var renames: [String: String] = [:]
            for parameter in tool.parameters {
                renames[parameter.name] = Self.identifier(length: random.integer(in: 4...6), avoiding: &taken,
                                                          random: &random)
            }
            parameterNames[tool.name] = renames
        }
    }

    /// The tool as listed under masked names (descriptions, types and defaults unchanged).
    func apply(to tool: ToolDefinition) -> ToolDefinition {
        var masked = tool
        masked.name = toolNames[tool.name] ?? tool.name
        let renames = parameterNames[tool.name] ?? [:]
        masked.parameters = tool.parameters.map { parameter in
            var copy = parameter
            copy.name = renames[parameter.name] ?? parameter.name
            return copy
        }
        return masked
    }

    /// The call under masked names (values unchanged).
    func apply(to call: ToolCall) -> ToolCall {
        let renames = parameterNames[call.name] ?? [:]
        return ToolCall(name: toolNames[call.name] ?? call.name,
                        parameters: call.parameters.map { (renames[$0.0] ?? $0.0, $0.1) })
    }

    private static let letters = Array("abcdefghijklmnopqrstuvwxyz")
    private static let characters = Array("abcdefghijklmnopqrstuvwxyz0123456789")

    private static func identifier(length: Int, avoiding taken: inout Set<String>,
                                   random: inout SeededRandom) -> String {
        while true {
            var name = String(random.pick(letters))
            for _ in 1..<length { name.append(random.pick(characters)) }
            if taken.insert(name).inserted { return name }
        }
    }
}

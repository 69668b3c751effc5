// Writing items as ToolRL raw records (`{"instruction", "input", "output"}`, its released data), so
// generated data can be inspected, scored with other tools, or loaded back with `ToolRLLoader`.

/// Exports items in ToolRL's raw format.
enum ToolRLExport {
    /// One record per item: ToolRL's system prompt for the item's tools, its user part and gold.
    static func record(_ item: TaskItem) -> JSONValue {
        .object([
            ("instruction", .string(PromptRenderer.toolRLSystem(tools: item.tools))),
            ("input", .string(PromptRenderer.toolRLUser(request: item.request))),
            ("output", .string(item.gold)),
        ])
    }

    /// A JSON array of records, one per line (`json.dumps` spacing), readable by `ToolRLLoader`.
    static func document(_ items: [TaskItem]) -> String {
        "[\n" + items.map { record($0).dumps() }.joined(separator: ",\n") + "\n]\n"
    }
}

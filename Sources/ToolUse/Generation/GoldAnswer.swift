// Gold answers in ToolRL's exact output format (docs/rewards.md, "Format"): a placeholder
// thought, then the calls one `json.dumps` line each, and/or a response.

/// Writes gold answers.
enum GoldAnswer {
    /// ToolRL's placeholder thought when the gold answer calls a tool.
    static let callThought =
        "I should use the appropriate tool with proper parameters to respond to the user's need."
    /// ToolRL's placeholder thought when the gold answer is a response only.
    static let responseThought = "I should directly respond to the user's need."

    /// `<think> … </think>`, then `<tool_call>` with one JSON line per call when there are calls,
    /// then `<response> … </response>` when `response` is given. At least one must be present.
    static func render(calls: [ToolCall], response: String?) -> String {
        precondition(!calls.isEmpty || response != nil, "a gold answer needs a call or a response")
        var text = "<think> " + (calls.isEmpty ? responseThought : callThought) + " </think>"
        if !calls.isEmpty {
            text += "\n<tool_call>\n"
            text += calls.map { $0.json.dumps() }.joined(separator: "\n")
            text += "\n</tool_call>"
        }
        if let response {
            text += "\n<response> " + response + " </response>"
        }
        return text
    }
}

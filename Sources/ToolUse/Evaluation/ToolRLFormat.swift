// ToolRL's format check (docs/rewards.md, "Format"; `rlla.py::customize_format_reward_func`): the
// gold answer's layout picks one of four patterns, applied with DOTALL to the stripped text.
//
//   response only   ^<think>.*?</think>\n<response>.*?</response>$                 + one <response>, one </response>
//   tool call only  ^<think>.*?</think>\n<tool_call>\n.*?\n</tool_call>$           + one <tool_call>, one </tool_call>
//   both            ^<think>.*?</think>\n<tool_call>\n.*?\n</tool_call>\n<response>.*?</response>$  + one of each
//   neither         ^<think>.*?</think>$
//
// With DOTALL every `.*?` matches anything, so each pattern holds exactly when the text starts
// and ends with its fixed ends and the fixed middle pieces occur, in order, without overlapping
// each other or the ends. That is what `matches` checks, on bytes, without a regex engine.
// (Python's `$` also matches before one final newline; the stripped text has none.)

/// Which blocks a gold answer has, which selects the format pattern.
enum AnswerLayout: Sendable, Equatable {
    case responseOnly, toolCallOnly, toolCallAndResponse, neither

    /// The layout of `gold` by the presence of `<tool_call>` and `<response>`, as ToolRL decides.
    init(gold: String) {
        let call = gold.contains("<tool_call>")
        let response = gold.contains("<response>")
        switch (call, response) {
        case (true, true): self = .toolCallAndResponse
        case (true, false): self = .toolCallOnly
        case (false, true): self = .responseOnly
        case (false, false): self = .neither
        }
    }
}

/// The ToolRL format check.
enum ToolRLFormat {
    /// Whether `completion` (the assistant text) has the format `layout` requires.
    static func matches(_ completion: String, layout: AnswerLayout) -> Bool {
        let text = Array(PythonText.strip(completion).utf8)
        let pieces: [String]
        let closing: String
        switch layout {
        case .responseOnly:
            guard count("<response>", in: text) == 1, count("</response>", in: text) == 1 else { return false }
            pieces = ["</think>\n<response>"]
            closing = "</response>"
        case .toolCallOnly:
            guard count("<tool_call>", in: text) == 1, count("</tool_call>", in: text) == 1 else { return false }
            pieces = ["</think>\n<tool_call>\n"]
            closing = "\n</tool_call>"
        case .toolCallAndResponse:
            for tag in ["<tool_call>", "</tool_call>", "<response>", "</response>"] where count(tag, in: text) != 1 {
                return false
            }
            pieces = ["</think>\n<tool_call>\n", "\n</tool_call>\n<response>"]
            closing = "</response>"
        case .neither:
            pieces = []
            closing = "</think>"
        }
        let opening = Array("<think>".utf8)
        let end = Array(closing.utf8)
        guard text.count >= opening.count + end.count,
              text.starts(with: opening), text.suffix(end.count).elementsEqual(end) else { return false }
        // Leftmost placement of each middle piece is optimal for fitting the later ones.
        var position = opening.count
        let limit = text.count - end.count
        for piece in pieces {
            guard let found = find(Array(piece.utf8), in: text, from: position, before: limit) else { return false }
            position = found + piece.utf8.count
        }
        return position <= limit
    }

    private static func count(_ needle: String, in text: [UInt8]) -> Int {
        let bytes = Array(needle.utf8)
        var total = 0
        var position = 0
        while let found = find(bytes, in: text, from: position, before: text.count) {
            total += 1
            position = found + bytes.count
        }
        return total
    }

    /// First index ≥ `start` where `needle` lies entirely before `limit`.
    private static func find(_ needle: [UInt8], in text: [UInt8], from start: Int, before limit: Int) -> Int? {
        guard !needle.isEmpty, start + needle.count <= limit else { return nil }
        var index = start
        while index + needle.count <= limit {
            if text[index] == needle[0], text[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}

/// The six ToolRL tags.
public enum CompletionTag: Int, CaseIterable, Sendable {
    case thinkOpen, thinkClose, toolCallOpen, toolCallClose, responseOpen, responseClose

    public var text: String { String(describing: staticText) }

    var staticText: StaticString {
        switch self {
        case .thinkOpen: return "<think>"
        case .thinkClose: return "</think>"
        case .toolCallOpen: return "<tool_call>"
        case .toolCallClose: return "</tool_call>"
        case .responseOpen: return "<response>"
        case .responseClose: return "</response>"
        }
    }
}

/// How often each tag occurs anywhere in the text (Python `str.count`).
public struct TagCounts: Equatable, Sendable {
    var counts: [Int] = Array(repeating: 0, count: CompletionTag.allCases.count)

    init() {}

    public subscript(tag: CompletionTag) -> Int {
        get { counts[tag.rawValue] }
        set { counts[tag.rawValue] = newValue }
    }
}

/// The top-level blocks of a completion, in the order they appear.
public enum CompletionBlock: String, Sendable, Equatable {
    case think
    case toolCall = "tool_call"
    case response
}

/// A problem found while parsing a completion, with its 1-based line in the completion.
public struct CompletionParseError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A block is never closed.
        case structure
        /// A line of the `<tool_call>` block is not a valid call.
        case toolCall
    }

    public var kind: Kind
    public var line: Int
    public var message: String

    init(kind: Kind, line: Int, message: String) {
        self.kind = kind
        self.line = line
        self.message = message
    }

    public var description: String { "line \(line): \(message)" }
}

/// What `CompletionParser.parse` found in a completion.
public struct ParsedCompletion: Sendable {
    /// Occurrences of each tag anywhere in the text.
    public var tagCounts = TagCounts()
    /// Top-level blocks in order (a block that is never closed runs to the end of the text).
    public var blocks: [CompletionBlock] = []
    /// Non-whitespace text outside every top-level block.
    public var hasStrayText = false
    /// Contents of the first `<think>` block (unstripped); nil when there is none.
    public var think: String?
    /// Contents of the first closed `<tool_call>` block (unstripped); nil when there is none.
    public var toolCallBlock: String?
    /// Calls decoded from the block's lines, in order; lines with errors are left out.
    public var calls: [ToolCall] = []
    /// Lines of the block that decoded as JSON, whatever their shape.
    var callValues: [JSONValue] = []
    /// Contents of the first `<response>` block (unstripped); nil when there is none.
    public var response: String?
    /// Everything that went wrong, in text order.
    public var errors: [CompletionParseError] = []

    init() {}

    /// Whether a `<tool_call>` block exists and every non-blank line in it is a valid call.
    public var hasValidCalls: Bool {
        toolCallBlock != nil && !errors.contains { $0.kind == .toolCall }
    }

    /// The ToolRL output format, whatever the gold answer: `<think>` first, then `<tool_call>`,
    /// `<response>` or both in that order, each once, nothing else outside the blocks, and no
    /// parse errors (every call line valid).
    var isWellFormed: Bool {
        guard errors.isEmpty, !hasStrayText else { return false }
        return blocks == [.think, .toolCall] || blocks == [.think, .response] || blocks == [.think, .toolCall, .response]
    }
}

// The record shapes a data file may hold, each read into the same three texts: the system prompt
// (with the tool list), the user part and the gold answer.
//
// - ToolRL raw records (`dataset/rlla_4k_raw/*.json` in ToolRL's repository): `{"instruction":
//   system prompt, "input": user text, "output": gold}`; `system` is accepted for `instruction`.
// - OpenAI-style messages: `{"messages": [{"role": "system", …}, {"role": "user", …}, …,
//   {"role": "assistant", "content": gold}]}`, or a final `"output"` instead of the last
//   assistant message.
// - veRL rows (ToolRL's `dataset/rlla_4k/{train,test}.parquet` exported to JSON lines):
//   `{"data_source", "prompt": [system and user messages], "ability", "reward_model":
//   {"ground_truth": gold, "style"}, "extra_info": {…}}`. The prompt messages and the ground truth
//   are what veRL trains on, so they are what is read; the other fields are ignored.
//
// Several user/assistant/tool turns before the gold are flattened into ToolRL's history layout
// (`<user> … </user>`, `<obs> … </obs>`); a lone user message is used as written.

/// The shape of one record.
enum RecordStyle: String, CaseIterable, Sendable {
    case toolrl
    case messages
    case verl

    /// How the load line names it.
    var displayName: String {
        switch self {
        case .toolrl: return "ToolRL raw records (instruction/input/output)"
        case .messages: return "OpenAI-style messages"
        case .verl: return "veRL rows (prompt, reward_model.ground_truth, extra_info)"
        }
    }
}

/// A record's texts.
struct RecordTexts {
    var style: RecordStyle
    /// The system prompt, when the record has one.
    var system: String?
    /// The user part: one request, or a flattened dialogue history.
    var user: String
    var gold: String
}

/// A record that cannot be read; the loader adds the file and the record's place.
struct RecordError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

enum RecordReader {
    /// The texts of `record` in whichever style it is written.
    static func texts(of record: JSONValue) throws -> RecordTexts {
        guard case .object = record else {
            throw RecordError("expected a record object (instruction/input/output, messages, or a veRL row), found \(record.typeName)")
        }
        if let messages = record["messages"] {
            let (system, turns) = try conversation(messages, key: "messages")
            var output = try record["output"].map { try string($0, key: "output") }
            var remaining = turns
            if output == nil, let last = remaining.last, last.role == "assistant" {
                output = last.content
                remaining.removeLast()
            }
            guard let gold = output else {
                throw RecordError("no gold answer: end \"messages\" with an assistant message or add \"output\"")
            }
            guard !remaining.isEmpty else { throw RecordError("\"messages\" has no user message") }
            return RecordTexts(style: .messages, system: system, user: flattenHistory(remaining), gold: gold)
        }
        if let prompt = record["prompt"] {
            guard let rewardModel = record["reward_model"] else {
                throw RecordError("a veRL row needs \"reward_model\": {\"ground_truth\": gold answer} beside \"prompt\"")
            }
            guard let truth = rewardModel["ground_truth"] else {
                throw RecordError("\"reward_model\" has no \"ground_truth\" (the gold answer)")
            }
            let (system, turns) = try conversation(prompt, key: "prompt")
            guard !turns.isEmpty else { throw RecordError("\"prompt\" has no user message") }
            return RecordTexts(style: .verl, system: system, user: flattenHistory(turns),
                               gold: try string(truth, key: "reward_model.ground_truth"))
        }
        let system = try (record["instruction"] ?? record["system"]).map { try string($0, key: "instruction") }
        guard let input = record["input"] else {
            throw RecordError("missing \"input\" (the user text); expected instruction/input/output, messages, or a veRL row")
        }
        guard let output = record["output"] else {
            throw RecordError("missing \"output\" (the gold answer); expected instruction/input/output, messages, or a veRL row")
        }
        return RecordTexts(style: .toolrl, system: system, user: try string(input, key: "input"),
                           gold: try string(output, key: "output"))
    }

    /// The first system message, and the other turns in order.
    static func conversation(_ value: JSONValue, key: String) throws -> (String?, [(role: String, content: String)]) {
        guard case .array(let list) = value, !list.isEmpty else {
            throw RecordError("\"\(key)\" must be a non-empty array of {role, content} objects")
        }
        var system: String? = nil
        var turns: [(role: String, content: String)] = []
        for (position, message) in list.enumerated() {
            guard let role = message["role"]?.stringValue, let content = message["content"]?.stringValue else {
                throw RecordError("\(key)[\(position)] needs string \"role\" and \"content\"")
            }
            if role == "system", system == nil { system = content } else { turns.append((role, content)) }
        }
        return (system, turns)
    }

    static func string(_ value: JSONValue, key: String) throws -> String {
        guard let text = value.stringValue else {
            throw RecordError("\"\(key)\" must be a string, found \(value.typeName)")
        }
        return text
    }

    /// A lone user message as written; longer dialogues in ToolRL's history layout.
    static func flattenHistory(_ turns: [(role: String, content: String)]) -> String {
        if turns.count == 1, turns[0].role == "user" { return turns[0].content }
        var text = "**Dialogue Records History**"
        for turn in turns {
            let content = PythonText.strip(turn.content)
            switch turn.role {
            case "user": text += "\n<user> " + content + " </user>\n"
            case "tool", "observation": text += "<obs> " + content + " </obs>\n"
            default: text += "\n" + content + "\n"
            }
        }
        return PythonText.strip(text)
    }
}

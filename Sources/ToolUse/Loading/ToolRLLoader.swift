// Reads data in ToolRL's JSON format into task items, so real data can be scored and evaluated.
//
// Accepted files: a JSON array of records, a single record object, or JSON lines (one record per
// line). Accepted records:
// - raw rlla style (ToolRL's released data): `{"instruction": system prompt, "input": user text,
//   "output": gold answer}`; `system` is accepted for `instruction`;
// - OpenAI messages style: `{"messages": [{"role": "system", …}, {"role": "user", …}, …,
//   {"role": "assistant", "content": gold}]}`. Several user/assistant/tool turns before the last
//   assistant message are flattened into ToolRL's history (`<user> … </user>`, `<obs> … </obs>`);
//   a lone user message is used as written.
//
// Prompts: with `prompt_style: toolrl` the record's system and user texts are used as written in
// Ablate's chat frame. With `compact`, the tool list is read from the system prompt
// (`N. Name: …` / `Description: …` / `Parameters: {json}`) and listed as signatures, and the user
// text is reduced to the request when it is a single `<user> … </user>` turn (a longer history
// stays as written). When the tool list cannot be read (e.g. Python-repr parameter dicts), both
// texts are used as written.

import Basics
import Foundation

/// Bad ToolRL data: names the file, the record (1-based) and what to fix.
struct ToolRLDataError: Error, CustomStringConvertible, Sendable {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Loads ToolRL-format data.
enum ToolRLLoader {
    /// Items from the file at `path`, with `split` = `.train` and ids `data-NNNNN` (record order).
    static func load(path: String, style: PromptStyle) throws -> [TaskItem] {
        guard let bytes = FileManager.default.contents(atPath: path) else {
            throw ToolRLDataError("\(path): cannot read the file; check that the `data` path exists and is readable")
        }
        return try parse(String(decoding: bytes, as: UTF8.self), source: path, style: style)
    }

    /// Items from JSON text; `source` names the text in errors.
    static func parse(_ text: String, source: String, style: PromptStyle) throws -> [TaskItem] {
        let records = try readRecords(text, source: source)
        return try records.enumerated().map { offset, record in
            do {
                return try item(from: record.value, index: offset, style: style)
            } catch let problem as ToolRLDataError {
                throw ToolRLDataError("\(source): \(record.place): \(problem.description)")
            }
        }
    }

    /// A record and where it is ("record 3" or "line 7").
    struct Located {
        var value: JSONValue
        var place: String
    }

    static func readRecords(_ text: String, source: String) throws -> [Located] {
        do {
            let document = try JSONValue.parse(text)
            if case .array(let items) = document {
                return items.enumerated().map { Located(value: $1, place: "record \($0 + 1)") }
            }
            return [Located(value: document, place: "record 1")]
        } catch let wholeError as JSONParseError {
            // Not one JSON document: try JSON lines, reporting the first bad line.
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            guard lines.filter({ !PythonText.strip(String($0)).isEmpty }).count > 1 else {
                throw ToolRLDataError("\(source):\(wholeError.line):\(wholeError.column): invalid JSON: "
                                      + "\(wholeError.message); expected a JSON array of records or JSON lines")
            }
            var records: [Located] = []
            for (number, line) in lines.enumerated() where !PythonText.strip(String(line)).isEmpty {
                do {
                    records.append(Located(value: try JSONValue.parse(line), place: "line \(number + 1)"))
                } catch let lineError as JSONParseError {
                    throw ToolRLDataError("\(source):\(number + 1):\(lineError.column): invalid JSON: "
                                          + "\(lineError.message); expected one record object per line")
                }
            }
            return records
        }
    }

    /// One record as a task item.
    static func item(from record: JSONValue, index: Int, style: PromptStyle) throws -> TaskItem {
        guard case .object = record else {
            throw ToolRLDataError("expected an object with instruction/input/output or messages, found \(record.typeName)")
        }
        let (system, user, output) = try texts(of: record)
        let parsed = CompletionParser.parse(output)
        if let problem = parsed.errors.first {
            throw ToolRLDataError("the gold output is malformed at its \(problem); "
                                  + "expected ToolRL format (<think> … </think> then <tool_call> JSON lines and/or <response>)")
        }
        guard parsed.think != nil, parsed.toolCallBlock != nil || parsed.response != nil else {
            throw ToolRLDataError("the gold output needs <think> … </think> and a <tool_call> or <response> block")
        }
        let tools = system.flatMap(toolsFromSystemPrompt) ?? []
        let request = singleRequest(in: user)
        let prompt: String
        if style == .compact, system == nil || !tools.isEmpty {
            // Signatures instead of the long system prompt; a multi-turn history stays as written.
            prompt = PromptRenderer.frame(system: PromptRenderer.compactSystem(tools: tools), user: request ?? user)
        } else {
            prompt = PromptRenderer.frame(system: system ?? "", user: user)
        }
        return TaskItem(id: "data-" + paddedIndex(index), split: .train, prompt: prompt, gold: output,
                        goldCalls: parsed.calls, request: request ?? user, tools: tools, isMasked: false)
    }

    /// (system, user, gold output) of a record in either accepted style.
    static func texts(of record: JSONValue) throws -> (String?, String, String) {
        if let messages = record["messages"] {
            guard case .array(let list) = messages, !list.isEmpty else {
                throw ToolRLDataError("\"messages\" must be a non-empty array of {role, content} objects")
            }
            var system: String? = nil
            var turns: [(role: String, content: String)] = []
            for (position, message) in list.enumerated() {
                guard let role = message["role"]?.stringValue, let content = message["content"]?.stringValue else {
                    throw ToolRLDataError("message \(position + 1) needs string \"role\" and \"content\"")
                }
                if role == "system", system == nil { system = content } else { turns.append((role, content)) }
            }
            var output = try record["output"].map { try string($0, key: "output") }
            if output == nil, let last = turns.last, last.role == "assistant" {
                output = last.content
                turns.removeLast()
            }
            guard let gold = output else {
                throw ToolRLDataError("no gold answer: end \"messages\" with an assistant message or add \"output\"")
            }
            guard !turns.isEmpty else { throw ToolRLDataError("\"messages\" has no user message") }
            return (system, flattenHistory(turns), gold)
        }
        let system = try (record["instruction"] ?? record["system"]).map { try string($0, key: "instruction") }
        guard let input = record["input"] else {
            throw ToolRLDataError("missing \"input\" (the user text); expected instruction/input/output or messages")
        }
        guard let output = record["output"] else {
            throw ToolRLDataError("missing \"output\" (the gold answer); expected instruction/input/output or messages")
        }
        return (system, try string(input, key: "input"), try string(output, key: "output"))
    }

    private static func string(_ value: JSONValue, key: String) throws -> String {
        guard let text = value.stringValue else {
            throw ToolRLDataError("\"\(key)\" must be a string, found \(value.typeName)")
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

    /// The request when `user` is a single-turn history (or plain text without tags), else nil.
    static func singleRequest(in user: String) -> String? {
        let text = PythonText.strip(user)
        for tag in ["<obs>", "<think>", "<tool_call>", "<response>"] where text.contains(tag) { return nil }
        let opens = text.components(separatedBy: "<user>").count - 1
        if opens == 0 { return text.isEmpty ? nil : text }
        guard opens == 1, let start = text.range(of: "<user>"), let end = text.range(of: "</user>"),
              start.upperBound <= end.lowerBound else { return nil }
        return PythonText.strip(String(text[start.upperBound..<end.lowerBound]))
    }

    // MARK: Tool lists

    /// Tools listed in a ToolRL system prompt, or nil when none can be read (e.g. Python-repr
    /// parameter dicts, which are not JSON).
    static func toolsFromSystemPrompt(_ system: String) -> [ToolDefinition]? {
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
                      let parameters = readParameters(json) else { return nil }
                tools.append(ToolDefinition(name: toolName, domain: "data", description: description,
                                            parameters: parameters))
                name = nil
            }
        }
        return tools.isEmpty ? nil : tools
    }

    /// The name in a `12. Name: get_weather` line.
    private static func listedName(_ line: String) -> String? {
        guard let dot = line.firstIndex(of: "."), !line[..<dot].isEmpty,
              line[..<dot].allSatisfy(\.isNumber) else { return nil }
        let rest = line[line.index(after: dot)...]
        guard rest.hasPrefix(" Name: ") else { return nil }
        return String(rest.dropFirst(" Name: ".count))
    }

    /// Parameters from `{param: {description, type, default?, enum?, required?}}`, or from a full
    /// schema `{"type": "object", "properties": {…}, "required": […]}`.
    static func readParameters(_ json: JSONValue) -> [ToolParameter]? {
        guard var pairs = json.objectPairs else { return nil }
        var requiredList: Set<String>? = nil
        if let properties = json["properties"]?.objectPairs, json["type"]?.stringValue == "object" {
            pairs = properties
            requiredList = Set((json["required"]?.arrayValue ?? []).compactMap(\.stringValue))
        }
        var parameters: [ToolParameter] = []
        for (key, field) in pairs {
            guard case .object = field else { return nil }
            let typeName = field["type"]?.stringValue ?? "string"
            var type = parameterType(typeName, items: field["items"]?["type"]?.stringValue)
            if let options = field["enum"]?.arrayValue?.compactMap(\.stringValue), !options.isEmpty, type == .string {
                type = .enumeration(options)
            }
            let required: Bool
            if let list = requiredList {
                required = list.contains(key)
            } else if case .bool(let flag)? = field["required"] {
                required = flag
            } else {
                required = field["default"] == nil
            }
            parameters.append(ToolParameter(name: key, type: type, description: field["description"]?.stringValue ?? "",
                                            isRequired: required, defaultValue: field["default"]))
        }
        return parameters
    }

    static func parameterType(_ name: String, items: String?) -> ParameterType {
        let lowered = name.lowercased()
        switch lowered {
        case "string", "str": return .string
        case "integer", "int": return .integer
        case "number", "float", "double": return .number
        case "boolean", "bool": return .boolean
        case "array", "list", "tuple": return .array(items.map { parameterType($0, items: nil) } ?? .string)
        default:
            if lowered.hasPrefix("list[") || lowered.hasPrefix("array[") {
                let inner = lowered.drop { $0 != "[" }.dropFirst().dropLast()
                return .array(parameterType(String(inner), items: nil))
            }
            return .other(name)
        }
    }

    // MARK: Splitting

    /// Loaded items split into training and evaluation: a seeded shuffle, then
    /// `data_eval_fraction` held out (at least one item when there are two or more). Held-out
    /// items go to `irrelevant` (no gold call), `multi` (two or more) or `seen`; `unseen` stays
    /// empty. `train_size` and `eval_size`, when set, cap the training list and each split.
    static func split(_ items: [TaskItem], config: TaskConfig, seed: UInt64) -> TaskSet {
        var order = Array(items.indices)
        var random = SeededRandom(seed: seed)
        random.shuffle(&order)
        var evalCount = Int((Double(items.count) * config.dataEvalFraction).rounded())
        if items.count >= 2 { evalCount = max(1, evalCount) }
        evalCount = min(evalCount, items.count)
        var evaluation: [TaskSplit: [TaskItem]] = [:]
        for split in TaskSplit.evaluationSplits { evaluation[split] = [] }
        for index in order.prefix(evalCount) {
            var item = items[index]
            item.split = item.goldCalls.isEmpty ? .irrelevant : (item.goldCalls.count >= 2 ? .multi : .seen)
            evaluation[item.split]!.append(item)
        }
        var train = order.dropFirst(evalCount).map { items[$0] }
        if let cap = config.trainSize { train = Array(train.prefix(cap)) }
        if let cap = config.evalSize {
            for split in TaskSplit.evaluationSplits { evaluation[split] = Array(evaluation[split]!.prefix(cap)) }
        }
        return TaskSet(train: train, evaluation: evaluation)
    }
}

// Reads data files in ToolRL's formats into task items, so real data can be trained on, scored
// and evaluated. docs/config.md ("Data files") documents every accepted format with an example.
//
// Files: a JSON array of records, JSON lines, or one record object (`DataDocument`); records:
// ToolRL raw records, OpenAI-style messages or veRL rows (`RecordReader`).
//
// Prompts: with `prompt_style: toolrl` the record's system and user texts are used as written in
// Ablate's chat frame. With `compact` (and `compact_described`), the tool list is read from the
// system prompt (`ToolListReader`) and listed as signatures, and the user text is reduced to the
// request when it is a single `<user> … </user>` turn (a longer history stays as written). When
// the tool list cannot be read (e.g. Python-repr parameter dicts), both texts are used as written.

import Basics
import Foundation

/// How an item's prompt was made.
enum PromptOrigin: CaseIterable, Sendable {
    /// Compact signatures re-rendered from the tool list parsed out of the system prompt.
    case renderedFromToolList
    /// Compact, with an empty tool list: the record has no system prompt.
    case renderedWithoutSystemPrompt
    /// The record's texts as written: its tool list could not be read.
    case writtenToolListUnreadable
    /// The record's texts as written: `prompt_style: toolrl`.
    case written
}

/// One data file read into items.
struct LoadedFile: Sendable {
    /// The file as named in messages (the path as written in the config).
    var file: String
    var items: [TaskItem]
    var container: DataContainer
    /// Records per style, in `RecordStyle` order (styles with no record left out).
    var styles: [(RecordStyle, Int)]
    var hadByteOrderMark: Bool
    /// Items per prompt origin, in `PromptOrigin` order (origins with no item left out).
    var promptOrigins: [(PromptOrigin, Int)]
}

/// Loads ToolRL-format data.
public enum ToolRLLoader {
    /// Items from the file `reference` names (split `.train`, ids `<idPrefix>-NNNNN` in record
    /// order). Errors name the file as written and the line:column of the damage. A reference
    /// with a recorded hash must still have that content: runs are identified by it.
    static func load(_ reference: DataFileReference, style: PromptStyle, idPrefix: String = "data") throws -> LoadedFile {
        guard let data = FileManager.default.contents(atPath: reference.location) else {
            throw DataFileError(file: reference.path, UnreadableFile.reason(reference.location))
        }
        let bytes = [UInt8](data)
        if let recorded = reference.sha256 {
            let now = SHA256.hex(bytes: bytes)
            guard now == recorded else {
                throw DataFileError(file: reference.path, "has changed since the run was planned (\(reference.location): sha256 "
                                    + "\(recorded.prefix(12))… then, \(now.prefix(12))… now); plan again: the changed file makes new runs")
            }
        }
        return try read(bytes, file: reference.path, style: style, idPrefix: idPrefix)
    }

    /// Checks that `bytes` load as a data file (every record readable); returns the record count.
    /// `file` names the file in errors.
    @discardableResult
    public static func check(_ bytes: [UInt8], file: String) throws -> Int {
        try read(bytes, file: file, style: .toolrl, idPrefix: "data").items.count
    }

    /// Items from JSON text; `source` names the text in errors.
    public static func parse(_ text: String, source: String, style: PromptStyle) throws -> [TaskItem] {
        try read(Array(text.utf8), file: source, style: style, idPrefix: "data").items
    }

    static func read(_ bytes: [UInt8], file: String, style: PromptStyle, idPrefix: String) throws -> LoadedFile {
        let document = try DataDocument.read(bytes, file: file)
        var items: [TaskItem] = []
        items.reserveCapacity(document.records.count)
        var styleCounts: [RecordStyle: Int] = [:]
        var originCounts: [PromptOrigin: Int] = [:]
        for record in document.records {
            do {
                let texts = try RecordReader.texts(of: record.value)
                let (item, origin) = try self.item(from: texts, index: record.number - 1, idPrefix: idPrefix, style: style)
                items.append(item)
                styleCounts[texts.style, default: 0] += 1
                originCounts[origin, default: 0] += 1
            } catch let problem as RecordError {
                let position = record.position ?? DataDocument.arrayElementPosition(bytes, number: record.number)
                throw DataFileError(file: file, at: position,
                                    "record \(record.number): \(problem.message)")
            }
        }
        return LoadedFile(file: file, items: items, container: document.container,
                          styles: RecordStyle.allCases.compactMap { style in styleCounts[style].map { (style, $0) } },
                          hadByteOrderMark: document.hadByteOrderMark,
                          promptOrigins: PromptOrigin.allCases.compactMap { origin in originCounts[origin].map { (origin, $0) } })
    }

    /// One record's texts as a task item.
    static func item(from texts: RecordTexts, index: Int, idPrefix: String, style: PromptStyle) throws -> (TaskItem, PromptOrigin) {
        let parsed = CompletionParser.parse(texts.gold)
        if let problem = parsed.errors.first {
            throw RecordError("the gold answer is malformed at its \(problem); "
                              + "expected ToolRL format (<think> … </think> then <tool_call> JSON lines and/or <response>)")
        }
        guard parsed.think != nil, parsed.toolCallBlock != nil || parsed.response != nil else {
            throw RecordError("the gold answer needs <think> … </think> and a <tool_call> or <response> block")
        }
        let tools = texts.system.flatMap(ToolListReader.tools(inSystemPrompt:))
        let request = singleRequest(in: texts.user)
        let prompt: String
        let origin: PromptOrigin
        if style.isCompact, texts.system == nil || tools != nil {
            // Signatures instead of the long system prompt; a multi-turn history stays as written.
            prompt = PromptRenderer.frame(system: PromptRenderer.compactSystem(tools: tools ?? [], described: style == .compactDescribed),
                                          user: request ?? texts.user)
            origin = tools == nil ? .renderedWithoutSystemPrompt : .renderedFromToolList
        } else {
            prompt = PromptRenderer.frame(system: texts.system ?? "", user: texts.user)
            origin = style.isCompact ? .writtenToolListUnreadable : .written
        }
        var item = TaskItem(id: idPrefix + "-" + paddedIndex(index), split: .train, prompt: prompt, gold: texts.gold,
                            goldCalls: parsed.calls, request: request ?? texts.user, tools: tools ?? [], isMasked: false)
        item.isFollowUp = request == nil
        return (item, origin)
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
}

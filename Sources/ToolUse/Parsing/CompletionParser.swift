/// The general-purpose parser of ToolRL-format completions:
///
/// ```
/// <think> … </think>
/// <tool_call>
/// {"name": "…", "parameters": {…}}
/// </tool_call>
/// <response> … </response>
/// ```
///
/// It accepts any string and never traps. It walks the text as a sequence of top-level blocks
/// separated by whitespace: a block runs from its opening tag to the next matching closing tag
/// (text inside is opaque, other tags included); anything else is stray text. Inside the first
/// closed `<tool_call>` block every non-blank line must be one JSON call object; blank lines are
/// allowed. ToolRL's own reward code reads completions differently; `Rewards` reproduces that
/// where it differs.
public enum CompletionParser {
    public static func parse(_ text: String) -> ParsedCompletion {
        var copy = text
        return copy.withUTF8 { parse(utf8: $0) }
    }

    public static func parse(utf8 bytes: UnsafeBufferPointer<UInt8>) -> ParsedCompletion {
        var result = ParsedCompletion()
        countTags(bytes, into: &result.tagCounts)
        var position = 0
        while true {
            position = skipWhitespace(bytes, from: position)
            guard position < bytes.count else { break }
            if PythonText.hasPrefix("<think>", in: bytes, at: position) {
                position = readBlock(.think, open: "<think>", close: "</think>", bytes, position, &result)
            } else if PythonText.hasPrefix("<tool_call>", in: bytes, at: position) {
                position = readBlock(.toolCall, open: "<tool_call>", close: "</tool_call>", bytes, position, &result)
            } else if PythonText.hasPrefix("<response>", in: bytes, at: position) {
                position = readBlock(.response, open: "<response>", close: "</response>", bytes, position, &result)
            } else {
                result.hasStrayText = true
                position = nextOpeningTag(bytes, after: position) ?? bytes.count
            }
        }
        return result
    }

    /// Reads one block starting at its opening tag; returns the position after it.
    static func readBlock(_ kind: CompletionBlock, open: StaticString, close: StaticString,
                          _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int,
                          _ result: inout ParsedCompletion) -> Int {
        let contentStart = start + open.utf8CodeUnitCount
        let closing = PythonText.find(close, in: bytes, from: contentStart)
        let contentEnd = closing ?? bytes.count
        let content = String(decoding: UnsafeBufferPointer(rebasing: bytes[contentStart..<contentEnd]), as: UTF8.self)
        result.blocks.append(kind)
        if closing == nil {
            result.errors.append(CompletionParseError(
                kind: .structure, line: lineNumber(bytes, at: start),
                message: "\(open) is never closed (expected \(close))"))
        }
        switch kind {
        case .think:
            if result.think == nil { result.think = content }
        case .response:
            if result.response == nil { result.response = content }
        case .toolCall:
            if result.toolCallBlock == nil, closing != nil {
                result.toolCallBlock = content
                readCalls(bytes, contentStart..<contentEnd, &result)
            }
        }
        return closing.map { $0 + close.utf8CodeUnitCount } ?? bytes.count
    }

    /// Decodes each non-blank line of a tool-call block.
    static func readCalls(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ result: inout ParsedCompletion) {
        // Line numbers are only needed for errors: count from the block's first line lazily.
        var firstLine: Int?
        var lineIndex = 0
        func currentLine() -> Int {
            if firstLine == nil { firstLine = lineNumber(bytes, at: range.lowerBound) }
            return firstLine! + lineIndex
        }
        var lineStart = range.lowerBound
        while lineStart <= range.upperBound {
            let lineEnd = PythonText.find("\n", in: bytes, from: lineStart, to: range.upperBound) ?? range.upperBound
            let trimmed = PythonText.strip(bytes, lineStart..<lineEnd)
            if !trimmed.isEmpty {
                do {
                    let value = try JSONValue.parse(utf8: UnsafeBufferPointer(rebasing: bytes[trimmed]))
                    result.callValues.append(value)
                    switch ToolCall.from(value) {
                    case .success(let call): result.calls.append(call)
                    case .failure(let problem):
                        result.errors.append(CompletionParseError(kind: .toolCall, line: currentLine(), message: problem.description))
                    }
                } catch let problem as JSONParseError {
                    result.errors.append(CompletionParseError(
                        kind: .toolCall, line: currentLine(),
                        message: "invalid JSON: \(problem.message) at column \(problem.column)"))
                } catch {
                    result.errors.append(CompletionParseError(kind: .toolCall, line: currentLine(), message: "invalid JSON: \(error)"))
                }
            }
            lineIndex += 1
            lineStart = lineEnd + 1
        }
    }

    /// Counts all six tags in one pass over the `<` bytes.
    static func countTags(_ bytes: UnsafeBufferPointer<UInt8>, into counts: inout TagCounts) {
        var index = 0
        while let bracket = PythonText.find("<", in: bytes, from: index) {
            index = bracket + 1
            for tag in CompletionTag.allCases where PythonText.hasPrefix(tag.staticText, in: bytes, at: bracket) {
                counts[tag] += 1
                index = bracket + tag.staticText.utf8CodeUnitCount
                break
            }
        }
    }

    static func skipWhitespace(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var position = start
        while position < bytes.count {
            let (value, length) = PythonText.scalar(in: bytes, at: position)
            guard PythonText.isWhitespace(value) else { break }
            position += length
        }
        return position
    }

    static func nextOpeningTag(_ bytes: UnsafeBufferPointer<UInt8>, after position: Int) -> Int? {
        var index = position + 1
        while let bracket = PythonText.find("<", in: bytes, from: index) {
            if PythonText.hasPrefix("<think>", in: bytes, at: bracket)
                || PythonText.hasPrefix("<tool_call>", in: bytes, at: bracket)
                || PythonText.hasPrefix("<response>", in: bytes, at: bracket) {
                return bracket
            }
            index = bracket + 1
        }
        return nil
    }

    /// 1-based line of a byte offset.
    static func lineNumber(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Int {
        var line = 1
        var index = 0
        while let newline = PythonText.find("\n", in: bytes, from: index, to: min(offset, bytes.count)) {
            line += 1
            index = newline + 1
        }
        return line
    }
}

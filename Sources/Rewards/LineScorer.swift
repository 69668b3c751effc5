import Foundation
import ToolUse

/// A JSON line `ablate score` cannot use, with its 1-based line number.
public struct LineScoringError: Error, Equatable, CustomStringConvertible, Sendable {
    public var line: Int
    public var message: String
    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }
    public var description: String { "line \(line): \(message)" }
}

/// The logic of `ablate score`: each input line is a JSON object with `gold`, `completion` and
/// `step` (`step` may be left out when the reward does not change with the step; any other
/// fields, such as `id`, are kept in place); the output line is the input line
/// with `format`, `correctness`, `length` (null without a length term) and `total` appended.
/// When the line already has any of those four keys they are replaced where they stand.
public final class LineScorer {
    public let reward: ToolCallReward
    public let totalSteps: Int

    public init(reward: ToolCallReward, totalSteps: Int) {
        self.reward = reward
        self.totalSteps = totalSteps
    }

    public struct Summary: Equatable, Sendable {
        public var scored = 0
        public var skipped = 0
    }

    /// Scores one line (no newline). Returns nil for a blank line, which is dropped.
    public func scoreLine(_ line: String, lineNumber: Int) throws -> String? {
        var copy = line
        return try copy.withUTF8 { try scoreLine(utf8: $0, lineNumber: lineNumber) }
    }

    public func scoreLine(utf8 line: UnsafeBufferPointer<UInt8>, lineNumber: Int) throws -> String? {
        let content = PythonText.strip(line, 0..<line.count)
        if content.isEmpty { return nil }
        let value: JSONValue
        do {
            value = try JSONValue.parse(utf8: line)
        } catch let error as JSONParseError {
            throw LineScoringError(line: lineNumber, message: "not valid JSON: \(error.message) at column \(error.column)")
        }
        guard case .object(let pairs) = value else {
            throw LineScoringError(line: lineNumber, message: "expected a JSON object with \"gold\", \"completion\" and \"step\", found \(value.typeName)")
        }
        func field(_ key: String) throws -> JSONValue {
            guard let found = value[key] else {
                throw LineScoringError(line: lineNumber, message: "missing field \"\(key)\" (each line needs gold and completion, and step when the reward has a schedule)")
            }
            return found
        }
        guard case .string(let gold) = try field("gold") else {
            throw LineScoringError(line: lineNumber, message: "field \"gold\" must be a string")
        }
        guard case .string(let completion) = try field("completion") else {
            throw LineScoringError(line: lineNumber, message: "field \"completion\" must be a string")
        }
        let step: Int
        switch value["step"] {
        case nil:
            if let reason = reward.stepDependence {
                throw LineScoringError(line: lineNumber, message: "missing field \"step\": this reward changes with training progress (\(reason)), so each line needs the step its completion was sampled at")
            }
            step = 0
        case .integer(let whole)? where whole >= 0: step = whole
        case .double(let number)? where number >= 0 && number < 1e15 && number.rounded() == number: step = Int(number)
        default: throw LineScoringError(line: lineNumber, message: "field \"step\" must be a non-negative integer")
        }
        if let problem = reward.goldProblem(gold) {
            throw LineScoringError(line: lineNumber, message: "field \"gold\": \(problem)")
        }
        let result = reward.score(gold: gold, completion: completion, step: step, totalSteps: totalSteps)
        let added: [(String, JSONValue)] = [
            ("format", .double(result.format)), ("correctness", .double(result.correctness)),
            ("length", result.length.map { .double($0) } ?? .null), ("total", .double(result.total)),
        ]
        let addedKeys = Set(added.map(\.0))
        if !pairs.contains(where: { addedKeys.contains($0.0) }),
           let brace = (content.lowerBound..<content.upperBound).last(where: { line[$0] == UInt8(ascii: "}") }) {
            // Fast path: keep the input bytes exactly and append before the closing brace.
            var output = String(decoding: UnsafeBufferPointer(rebasing: line[content.lowerBound..<brace]), as: UTF8.self)
            for (index, pair) in added.enumerated() {
                output += pairs.isEmpty && index == 0 ? "\"" : ", \""
                output += pair.0
                output += "\": "
                pair.1.write(to: &output)
            }
            output += "}"
            return output
        }
        var merged = pairs
        for pair in added {
            if let index = merged.firstIndex(where: { $0.0 == pair.0 }) { merged[index].1 = pair.1 } else { merged.append(pair) }
        }
        return JSONValue.object(merged).dumps()
    }

    /// Reads JSON lines from `input` until its end and writes scored lines to `output`. A bad
    /// line throws `LineScoringError`, unless `skipBad`, when it goes to `onSkip` and is dropped.
    /// Read and write failures are thrown as they come from `FileHandle`.
    @discardableResult
    public func run(input: FileHandle, output: FileHandle, skipBad: Bool,
                    onSkip: (LineScoringError) -> Void = { _ in }) throws -> Summary {
        var summary = Summary()
        var pending: [UInt8] = []
        var outputBuffer: [UInt8] = []
        outputBuffer.reserveCapacity(1 << 20)
        var lineNumber = 0

        func process(_ bytes: UnsafeBufferPointer<UInt8>) throws {
            lineNumber += 1
            do {
                if let scored = try scoreLine(utf8: bytes, lineNumber: lineNumber) {
                    outputBuffer.append(contentsOf: scored.utf8)
                    outputBuffer.append(0x0A)
                    summary.scored += 1
                }
            } catch let error as LineScoringError {
                guard skipBad else { throw error }
                onSkip(error)
                summary.skipped += 1
            }
            if outputBuffer.count >= 1 << 20 {
                try output.write(contentsOf: outputBuffer)
                outputBuffer.removeAll(keepingCapacity: true)
            }
        }

        // Lines scored before a bad line still reach the output.
        defer { if !outputBuffer.isEmpty { try? output.write(contentsOf: outputBuffer) } }
        while true {
            guard let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty else { break }
            pending.append(contentsOf: chunk)
            var consumed = 0
            try pending.withUnsafeBufferPointer { buffer in
                var start = 0
                while let newline = PythonText.find("\n", in: buffer, from: start) {
                    try process(UnsafeBufferPointer(rebasing: buffer[start..<newline]))
                    start = newline + 1
                }
                consumed = start
            }
            pending.removeFirst(consumed)
        }
        if !pending.isEmpty {
            try pending.withUnsafeBufferPointer { try process($0) }
        }
        return summary
    }
}

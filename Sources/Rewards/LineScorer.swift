import Foundation
import ToolUse

/// A JSON line `ablate score` cannot use, with its 1-based line number.
public struct LineScoringError: Error, Equatable, CustomStringConvertible, Sendable {
    public var line: Int
    public var message: String
    init(line: Int, message: String) {
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
/// One caller at a time: a scorer keeps the last gold answer and a decode buffer between lines.
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

    /// Python `repr` of the reward values written so far (a run repeats a few distinct values).
    private var numberTexts: [UInt64: [UInt8]] = [:]

    /// Scores one line (no newline). Returns nil for a blank line, which is dropped.
    public func scoreLine(_ line: String, lineNumber: Int) throws -> String? {
        var copy = line
        var output: [UInt8] = []
        let scored = try copy.withUTF8 { try scoreLine(utf8: $0, lineNumber: lineNumber, appendingTo: &output) }
        return scored ? String(decoding: output, as: UTF8.self) : nil
    }

    // The fast path's state: the last line's gold answer (raw and decoded) and a buffer for the
    // decoded completion.
    private var lastGoldRaw: [UInt8] = []
    private var lastGold: ToolCallReward.PreparedGold?
    private var decoded = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 1 << 16)
    /// Lines scored by the fast path (tests).
    private(set) var usualLineCount = 0

    deinit { decoded.deallocate() }

    /// Decodes a simple string field into `decoded` (grown to fit); returns the bytes.
    private func decode(_ raw: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        if decoded.count < raw.count {
            decoded.deallocate()
            decoded = .allocate(capacity: max(raw.count, 2 * decoded.count))
        }
        return UnsafeBufferPointer(start: decoded.baseAddress, count: JSONValue.decodeSimpleString(raw, into: decoded.baseAddress!))
    }

    /// Appends the scored line (no newline) to `output`; returns false for a blank line, which
    /// is dropped.
    func scoreLine(utf8 line: UnsafeBufferPointer<UInt8>, lineNumber: Int, appendingTo output: inout [UInt8]) throws -> Bool {
        let content = PythonText.strip(line, 0..<line.count)
        if content.isEmpty { return false }
        if try scoreUsualLine(line, content: content, lineNumber: lineNumber, appendingTo: &output) { return true }
        try scoreAnyLine(line, content: content, lineNumber: lineNumber, appendingTo: &output)
        return true
    }

    /// The general path: any non-blank line, parsed whole.
    func scoreAnyLine(_ line: UnsafeBufferPointer<UInt8>, content: Range<Int>, lineNumber: Int,
                      appendingTo output: inout [UInt8]) throws {
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
        let added: [(String, Double?)] = [
            ("format", result.format), ("correctness", result.correctness), ("length", result.length), ("total", result.total),
        ]
        if !pairs.contains(where: { pair in added.contains { $0.0 == pair.0 } }),
           let brace = (content.lowerBound..<content.upperBound).last(where: { line[$0] == UInt8(ascii: "}") }) {
            // Fast path: keep the input bytes exactly and append before the closing brace.
            output.append(contentsOf: UnsafeBufferPointer(rebasing: line[content.lowerBound..<brace]))
            for (index, pair) in added.enumerated() {
                output.append(contentsOf: pairs.isEmpty && index == 0 ? "\"".utf8 : ", \"".utf8)
                output.append(contentsOf: pair.0.utf8)
                output.append(contentsOf: "\": ".utf8)
                if let number = pair.1 { appendNumber(number, to: &output) } else { output.append(contentsOf: "null".utf8) }
            }
            output.append(UInt8(ascii: "}"))
            return
        }
        var merged = pairs
        for pair in added {
            let value = pair.1.map { JSONValue.double($0) } ?? .null
            if let index = merged.firstIndex(where: { $0.0 == pair.0 }) { merged[index].1 = value } else { merged.append((pair.0, value)) }
        }
        output.append(contentsOf: JSONValue.object(merged).dumps().utf8)
    }

    /// The fast path, for the usual line: a JSON object with simple (ASCII, `\u`-free) strings
    /// `gold` and `completion`, a `step`, none of the output keys and no repeated key. Such a line
    /// is scored from its bytes: the completion is decoded into a reused buffer and the gold
    /// answer only when it differs from the previous line's (a group's completions share it).
    /// Returns false, having written nothing, for any other line (the general path then gives
    /// the same output, or the error).
    private func scoreUsualLine(_ line: UnsafeBufferPointer<UInt8>, content: Range<Int>, lineNumber: Int,
                                appendingTo output: inout [UInt8]) throws -> Bool {
        let scanned = lastGoldRaw.withUnsafeBufferPointer { JSONValue.scanObject(utf8: line, knownSimpleString: $0) }
        guard let scan = scanned,
              let goldField = scan.field("gold", in: line), goldField.isSimpleString,
              let completionField = scan.field("completion", in: line), completionField.isSimpleString,
              let stepField = scan.field("step", in: line), !stepField.isString,
              scan.field("format", in: line) == nil, scan.field("correctness", in: line) == nil,
              scan.field("length", in: line) == nil, scan.field("total", in: line) == nil,
              let stepValue = try? JSONValue.parse(utf8: UnsafeBufferPointer(rebasing: line[stepField.value])),
              let brace = (content.lowerBound..<content.upperBound).last(where: { line[$0] == UInt8(ascii: "}") })
        else { return false }
        let step: Int
        switch stepValue {
        case .integer(let whole) where whole >= 0: step = whole
        case .double(let number) where number >= 0 && number < 1e15 && number.rounded() == number: step = Int(number)
        default: return false
        }
        if !goldField.isKnownString || lastGold == nil {
            let goldRaw = UnsafeBufferPointer(rebasing: line[goldField.value])
            lastGold = reward.prepare(gold: String(decoding: decode(goldRaw), as: UTF8.self))
            lastGoldRaw = Array(goldRaw)
        }
        if let problem = lastGold!.problem {
            throw LineScoringError(line: lineNumber, message: "field \"gold\": \(problem)")
        }
        let completion = decode(UnsafeBufferPointer(rebasing: line[completionField.value]))
        let result = reward.score(lastGold!, completionUTF8: completion, step: step, totalSteps: totalSteps)
        output.append(contentsOf: UnsafeBufferPointer(rebasing: line[content.lowerBound..<brace]))
        for (name, value) in [("format", result.format), ("correctness", result.correctness), ("length", result.length),
                              ("total", result.total)] as [(StaticString, Double?)] {
            output.append(contentsOf: ", \"".utf8)
            output.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            output.append(contentsOf: "\": ".utf8)
            if let value { appendNumber(value, to: &output) } else { output.append(contentsOf: "null".utf8) }
        }
        output.append(UInt8(ascii: "}"))
        usualLineCount += 1
        return true
    }

    /// Appends Python's `repr` of `number` (what `JSONValue.double` writes).
    private func appendNumber(_ number: Double, to output: inout [UInt8]) {
        if let text = numberTexts[number.bitPattern] {
            output.append(contentsOf: text)
            return
        }
        let text = Array(JSONValue.pythonRepr(number).utf8)
        if numberTexts.count >= 4096 { numberTexts.removeAll(keepingCapacity: true) }
        numberTexts[number.bitPattern] = text
        output.append(contentsOf: text)
    }

    /// Reads JSON lines from `input` until its end and writes scored lines to `output`. A bad
    /// line throws `LineScoringError`, unless `skipBad`, when it goes to `onSkip` and is dropped.
    /// Read failures are thrown as `POSIXError`, write failures as they come from `FileHandle`.
    @discardableResult
    public func run(input: FileHandle, output: FileHandle, skipBad: Bool,
                    onSkip: (LineScoringError) -> Void = { _ in }) throws -> Summary {
        var summary = Summary()
        // Input bytes [0, filled) of which [0, start) are consumed; lines are scored in place.
        var capacity = 1 << 20
        var pending = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { pending.deallocate() }
        var filled = 0
        var outputBuffer: [UInt8] = []
        outputBuffer.reserveCapacity(1 << 21)
        var lineNumber = 0

        func process(_ bytes: UnsafeBufferPointer<UInt8>) throws {
            lineNumber += 1
            do {
                if try scoreLine(utf8: bytes, lineNumber: lineNumber, appendingTo: &outputBuffer) {
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
        let descriptor = input.fileDescriptor
        // A regular file is mapped and its lines scored where they lie (no copies).
        var status = stat()
        if fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_size > 0,
           let mapped = mmap(nil, Int(status.st_size), PROT_READ, MAP_PRIVATE, descriptor, 0), mapped != MAP_FAILED {
            defer { munmap(mapped, Int(status.st_size)) }
            _ = madvise(mapped, Int(status.st_size), MADV_SEQUENTIAL)
            let buffer = UnsafeBufferPointer(start: mapped.assumingMemoryBound(to: UInt8.self), count: Int(status.st_size))
            var start = 0
            while let newline = PythonText.find("\n", in: buffer, from: start) {
                try process(UnsafeBufferPointer(rebasing: buffer[start..<newline]))
                start = newline + 1
            }
            if start < buffer.count { try process(UnsafeBufferPointer(rebasing: buffer[start...])) }
            return summary
        }
        while true {
            if capacity - filled < 1 << 16 {
                capacity *= 2
                let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
                grown.update(from: pending, count: filled)
                pending.deallocate()
                pending = grown
            }
            let count = read(descriptor, pending + filled, capacity - filled)
            if count < 0 {
                if errno == EINTR { continue }
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            if count == 0 { break }
            let scanFrom = filled
            filled += count
            let buffer = UnsafeBufferPointer(start: pending, count: filled)
            var start = 0
            var next = scanFrom
            while let newline = PythonText.find("\n", in: buffer, from: next) {
                try process(UnsafeBufferPointer(rebasing: buffer[start..<newline]))
                start = newline + 1
                next = start
            }
            // Keep the unfinished line for the next read.
            pending.update(from: pending + start, count: filled - start)
            filled -= start
        }
        if filled > 0 {
            try process(UnsafeBufferPointer(start: pending, count: filled))
        }
        return summary
    }
}

import ToolUse

/// Fidelity `toolrl-code`: ToolRL's `rlla.py` (commit 8cee13e) reproduced behaviour for
/// behaviour. Section numbers refer to toolrl-reward-vectors.md. Everything works on the UTF-8
/// bytes of the stripped completion; the tags are ASCII, so byte positions stand in for the
/// code points Python uses.

/// A gold answer as the original reads it.
struct ToolRLCodeGold {
    /// Plain substring tests on the whole gold, its think included (§2).
    var hasToolCallTag = false
    var hasResponseTag = false
    /// Decoded gold call objects (only when `hasToolCallTag`).
    var calls: [JSONValue] = []
    var names: [String] = []
    var parameters: [[(String, JSONValue)]] = []
    /// Why the original would raise on this gold (it parses gold outside its try block).
    var problem: String?

    init(_ gold: String) {
        var copy = gold
        copy.withUTF8 { bytes in
            hasToolCallTag = PythonText.find("<tool_call>", in: bytes, from: 0) != nil
            hasResponseTag = PythonText.find("<response>", in: bytes, from: 0) != nil
            guard hasToolCallTag else { return }
            do {
                let lines = try ToolRLCode.callLines(bytes)
                for (index, value) in lines.enumerated() {
                    guard case .string(let name)? = value["name"], case .object(let parameters)? = value["parameters"] else {
                        problem = "gold call \(index + 1) needs a string \"name\" and an object \"parameters\""
                        return
                    }
                    calls.append(value)
                    names.append(name)
                    self.parameters.append(parameters)
                }
            } catch {
                problem = "the gold <tool_call> block does not parse: \(error)"
            }
        }
    }
}

enum ToolRLCode {
    struct Failure: Error {}

    /// `text.split("<tool_call>")[1].split("</tool_call>")[0].strip().split("\n")`, each line
    /// through `json.loads` (§5). Throws when a line is not JSON.
    static func callLines(_ bytes: UnsafeBufferPointer<UInt8>) throws -> [JSONValue] {
        guard let open = PythonText.find("<tool_call>", in: bytes, from: 0) else { throw Failure() }
        let start = open + 11
        let segmentEnd = PythonText.find("<tool_call>", in: bytes, from: start) ?? bytes.count
        let end = PythonText.find("</tool_call>", in: bytes, from: start, to: segmentEnd) ?? segmentEnd
        let block = PythonText.strip(bytes, start..<end)
        var values: [JSONValue] = []
        var lineStart = block.lowerBound
        while true {
            let lineEnd = PythonText.find("\n", in: bytes, from: lineStart, to: block.upperBound) ?? block.upperBound
            values.append(try JSONValue.parse(utf8: UnsafeBufferPointer(rebasing: bytes[lineStart..<lineEnd])))
            if lineEnd == block.upperBound { break }
            lineStart = lineEnd + 1
        }
        return values
    }

    // MARK: - Format (§3)

    static func formatPasses(_ bytes: UnsafeBufferPointer<UInt8>, gold: ToolRLCodeGold) -> Bool {
        let count = bytes.count
        guard PythonText.hasPrefix("<think>", in: bytes, at: 0) else { return false }
        switch (gold.hasResponseTag, gold.hasToolCallTag) {
        case (true, false):
            // ^<think>.*?</think>\n<response>.*?</response>$
            let suffix = count - 11
            guard suffix >= 7, PythonText.hasPrefix("</response>", in: bytes, at: suffix),
                  PythonText.find("</think>\n<response>", in: bytes, from: 7, to: suffix) != nil else { return false }
            return PythonText.count("<response>", in: bytes) == 1 && PythonText.count("</response>", in: bytes) == 1
        case (false, true):
            // ^<think>.*?</think>\n<tool_call>\n.*?\n</tool_call>$
            let suffix = count - 13
            guard suffix >= 7, PythonText.hasPrefix("\n</tool_call>", in: bytes, at: suffix),
                  PythonText.find("</think>\n<tool_call>\n", in: bytes, from: 7, to: suffix) != nil else { return false }
            return PythonText.count("<tool_call>", in: bytes) == 1 && PythonText.count("</tool_call>", in: bytes) == 1
        case (true, true):
            // ^<think>.*?</think>\n<tool_call>\n.*?\n</tool_call>\n<response>.*?</response>$
            let suffix = count - 11
            guard suffix >= 7, PythonText.hasPrefix("</response>", in: bytes, at: suffix),
                  let first = PythonText.find("</think>\n<tool_call>\n", in: bytes, from: 7, to: suffix),
                  PythonText.find("\n</tool_call>\n<response>", in: bytes, from: first + 21, to: suffix) != nil else { return false }
            return PythonText.count("<tool_call>", in: bytes) == 1 && PythonText.count("</tool_call>", in: bytes) == 1
                && PythonText.count("<response>", in: bytes) == 1 && PythonText.count("</response>", in: bytes) == 1
        case (false, false):
            // ^<think>.*?</think>$
            let suffix = count - 8
            return suffix >= 7 && PythonText.hasPrefix("</think>", in: bytes, at: suffix)
        }
    }

    // MARK: - Correctness (§4–13)

    static func correctness(_ bytes: UnsafeBufferPointer<UInt8>, gold: ToolRLCodeGold,
                            granularity: CorrectnessGranularity, range: ScaleRange) -> Double {
        guard gold.hasToolCallTag else { return 0.0 }
        guard gold.problem == nil,
              PythonText.find("<tool_call>", in: bytes, from: 0) != nil,
              PythonText.find("</tool_call>", in: bytes, from: 0) != nil,
              let predicted = try? callLines(bytes) else { return range.min }
        return callReward(gold: gold, predicted: predicted, granularity: granularity, range: range) ?? range.min
    }

    /// `compute_tool_call_reward`; nil where the original raises.
    static func callReward(gold: ToolRLCodeGold, predicted: [JSONValue],
                           granularity: CorrectnessGranularity, range: ScaleRange) -> Double? {
        if JSONValue.array(gold.calls).pythonEquals(.array(predicted)) { return range.max }
        if granularity == .coarse { return range.min }
        let refined = granularity == .finegrained
        let intermediate = granularity == .intermediate

        // pd_names = [tool["name"] for tool in pd_tools]
        var predictedNames: [JSONValue] = []
        predictedNames.reserveCapacity(predicted.count)
        for call in predicted {
            guard case .object = call, let name = call["name"] else { return nil }
            predictedNames.append(name)
        }
        guard var score = nameScore(gold.names, predictedNames, refined: refined) else { return nil }

        var normaliser = 1.0
        var used = [Bool](repeating: false, count: predicted.count)
        for (goldIndex, goldName) in gold.names.enumerated() {
            let goldParameters = gold.parameters[goldIndex]
            normaliser += intermediate ? 1.0 : 1.0 + Double(goldParameters.count)
            var bestScore = 0.0
            var bestIndex = -1
            for (index, name) in predictedNames.enumerated() where !used[index] {
                guard case .string(let predictedName) = name, predictedName.hasSameScalars(as: goldName) else { continue }
                if intermediate {
                    if gold.calls[goldIndex].pythonEquals(predicted[index]) {
                        bestScore = 1.0
                        bestIndex = index
                        break
                    }
                    continue
                }
                guard case .object(let predictedParameters)? = predicted[index]["parameters"] else { return nil }
                let keyScore = keyListScore(goldParameters, predictedParameters, refined: refined)
                var valueMatches = 0.0
                for (key, value) in goldParameters {
                    if let candidate = predictedParameters.first(where: { $0.0.hasSameScalars(as: key) }),
                       candidate.1.pythonEquals(value) {
                        valueMatches += 1.0
                    }
                }
                let total = keyScore + valueMatches
                if total > bestScore {
                    bestScore = total
                    bestIndex = index
                }
            }
            if bestIndex >= 0 {
                used[bestIndex] = true
                score += bestScore
            }
        }
        return (range.max - range.min) * score / normaliser + range.min
    }

    /// `match_score(gt_names, pd_names)`; nil where `Counter` raises (an unhashable name).
    static func nameScore(_ gold: [String], _ predicted: [JSONValue], refined: Bool) -> Double? {
        var identical = gold.count == predicted.count
        if identical {
            for (index, name) in gold.enumerated() {
                guard case .string(let other) = predicted[index], other.hasSameScalars(as: name) else {
                    identical = false
                    break
                }
            }
        }
        if identical { return 1.0 }
        if refined { return 0.0 }
        if gold.isEmpty || predicted.isEmpty { return 0.0 }
        for name in predicted {
            switch name {
            case .array, .object: return nil
            default: break
            }
        }
        // Multiset intersection: only string names can equal gold names.
        var intersection = 0
        var counted = [Bool](repeating: false, count: gold.count)
        for (index, name) in gold.enumerated() where !counted[index] {
            var goldCount = 0
            for other in index..<gold.count where gold[other].hasSameScalars(as: name) {
                goldCount += 1
                counted[other] = true
            }
            var predictedCount = 0
            for candidate in predicted {
                if case .string(let text) = candidate, text.hasSameScalars(as: name) { predictedCount += 1 }
            }
            intersection += Swift.min(goldCount, predictedCount)
        }
        let denominator = gold.count + predicted.count - intersection
        return denominator > 0 ? Double(intersection) / Double(denominator) : 0.0
    }

    /// `match_score` on parameter-key lists (keys are unique within an object).
    static func keyListScore(_ gold: [(String, JSONValue)], _ predicted: [(String, JSONValue)], refined: Bool) -> Double {
        if gold.count == predicted.count,
           zip(gold, predicted).allSatisfy({ $0.0.0.hasSameScalars(as: $0.1.0) }) { return 1.0 }
        if refined { return 0.0 }
        if gold.isEmpty || predicted.isEmpty { return 0.0 }
        var intersection = 0
        for (key, _) in gold where predicted.contains(where: { $0.0.hasSameScalars(as: key) }) { intersection += 1 }
        let denominator = gold.count + predicted.count - intersection
        return denominator > 0 ? Double(intersection) / Double(denominator) : 0.0
    }

    // MARK: - Length (§14)

    /// The rounded, capped length fraction, before scaling.
    static func lengthFraction(_ bytes: UnsafeBufferPointer<UInt8>, growing: Bool, step: Int) -> Double {
        guard PythonText.find("<think>", in: bytes, from: 0) != nil,
              PythonText.find("</think>", in: bytes, from: 0) != nil,
              let lastOpen = PythonText.findLast("<think>", in: bytes) else { return 0.0 }
        let start = lastOpen + 7
        let end = PythonText.find("</think>", in: bytes, from: start) ?? bytes.count
        let words = Double(PythonText.wordCount(bytes, start..<end))
        let target = growing ? Double((640 - 384) * step) / 105 + 384 : 512
        let fraction = PythonRound.twoDecimals(words / target)
        return fraction > 1.0 ? 1.0 : fraction
    }

    // MARK: - Schedules (§15)

    static func formatRange(_ base: ScaleRange, kind: ScheduleKind, step: Int) -> ScaleRange {
        var (low, high) = (base.min, base.max)
        switch kind {
        case .twoStage:
            if step >= 30 { high = high / 2; low = low / 2 }
        case .dynamic:
            high = 2 - (2 - high) * Double(step) / 150
            low = -2 + (2 + low) * Double(step) / 150
            if high < 1.0 { high = 1.0 }
            if low > -1.0 { low = -1.0 }
        default: break
        }
        return ScaleRange(low, high)
    }

    static func correctnessRange(_ base: ScaleRange, kind: ScheduleKind, step: Int) -> ScaleRange {
        var (low, high) = (base.min, base.max)
        switch kind {
        case .twoStage:
            if step < 30 { high = high / 3; low = low / 3 }
        case .dynamic:
            high = (high - 2) * Double(step) / 150 + 2
            low = (low + 2) * Double(step) / 150 - 2
            if high > 3.0 { high = 3.0 }
            if low < -3.0 { low = -3.0 }
        default: break
        }
        return ScaleRange(low, high)
    }
}

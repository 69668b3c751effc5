import Basics
import Foundation
import Rewards
import ToolUse

/// Throughput of `ablate score`'s per-line work (`LineScorer.scoreLine`), for `ablate bench`
/// (report key `score_lines_per_second`). In memory: no file I/O.
public enum ScoreBenchmark {
    /// Lines per second scoring `lines` synthetic JSON lines on the calling thread.
    public static func linesPerSecond(spec: RewardSpec = RewardSpec(preset: .original), lines: Int = 50_000,
                                      totalSteps: Int = 105, seed: UInt64 = 1) -> Double {
        guard let reward = try? ToolCallReward(spec: spec), lines > 0 else { return 0 }
        let scorer = LineScorer(reward: reward, totalSteps: totalSteps)
        let input = syntheticLines(count: lines, seed: seed)
        let start = DispatchTime.now().uptimeNanoseconds
        var checksum = 0
        for (index, line) in input.enumerated() {
            checksum &+= (try? scorer.scoreLine(line, lineNumber: index + 1))??.utf8.count ?? 0
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return checksum > 0 && seconds > 0 ? Double(lines) / seconds : 0
    }

    /// Deterministic JSON lines shaped like rollouts: ~`count / 8` distinct gold answers (a group
    /// of completions per prompt), completions exact or perturbed (wrong value, reordered,
    /// missing call, bad JSON, response instead of a call, no think).
    static func syntheticLines(count: Int, seed: UInt64 = 1) -> [String] {
        var random = SplitMix64(seed: seed)
        func next() -> Int { Int(truncatingIfNeeded: random.next() >> 1) }
        let tools = ["get_weather", "search_flights", "convert_currency", "book_table", "find_recipe", "send_email"]
        let keys = ["city", "date", "amount", "currency", "limit", "query", "people", "unit"]
        let words = ["check", "the", "user", "wants", "a", "tool", "call", "with", "proper", "parameters", "then", "answer"]
        func think(_ count: Int) -> String { (0..<count).map { _ in words[next() % words.count] }.joined(separator: " ") }
        var lines: [String] = []
        lines.reserveCapacity(count)
        var gold = ""
        var calls: [ToolCall] = []
        for index in 0..<count {
            if index % 8 == 0 {
                calls = (0..<(1 + next() % 3)).map { _ in
                    ToolCall(name: tools[next() % tools.count], parameters: (0..<(next() % 4)).map { position in
                        (keys[(position * 3 + next()) % keys.count] + "\(position)",
                         next() % 2 == 0 ? .string(words[next() % words.count]) : .integer(next() % 100))
                    })
                }
                if next() % 10 == 0 {
                    gold = "<think> I should directly respond to the user's need. </think>\n<response> \(think(8)) </response>"
                    calls = []
                } else {
                    gold = "<think> I should use the appropriate tool with proper parameters to respond to the user's need. </think>\n<tool_call>\n"
                        + calls.map(\.description).joined(separator: "\n") + "\n</tool_call>"
                }
            }
            var predicted = calls
            let kind = next() % 7
            switch kind {
            case 1 where !predicted.isEmpty && !predicted[0].parameters.isEmpty: predicted[0].parameters[0].1 = .string("wrong")
            case 2: predicted.reverse()
            case 3 where predicted.count > 1: predicted.removeLast()
            default: break
            }
            var completion = kind == 6 ? "" : "<think> \(think(10 + next() % 40)) </think>\n"
            if kind == 4 {
                completion += "<tool_call>\n{\"name\": \"broken\", \"parameters\": {\n</tool_call>"
            } else if kind == 5 || predicted.isEmpty {
                completion += "<response> \(think(6)) </response>"
            } else {
                completion += "<tool_call>\n" + predicted.map(\.description).joined(separator: "\n") + "\n</tool_call>"
            }
            let line = JSONValue.object([
                ("id", .string("s\(index)")), ("gold", .string(gold)), ("completion", .string(completion)),
                ("step", .integer(index % 106)),
            ])
            lines.append(line.dumps())
        }
        return lines
    }
}

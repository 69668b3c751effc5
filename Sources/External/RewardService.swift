import Config
import Foundation
import Rewards
import RunStore
import ToolUse
import Training

/// The reward server's protocol (docs/external.md, "The reward server"): one JSON request per
/// line in, one JSON response per line out, in order. Transport-free, so the Unix socket and
/// stdin/stdout share it.
///
/// Requests (`op` defaults to `score`; `id`, when given, is echoed back):
/// - `{"op": "score", "items": [{"gold", "completion", "step"}, …], "reward"?, "total_steps"?}`
///   → `{"results": [{"format", "correctness", "length", "total"}, …]}` (`length` null without a
///   length term). `reward` (a preset name or a reward object, docs/rewards.md) and
///   `total_steps` override the server's own for this request.
/// - `{"op": "info"}` → `{"reward": {…resolved spec…}, "components": [...], "weights": {...},
///   "total_steps": N}`.
/// - `{"op": "evaluate", "step": s, "items": [{"split", "gold", "completion"}, …]}` →
///   `{"step": s, "splits": {"overall": {…}, "<split>": {…}}}`: Ablate's evaluation metrics
///   (the shape of `eval.json`).
/// A request that cannot be answered gets `{"error": "…"}` naming the field; the connection
/// stays usable.
public final class RewardService: @unchecked Sendable {
    public let reward: ToolCallReward
    public let totalSteps: Int
    /// Rewards named by requests, keyed by their JSON text.
    private var others: [String: ToolCallReward] = [:]
    private let lock = NSLock()
    /// Items per parallel chunk; batches smaller than two chunks score on the calling thread.
    let chunkSize = 32

    public init(reward: ToolCallReward, totalSteps: Int) {
        self.reward = reward
        self.totalSteps = max(1, totalSteps)
    }

    /// The response line (no newline) to one request line.
    public func respond(to line: UnsafeBufferPointer<UInt8>) -> String {
        let request: JSONValue
        do {
            request = try JSONValue.parse(utf8: line)
        } catch let error as JSONParseError {
            return Self.error("not valid JSON: \(error.message) at column \(error.column)", id: nil)
        } catch {
            return Self.error("\(error)", id: nil)
        }
        let id = request["id"]
        guard case .object = request else { return Self.error("expected a JSON object, found \(request.typeName)", id: nil) }
        do {
            var fields: [(String, JSONValue)] = id.map { [("id", $0)] } ?? []
            switch request["op"]?.stringValue ?? "score" {
            case "score": fields += try score(request)
            case "info": fields += try info(request)
            case "evaluate": fields += try evaluate(request)
            case let other: throw RequestError("unknown op '\(other)': expected score, info or evaluate")
            }
            return JSONValue.object(fields).dumps()
        } catch let error as RequestError {
            return Self.error(error.message, id: id)
        } catch {
            return Self.error("\(error)", id: id)
        }
    }

    public func respond(to line: String) -> String {
        var copy = line
        return copy.withUTF8 { respond(to: $0) }
    }

    static func error(_ message: String, id: JSONValue?) -> String {
        JSONValue.object((id.map { [("id", $0)] } ?? []) + [("error", .string(message))]).dumps()
    }

    // MARK: - Requests

    func score(_ request: JSONValue) throws -> [(String, JSONValue)] {
        let reward = try rewardFor(request)
        let total = try totalStepsFor(request)
        let items = try array(request, "items")
        var golds = [String](repeating: "", count: items.count)
        var completions = golds
        var steps = [Int](repeating: 0, count: items.count)
        for (index, item) in items.enumerated() {
            let at = "items[\(index)]"
            golds[index] = try string(item, "gold", at: at)
            completions[index] = try string(item, "completion", at: at)
            steps[index] = try integer(item, "step", at: at)
            if let problem = reward.goldProblem(golds[index]) { throw RequestError("\(at).gold: \(problem)") }
        }
        var results = [JSONValue](repeating: .null, count: items.count)
        results.withUnsafeMutableBufferPointer { slots in
            let base = slots.baseAddress!
            func scoreRange(_ range: Range<Int>) {
                for i in range {
                    let r = reward.score(gold: golds[i], completion: completions[i], step: steps[i], totalSteps: total)
                    (base + i).initialize(to: .object([
                        ("format", .double(r.format)), ("correctness", .double(r.correctness)),
                        ("length", r.length.map { .double($0) } ?? .null), ("total", .double(r.total)),
                    ]))
                }
            }
            let chunks = (items.count + chunkSize - 1) / chunkSize
            if chunks < 2 {
                scoreRange(0..<items.count)
            } else {
                DispatchQueue.concurrentPerform(iterations: chunks) { c in
                    scoreRange((c * chunkSize)..<min(items.count, (c + 1) * chunkSize))
                }
            }
        }
        return [("results", .array(results))]
    }

    func info(_ request: JSONValue) throws -> [(String, JSONValue)] {
        let reward = try rewardFor(request)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let spec = try JSONValue.parse(String(decoding: try encoder.encode(reward.spec), as: UTF8.self))
        let weights = reward.spec.weights
        var components: [JSONValue] = [.string("format"), .string("correctness")]
        var weightFields: [(String, JSONValue)] = [("format", .double(weights.format)), ("correctness", .double(weights.correctness))]
        if reward.hasLength {
            components.append(.string("length"))
            weightFields.append(("length", .double(weights.length)))
        }
        return [("reward", spec), ("components", .array(components)), ("weights", .object(weightFields)),
                ("total_steps", .integer(try totalStepsFor(request)))]
    }

    func evaluate(_ request: JSONValue) throws -> [(String, JSONValue)] {
        let reward = try rewardFor(request)
        let total = try totalStepsFor(request)
        let step = try integer(request, "step", at: "request")
        var bySplit: [(String, [TaskItem], [String])] = []
        for (index, item) in try array(request, "items").enumerated() {
            let at = "items[\(index)]"
            let split = try string(item, "split", at: at)
            let gold = try string(item, "gold", at: at)
            let completion = try string(item, "completion", at: at)
            if let problem = reward.goldProblem(gold) { throw RequestError("\(at).gold: \(problem)") }
            let taskItem = TaskItem(id: "\(split)-\(index)", split: TaskSplit(rawValue: split) ?? .seen, prompt: "", gold: gold,
                                    goldCalls: CompletionParser.parse(gold).calls, request: "", tools: [], isMasked: false)
            if let slot = bySplit.firstIndex(where: { $0.0 == split }) {
                bySplit[slot].1.append(taskItem)
                bySplit[slot].2.append(completion)
            } else {
                bySplit.append((split, [taskItem], [completion]))
            }
        }
        let names = reward.hasLength ? ["format", "correctness", "length"] : ["format", "correctness"]
        func metrics(_ items: [TaskItem], _ completions: [String]) -> JSONValue {
            let scores = zip(items, completions).map { item, completion -> RewardScore in
                let r = reward.score(gold: item.gold, completion: completion, step: step, totalSteps: total)
                var components = [("format", r.format), ("correctness", r.correctness)]
                if let length = r.length { components.append(("length", length)) }
                return RewardScore(total: r.total, components: components)
            }
            return Self.json(.object(EvaluationMetrics.split(items: items, completions: completions, scores: scores,
                                                              componentNames: names)))
        }
        var splits: [(String, JSONValue)] = [("overall", metrics(bySplit.flatMap(\.1), bySplit.flatMap(\.2)))]
        for (name, items, completions) in bySplit { splits.append((name, metrics(items, completions))) }
        return [("step", .integer(step)), ("splits", .object(splits))]
    }

    static func json(_ value: MetricValue) -> JSONValue {
        switch value {
        case .number(let x): return x.isFinite ? .double(x) : .null
        case .object(let fields): return .object(fields.map { ($0.0, json($0.1)) })
        }
    }

    // MARK: - Fields

    func rewardFor(_ request: JSONValue) throws -> ToolCallReward {
        guard let named = request["reward"], !named.isNull else { return reward }
        let key = named.dumps()
        lock.lock()
        defer { lock.unlock() }
        if let cached = others[key] { return cached }
        let spec: RewardSpec
        do {
            if case .string(let preset) = named {
                guard let known = RewardPreset(rawValue: preset) else {
                    throw RequestError("reward: unknown preset '\(preset)': expected one of \(RewardPreset.allowedValues) or a reward object")
                }
                spec = RewardSpec(preset: known)
            } else {
                spec = try RewardSpec.decode(try JSONTreeParser.parse(key, file: "request"))
            }
            let built = try ToolCallReward(spec: spec)
            others[key] = built
            return built
        } catch let error as RequestError {
            throw error
        } catch {
            throw RequestError("reward: \(error)")
        }
    }

    func totalStepsFor(_ request: JSONValue) throws -> Int {
        guard request["total_steps"] != nil else { return totalSteps }
        let value = try integer(request, "total_steps", at: "request")
        guard value >= 1 else { throw RequestError("total_steps must be at least 1") }
        return value
    }

    func array(_ object: JSONValue, _ key: String) throws -> [JSONValue] {
        guard let value = object[key] else { throw RequestError("missing field \"\(key)\"") }
        guard let items = value.arrayValue else { throw RequestError("field \"\(key)\" must be an array, found \(value.typeName)") }
        return items
    }

    func string(_ object: JSONValue, _ key: String, at path: String) throws -> String {
        guard case .object = object else { throw RequestError("\(path): expected an object, found \(object.typeName)") }
        guard let value = object[key] else { throw RequestError("\(path): missing field \"\(key)\"") }
        guard let text = value.stringValue else { throw RequestError("\(path).\(key): expected a string, found \(value.typeName)") }
        return text
    }

    func integer(_ object: JSONValue, _ key: String, at path: String) throws -> Int {
        guard let value = object[key] else { throw RequestError("\(path): missing field \"\(key)\"") }
        switch value {
        case .integer(let whole) where whole >= 0: return whole
        case .double(let x) where x >= 0 && x < 1e15 && x.rounded() == x: return Int(x)
        default: throw RequestError("\(path).\(key): expected a non-negative integer, found \(value.dumps())")
        }
    }
}

/// A request the reward server answers with `{"error": message}`.
struct RequestError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

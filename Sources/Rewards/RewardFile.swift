import Foundation
import ToolUse

extension RewardSpec {
    /// Decodes a reward spec from JSON text (the spec's keys, or `{"reward": {...}}`), reporting
    /// unknown keys and bad values with their key path (`source` names the file in messages).
    public static func decode(json text: String, source: String) throws -> RewardSpec {
        let tree: JSONValue
        do {
            tree = try JSONValue.parse(text)
        } catch let error as JSONParseError {
            throw RewardConfigError("\(source):\(error.line):\(error.column): \(error.message)")
        }
        // A file may hold the spec itself or a run-config style `{"reward": {...}}`.
        var spec = tree
        if case .object(let pairs) = tree, pairs.count == 1, pairs[0].0 == "reward", case .object = pairs[0].1 {
            spec = pairs[0].1
        }
        if let problem = unknownKey(in: spec, path: "") {
            throw RewardConfigError("\(source): \(problem)")
        }
        do {
            return try JSONDecoder().decode(RewardSpec.self, from: Data(spec.dumps().utf8))
        } catch let error as DecodingError {
            throw RewardConfigError("\(source): \(describe(error))")
        }
    }

    static let knownKeys: [String: [String]] = [
        "": ["preset", "fidelity", "scale", "correctness", "schedule", "length", "weights"],
        "scale": ["format", "correctness", "length"],
        "correctness": ["granularity", "matching", "values", "response_only"],
        "schedule": ["kind", "switch", "points", "start", "end"],
        "schedule.start": ["format", "correctness"],
        "schedule.end": ["format", "correctness"],
        "length": ["enabled", "target", "growth", "final_target"],
        "weights": ["format", "correctness", "length"],
    ]

    static func unknownKey(in value: JSONValue, path: String) -> String? {
        guard case .object(let pairs) = value, let allowed = knownKeys[path] else { return nil }
        for (key, child) in pairs {
            let childPath = path.isEmpty ? key : path + "." + key
            guard allowed.contains(key) else {
                let prefix = path.isEmpty ? "reward" : "reward." + path
                return "unknown key '\(prefix).\(key)'; expected one of \(allowed.joined(separator: ", "))"
            }
            if let problem = unknownKey(in: child, path: childPath) { return problem }
        }
        return nil
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            (["reward"] + context.codingPath.map(\.stringValue)).joined(separator: ".")
        }
        switch error {
        case .dataCorrupted(let context): return "\(path(context)): \(context.debugDescription)"
        case .keyNotFound(let key, let context): return "\(path(context)): missing key '\(key.stringValue)'"
        case .typeMismatch(let type, let context): return "\(path(context)): expected \(type): \(context.debugDescription)"
        case .valueNotFound(let type, let context): return "\(path(context)): expected \(type), found null"
        @unknown default: return "\(error)"
        }
    }
}

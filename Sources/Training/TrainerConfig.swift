import Foundation
import ToolUse

/// `RunConfig.trainer`: who trains the run. Absent (the default), Ablate's in-process trainer;
/// with a `command`, an external program (TRL, veRL, anything) started in the run directory under
/// the contract of docs/external.md.
///
/// Keys (YAML / JSON):
/// - `command` (list of strings, at least one): the program and its arguments. Placeholders
///   `{seed}`, `{run_dir}`, `{run_id}`, `{launch_dir}` (where `ablate run` was started) and
///   `{config.<dotted key>}` (e.g. `{config.train.lr}`) expand in each argument; `{{` and `}}`
///   are literal braces. The command runs in the run directory; a relative program path starts
///   at the launch directory.
/// - `env` (map of strings, default `{}`): environment variables added for the command
///   (placeholders expand in values too).
/// - `resumable` (bool, default false): the command resumes from its own `checkpoint/` when
///   started with `ABLATE_RESUME=1`; otherwise an interrupted run starts over.
/// - `gpus` (integer ≥ 0, default 0): GPUs the run needs; the executor sets
///   `CUDA_VISIBLE_DEVICES` to that many GPUs of its pool.
///
/// The command and its environment are part of the run's identity (they are in `config.json`,
/// which the run id hashes); the executor that starts it is not.
public struct TrainerConfig: Codable, Equatable, Sendable {
    public var command: [String]
    public var env: [String: String] = [:]
    public var resumable = false
    public var gpus = 0

    init(command: [String], env: [String: String] = [:], resumable: Bool = false, gpus: Int = 0) {
        self.command = command
        self.env = env
        self.resumable = resumable
        self.gpus = gpus
    }

    enum CodingKeys: String, CodingKey {
        case command, env, resumable, gpus
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        command = try c.decode([String].self, forKey: .command)
        guard let program = command.first, !program.isEmpty else {
            throw DecodingError.dataCorruptedError(
                forKey: .command, in: c,
                debugDescription: "an empty command is not allowed: expected the program and its arguments, e.g. [python3, train.py, --lr, '{config.train.lr}']")
        }
        env = try c.decodeIfPresent([String: String].self, forKey: .env) ?? [:]
        for name in env.keys where name.isEmpty || name.contains("=") {
            throw DecodingError.dataCorruptedError(forKey: .env, in: c,
                                                   debugDescription: "'\(name)' is not a valid environment variable name")
        }
        resumable = try c.decodeIfPresent(Bool.self, forKey: .resumable) ?? false
        gpus = try c.decodeChecked(Int.self, forKey: .gpus, default: 0, requirement: "an integer ≥ 0") { $0 >= 0 }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(command, forKey: .command)
        try c.encode(env, forKey: .env)
        try c.encode(resumable, forKey: .resumable)
        try c.encode(gpus, forKey: .gpus)
    }
}

/// Expands `{name}` placeholders in a trainer's arguments and environment values.
public struct TrainerPlaceholders {
    /// The resolved config as JSON, for `{config.<dotted key>}`.
    let config: JSONValue
    let runDirectory: String
    let launchDirectory: String

    public init(config: RunConfig, runDirectory: String, launchDirectory: String) throws {
        self.config = try JSONValue.parse(String(decoding: try config.jsonData(), as: UTF8.self))
        self.runDirectory = runDirectory
        self.launchDirectory = launchDirectory
    }

    /// `text` with every placeholder replaced; throws `RunError` naming an unknown one.
    public func expand(_ text: String) throws -> String {
        var output = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(where: { $0 == "{" || $0 == "}" }) {
            output += rest[..<open]
            let after = rest.index(after: open)
            if after < rest.endIndex, rest[after] == rest[open] {   // `{{` or `}}`
                output.append(rest[open])
                rest = rest[rest.index(after: after)...]
                continue
            }
            guard rest[open] == "{", let close = rest[after...].firstIndex(of: "}") else {
                throw RunError("'\(text)': unmatched '\(rest[open])' (write {{ or }} for a literal brace)")
            }
            output += try value(of: String(rest[after..<close]), in: text)
            rest = rest[rest.index(after: close)...]
        }
        return output + rest
    }

    func value(of name: String, in text: String) throws -> String {
        switch name {
        case "seed": return render(config["seed"] ?? .null)
        case "run_dir": return runDirectory
        case "run_id": return URL(fileURLWithPath: runDirectory).lastPathComponent
        case "launch_dir": return launchDirectory
        default: break
        }
        guard name.hasPrefix("config.") else {
            throw RunError("'\(text)': unknown placeholder {\(name)}: expected {seed}, {run_dir}, {run_id}, {launch_dir} or {config.<key>} such as {config.train.lr}")
        }
        var node = config
        for key in name.dropFirst("config.".count).split(separator: ".", omittingEmptySubsequences: false) {
            guard let child = node[String(key)] else {
                throw RunError("'\(text)': unknown placeholder {\(name)}: the resolved config has no key '\(name.dropFirst("config.".count))'")
            }
            node = child
        }
        return render(node)
    }

    /// Strings as they are, everything else as compact JSON (`0.0003`, `true`, `[0, 1]`).
    func render(_ value: JSONValue) -> String {
        if case .string(let text) = value { return text }
        return value.dumps()
    }
}

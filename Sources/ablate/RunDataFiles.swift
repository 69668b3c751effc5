import Foundation
import Sweep
import ToolUse
import Training

/// The data files a run config names (`task.data`, `task.eval_data`): resolved against the file
/// that names them, hashed and loaded once before anything runs (so a missing or damaged file is
/// refused with exit 2 by `plan`, `run` and `train`), and checked against the recorded hash again
/// when a run starts.
enum RunDataFiles {
    /// The run config keys that name data files.
    static let keys = ["task.data", "task.eval_data"]

    /// A cache for one command: each file is read, hashed and loaded once.
    static func cache() -> FileReferences.Cache {
        FileReferences.Cache { bytes, path in try ToolRLLoader.check(bytes, file: path) }
    }

    /// The planning resolver: data files resolved and checked, then the config decoded into
    /// `RunConfig` (every default filled in). Reports data and config errors together.
    static func resolver() -> ConfigResolver {
        let cache = cache()
        let decode = ConfigLoader.resolver(for: RunConfig.self)
        return { tree in try resolveThenDecode(tree, cache: cache, decode: decode) }
    }

    /// A run config file (YAML or JSON) for `ablate train`, with its data files resolved.
    static func loadRunConfig(file: String) throws -> RunConfig {
        let tree = try YAMLLoader.load(file: file).expandingDottedKeys()
        return try resolveThenDecode(tree, cache: cache()) { try ConfigLoader.decode(RunConfig.self, from: $0) }
    }

    static func resolveThenDecode<T>(_ tree: ConfigTree, cache: FileReferences.Cache,
                                     decode: (ConfigTree) throws -> T) throws -> T {
        let resolved: ConfigTree
        do {
            resolved = try FileReferences.resolve(in: tree, keys: keys, cache: cache)
        } catch let fileErrors as ConfigError {
            // Report the config's own errors too, not only the files'.
            do { _ = try decode(tree) } catch let configErrors as ConfigError {
                throw ConfigError(diagnostics: fileErrors.diagnostics + configErrors.diagnostics)
            }
            throw fileErrors
        }
        return try decode(resolved)
    }

    /// Fails when a recorded data file no longer has the content its run was planned with.
    static func verify(_ reference: DataFileReference) throws {
        guard let recorded = reference.sha256 else { return }
        guard let data = FileManager.default.contents(atPath: reference.location) else {
            throw RunError("data file '\(reference.path)' cannot be read at \(reference.location) "
                           + "(moved or deleted since the run was planned?); plan the sweep again")
        }
        let now = SHA256.hex(bytes: [UInt8](data))
        guard now == recorded else {
            throw RunError("data file '\(reference.path)' (\(reference.location)) has changed since the run was planned "
                           + "(sha256 \(recorded.prefix(12))… then, \(now.prefix(12))… now); "
                           + "plan the sweep again: the changed file makes new runs")
        }
    }

    /// `config` with its data files named by content only, for comparing two configs of one run.
    static func byContent(_ config: RunConfig) -> RunConfig {
        var copy = config
        copy.task.data = copy.task.data.map { DataFileReference("", sha256: $0.sha256) }
        copy.task.evalData = copy.task.evalData.map { DataFileReference("", sha256: $0.sha256) }
        return copy
    }
}

import Basics
import Config
import Foundation
import ToolUse

/// The files a run config names, checked before anything runs, so that `plan`, `run` and `train`
/// refuse a missing or damaged one with exit 2 at its key's file:line:column:
/// - data files (`task.data`, `task.eval_data`): resolved against the file that names them, hashed
///   and loaded once (when a run starts, the loader checks the file against its recorded hash
///   again);
/// - checkpoint paths (`init`, `critic.init`): relative to the current directory, as the run
///   resolves them when it starts.
extension RunConfig {
    /// The run config keys that name data files.
    static let dataFileKeys = ["task.data", "task.eval_data"]

    /// The resolver sweeps plan with: `resolver`, with the data files resolved and checked first
    /// (each file read, hashed and loaded once per call of this function).
    public static func planningResolver() -> ConfigResolver {
        resolver.resolvingFiles(at: dataFileKeys, cache: dataFileCache()).checking(checkCheckpointPaths)
    }

    /// The run config keys that may name a checkpoint directory, each with the checkpoint path
    /// its value names (as the run reads the value), or nil.
    static let checkpointKeys: [(key: String, path: @Sendable (String) -> String?)] = [
        ("init", { if case .path(let path) = InitSource($0) { return path } else { return nil } }),
        ("critic.init", { if case .path(let path) = CriticConfig.Start($0) { return path } else { return nil } }),
    ]

    /// Refuses a checkpoint path in `init` or `critic.init` that names no checkpoint.
    @Sendable static func checkCheckpointPaths(_ tree: ConfigTree) throws {
        var log = DiagnosticLog()
        for (key, checkpointPath) in checkpointKeys {
            guard let node = tree.value(atPath: key), let text = node.string, let path = checkpointPath(text) else { continue }
            do {
                _ = try TrainingRun.checkpoint(at: path, for: key)
            } catch {
                let directory = FileManager.default.currentDirectoryPath
                log.error(node.location, "\(error); a relative path is relative to the current directory (\(directory)): "
                          + "run from the directory it is relative to (the repository root for the specs in sweeps/), or give an absolute path")
            }
        }
        try log.throwIfErrors()
    }

    /// Reads a run config file (YAML, or JSON when the name ends in `.json`) with its data files
    /// resolved against it and checked: what `ablate train`, `items` and `export-task` read.
    public static func loadResolvingDataFiles(file path: String) throws -> RunConfig {
        let tree = try ConfigLoader.load(file: path).expandingDottedKeys()
        return try ConfigLoader.decode(RunConfig.self, from: try planningResolver().resolve(tree))
    }

    static func dataFileCache() -> FileReferences.Cache {
        FileReferences.Cache { bytes, path in try ToolRLLoader.check(bytes, file: path) }
    }
}

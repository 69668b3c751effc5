import Config
import ToolUse

/// The data files a run config names (`task.data`, `task.eval_data`): resolved against the file
/// that names them, hashed and loaded once before anything runs, so that `plan`, `run` and
/// `train` refuse a missing or damaged file with exit 2. (When a run starts, the loader checks the
/// file against its recorded hash again.)
extension RunConfig {
    /// The run config keys that name data files.
    static let dataFileKeys = ["task.data", "task.eval_data"]

    /// The resolver sweeps plan with: `resolver`, with the data files resolved and checked first
    /// (each file read, hashed and loaded once per call of this function).
    public static func planningResolver() -> ConfigResolver {
        resolver.resolvingFiles(at: dataFileKeys, cache: dataFileCache())
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

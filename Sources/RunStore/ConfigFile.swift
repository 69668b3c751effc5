import Basics
import Config
import Foundation

/// `config.json`: a run's fully resolved config, keys sorted, pretty (`CanonicalJSON`), written by
/// the planner into the store and by `ablate train` into its directory. Its identity (the run id)
/// is computed by `RunIdentity`, not from these bytes.
public enum ConfigFile {
    /// The file's text for a resolved config tree.
    public static func text(_ config: ConfigTree) throws -> String {
        try CanonicalJSON.prettyString(config)
    }

    /// Writes `config` atomically.
    public static func write(_ config: ConfigTree, to path: String) throws {
        try AtomicFile.write(try text(config), to: path)
    }

    /// Reads the file into a tree whose nodes carry their file:line:column, for a decoder that
    /// reports problems there; nil when there is no file.
    public static func read(at path: String) throws -> ConfigTree? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try JSONTreeParser.parse(data, file: path)
    }
}

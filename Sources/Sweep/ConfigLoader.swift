import Basics
import Foundation

/// Loads typed configs from YAML or from config trees, with located errors.
public enum ConfigLoader {
    /// Decodes a YAML file into any Decodable, reporting unknown keys and wrong types at their
    /// location. Dotted keys (`train.lr: 0.001`) are expanded first.
    public static func decode<T: Decodable>(_ type: T.Type, yamlFile path: String) throws -> T {
        try decode(type, from: try YAMLLoader.load(file: path))
    }

    /// Decodes YAML text; `file` names it in error locations.
    public static func decode<T: Decodable>(_ type: T.Type, yaml: String, file: String = "<yaml>") throws -> T {
        try decode(type, from: try YAMLLoader.load(yaml: yaml, file: file))
    }

    /// Decodes a config tree (dotted keys expanded first).
    public static func decode<T: Decodable>(_ type: T.Type, from tree: ConfigTree) throws -> T {
        try ConfigTreeDecoder().decode(type, from: try tree.expandingDottedKeys())
    }

    /// A resolver for planning: decodes the tree into `T` (so every default is filled and every
    /// unknown key or bad value is reported at its location), encodes it back, and returns the
    /// encoded tree. Pass `RunConfig.self` to plan real sweeps.
    public static func resolver<T: Codable>(for type: T.Type) -> ConfigResolver {
        { tree in
            let value = try decode(type, from: tree)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            return try JSONTreeParser.parse(try encoder.encode(value), file: "<resolved \(T.self)>")
        }
    }
}

/// Turns a run's merged config tree into its resolved config: every default filled in, in a form
/// `CanonicalJSON` can write. Throws located errors for bad keys and values.
public typealias ConfigResolver = (ConfigTree) throws -> ConfigTree

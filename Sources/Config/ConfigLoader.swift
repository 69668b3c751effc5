import Basics
import Foundation

/// Loads typed configs from YAML or JSON files or from config trees, with located errors: every
/// problem (a syntax error, an unknown key, a wrong type, a bad value) is reported as
/// `file:line:column: error: …`.
public enum ConfigLoader {
    /// Reads a config file into a tree: JSON when the name ends in `.json`, YAML otherwise.
    public static func load(file path: String) throws -> ConfigTree {
        guard path.lowercased().hasSuffix(".json") else { return try YAMLLoader.load(file: path) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(at: nil, "cannot read '\(path)'")
        }
        return try JSONTreeParser.parse(data, file: path)
    }

    /// Decodes a YAML or JSON file into any Decodable, reporting unknown keys and wrong types at
    /// their location. Dotted keys (`train.lr: 0.001`) are expanded first.
    public static func decode<T: Decodable>(_ type: T.Type, file path: String) throws -> T {
        try decode(type, from: try load(file: path))
    }

    /// Decodes YAML text; `file` names it in error locations.
    public static func decode<T: Decodable>(_ type: T.Type, yaml: String, file: String = "<yaml>") throws -> T {
        try decode(type, from: try YAMLLoader.load(yaml: yaml, file: file))
    }

    /// Decodes a config tree (dotted keys expanded first).
    public static func decode<T: Decodable>(_ type: T.Type, from tree: ConfigTree) throws -> T {
        try ConfigTreeDecoder().decode(type, from: try tree.expandingDottedKeys())
    }

    /// The tree of an encodable value: what a resolved config looks like once written.
    public static func tree<T: Encodable>(encoding value: T) throws -> ConfigTree {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try JSONTreeParser.parse(try encoder.encode(value), file: "<resolved \(T.self)>")
    }

    /// A resolver for planning: decodes the tree into `T` (so every default is filled and every
    /// unknown key or bad value is reported at its location) and encodes it back. Its defaults
    /// are `T` decoded from an empty map; `defaultsVersion` says which table of defaults ids are
    /// relative to (see `RunIdentity`). `RunConfig.resolver` is the one real sweeps use (with data
    /// files resolved first: `RunConfig.planningResolver()`).
    public static func resolver<T: Codable>(for type: T.Type, defaultsVersion: Int) -> ConfigResolver {
        let resolve: @Sendable (ConfigTree) throws -> ConfigTree = { tree in
            try ConfigLoader.tree(encoding: try decode(T.self, from: tree))
        }
        // An empty config must decode: every key of a config type has a default.
        let defaults = (try? resolve(.emptyMap)) ?? .emptyMap
        return ConfigResolver(defaults: defaults, defaultsVersion: defaultsVersion, resolve: resolve)
    }
}

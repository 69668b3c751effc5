import Basics
import Config
import Foundation

extension SweepSpec {
    /// The top-level keys of spec format v1.
    static let topLevelKeys = ["sweep", "description", "extends", "config", "seeds", "grid", "zip",
                                      "variants", "exclude", "stages", "report", "executor"]

    /// Loads and validates a spec file (following `extends`). Throws `ConfigError` listing every
    /// problem found, each at its file:line:column.
    public static func load(file path: String) throws -> SweepSpec {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let tree = try SpecInheritance.load(absolute, chain: [], referencedAt: nil)
        return try parse(tree, path: absolute)
    }

    /// Parses a spec from YAML text (no `extends` unless `path` names a real directory).
    public static func parse(yaml: String, path: String) throws -> SweepSpec {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let tree = try SpecInheritance.resolve(try YAMLLoader.load(yaml: yaml, file: path), path: absolute, chain: [absolute])
        return try parse(tree, path: absolute)
    }

    /// The one rule for sweep and stage names: `[a-z0-9_-]+`, so a name is a safe directory name
    /// (`runs/<sweep>/`) on every file system.
    public static func isValidName(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F || $0 == 0x2D }
    }

    /// The `sweep:` name of a spec file (following `extends`), without checking the rest of the
    /// spec: for reporting a sweep whose spec no longer plans.
    public static func name(ofSpecAt path: String) throws -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        return try sweepName(in: try SpecInheritance.load(absolute, chain: [], referencedAt: nil))
    }

    /// The valid `sweep:` name of a spec tree.
    static func sweepName(in root: ConfigTree) throws -> String {
        guard let entry = root.entry("sweep") else {
            throw ConfigError(at: root.location, "missing key 'sweep' (the sweep's name, [a-z0-9_-]+; output goes to runs/<name>/)")
        }
        guard let name = entry.value.string, isValidName(name) else {
            throw ConfigError(at: entry.value.location, "a sweep name uses only a-z, 0-9, '_' and '-', found \(entry.value.shortDescription)")
        }
        return name
    }

    static func parse(_ root: ConfigTree, path: String) throws -> SweepSpec {
        var parser = SpecParser()
        let spec = parser.parse(root, path: path)
        try parser.log.throwIfErrors()
        return spec!
    }
}

import Basics
import Config

extension RewardSpec {
    /// Reads a reward file for `ablate score`: YAML, or JSON when the name ends in `.json`. The
    /// file holds the spec's keys, or a run-config style `reward:` map around them. Problems are
    /// reported at their file:line:column (unknown keys with a suggestion).
    public static func load(file path: String) throws -> RewardSpec {
        try decode(try ConfigLoader.load(file: path))
    }

    /// Decodes a spec from a config tree (the spec's keys, or `{reward: {...}}`).
    public static func decode(_ tree: ConfigTree) throws -> RewardSpec {
        var spec = tree
        if let entries = tree.entries, entries.count == 1, entries[0].key == "reward", entries[0].value.entries != nil {
            spec = entries[0].value
        }
        return try ConfigLoader.decode(RewardSpec.self, from: spec)
    }
}

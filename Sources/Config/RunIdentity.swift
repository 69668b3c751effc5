import Basics

/// What a run's id is a hash of: the one place identity is computed (docs/architecture.md,
/// "Identity across versions").
///
/// The id is the lowercase hex SHA-256 of the canonical JSON (`CanonicalJSON`) of
///
///     {"config": <the resolved config without the keys at their default>, "defaults_version": N}
///
/// Data files a config names (`FileReferences`) enter by their content only: each recorded
/// `{path, resolved, sha256}` is reduced to `{sha256}` first, so an edited file makes new runs
/// and a moved one does not. Keys at their default value are left out, so a version of Ablate
/// that adds a config key (at a default that keeps today's behaviour) keeps every existing id.
/// A default's *value* is part of what a run means, so changing one is a deliberate, versioned
/// event: the table of defaults is pinned by a test, and changing it means bumping
/// `defaultsVersion`, which changes every id. `config.json` still records the fully resolved
/// config.
public struct RunIdentity: Sendable {
    /// The resolved config, every key present.
    public let config: ConfigTree
    /// The config without the keys at their default, data files by content: what the id hashes.
    let significantConfig: ConfigTree
    public let defaultsVersion: Int
    /// The canonical text the id hashes.
    public let text: String
    /// Lowercase hex SHA-256 of `text`.
    public let id: String
    /// The defaults left out of the hash.
    private let defaults: ConfigTree

    init(config: ConfigTree, defaults: ConfigTree, defaultsVersion: Int) throws {
        self.config = config
        self.defaults = defaults
        self.defaultsVersion = defaultsVersion
        significantConfig = Self.removingDefaults(from: FileReferences.contentOnly(config), defaults: defaults) ?? .emptyMap
        let hashed = ConfigTree.map([
            ConfigEntry(key: "config", value: significantConfig),
            ConfigEntry(key: "defaults_version", value: .scalar(.int(defaultsVersion))),
        ])
        text = try CanonicalJSON.string(hashed)
        id = SHA256.hex(text)
    }

    /// Whether `stored` (a `config.json` of this run, as an earlier version may have written it)
    /// is this run's config: the same id under today's defaults. A key added since at its default
    /// is absent from an older file and leaves the id alone; data files count by content only.
    public func identifies(_ stored: ConfigTree) -> Bool {
        (try? RunIdentity(config: stored, defaults: defaults, defaultsVersion: defaultsVersion).id) == id
    }

    /// `tree` without the entries whose value equals the value at the same path in `defaults`;
    /// a map left empty disappears (nil). Lists and scalars are compared whole.
    static func removingDefaults(from tree: ConfigTree, defaults: ConfigTree?) -> ConfigTree? {
        guard let defaults else { return tree }
        guard let entries = tree.entries, defaults.entries != nil else {
            return tree.sameValue(as: defaults) ? nil : tree
        }
        var kept: [ConfigEntry] = []
        for entry in entries {
            if let value = removingDefaults(from: entry.value, defaults: defaults[entry.key]) {
                kept.append(ConfigEntry(key: entry.key, keyLocation: entry.keyLocation, value: value))
            }
        }
        return kept.isEmpty ? nil : ConfigTree(.map(kept), at: tree.location)
    }
}

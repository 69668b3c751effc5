import Basics

/// Turns a run's merged config tree into its resolved config (every default filled in, in a form
/// `CanonicalJSON` can write; located errors for bad keys and values), and knows the defaults a
/// run's identity leaves out.
public struct ConfigResolver: Sendable {
    /// The resolved config of an empty tree: every key at its default.
    public var defaults: ConfigTree
    /// The version of the defaults table (`RunIdentity.defaultsVersion`).
    public var defaultsVersion: Int
    private let resolveTree: @Sendable (ConfigTree) throws -> ConfigTree

    init(defaults: ConfigTree, defaultsVersion: Int, resolve: @escaping @Sendable (ConfigTree) throws -> ConfigTree) {
        self.defaults = defaults
        self.defaultsVersion = defaultsVersion
        self.resolveTree = resolve
    }

    /// A resolver that keeps the tree as written and knows no defaults: for tests and untyped
    /// sweeps.
    static let untyped = ConfigResolver(defaults: .emptyMap, defaultsVersion: 0) { $0 }

    public func resolve(_ tree: ConfigTree) throws -> ConfigTree { try resolveTree(tree) }

    /// This resolver with the file references at the dotted `keys` resolved first
    /// (`FileReferences`: located, hashed and checked once per file through `cache`). A tree with
    /// a bad file reference reports the config's own errors too, not only the files'.
    public func resolvingFiles(at keys: [String], cache: FileReferences.Cache) -> ConfigResolver {
        preparing { try FileReferences.resolve(in: $0, keys: keys, cache: cache) }
    }

    /// This resolver with `check` run on each tree first: a check refuses a tree by throwing a
    /// located `ConfigError`, reported with the tree's other errors.
    public func checking(_ check: @escaping @Sendable (ConfigTree) throws -> Void) -> ConfigResolver {
        preparing { tree in
            try check(tree)
            return tree
        }
    }

    /// This resolver with `prepare` applied to each tree before it resolves; when `prepare`
    /// throws located errors, the tree's own errors (resolved as written) are reported with them.
    private func preparing(_ prepare: @escaping @Sendable (ConfigTree) throws -> ConfigTree) -> ConfigResolver {
        let resolveTree = self.resolveTree
        return ConfigResolver(defaults: defaults, defaultsVersion: defaultsVersion) { tree in
            let prepared: ConfigTree
            do {
                prepared = try prepare(tree)
            } catch let prepareErrors as ConfigError {
                do { _ = try resolveTree(tree) } catch let configErrors as ConfigError {
                    throw ConfigError(diagnostics: prepareErrors.diagnostics + configErrors.diagnostics)
                }
                throw prepareErrors
            }
            return try resolveTree(prepared)
        }
    }

    /// The identity of a resolved config (its run id and the text the id hashes).
    public func identity(of resolved: ConfigTree) throws -> RunIdentity {
        try RunIdentity(config: resolved, defaults: defaults, defaultsVersion: defaultsVersion)
    }
}

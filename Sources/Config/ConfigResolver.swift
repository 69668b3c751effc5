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

    /// The identity of a resolved config (its run id and the text the id hashes).
    public func identity(of resolved: ConfigTree) throws -> RunIdentity {
        try RunIdentity(config: resolved, defaults: defaults, defaultsVersion: defaultsVersion)
    }
}

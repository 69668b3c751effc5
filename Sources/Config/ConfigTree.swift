/// A scalar in a config tree, typed the YAML 1.2 core-schema way (quoted scalars are strings).

import Basics

public enum ConfigScalar: Equatable, Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)

    /// The value as a Double when it is a number.
    public var number: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }

    /// Equality of values: numbers compare by value (`1` equals `1.0`), everything else exactly.
    public func sameValue(as other: ConfigScalar) -> Bool {
        if let left = number, let right = other.number { return left == right }
        return self == other
    }
}

/// One key of a map node, with where the key was written.
public struct ConfigEntry: Sendable {
    public var key: String
    public var keyLocation: SourceLocation?
    public var value: ConfigTree

    init(key: String, keyLocation: SourceLocation? = nil, value: ConfigTree) {
        self.key = key
        self.keyLocation = keyLocation
        self.value = value
    }
}

/// A generic config value: a map (ordered keys), a list or a scalar, each node carrying the
/// file:line:column it came from. Sweeps manipulate it by dotted keys; typed configs are decoded
/// from it with `ConfigTreeDecoder`.
public struct ConfigTree: Sendable {
    public indirect enum Value: Sendable {
        case scalar(ConfigScalar)
        case list([ConfigTree])
        case map([ConfigEntry])
    }

    public var value: Value
    public var location: SourceLocation?

    init(_ value: Value, at location: SourceLocation? = nil) {
        self.value = value
        self.location = location
    }

    public static func scalar(_ scalar: ConfigScalar, at location: SourceLocation? = nil) -> ConfigTree {
        ConfigTree(.scalar(scalar), at: location)
    }

    public static func map(_ entries: [ConfigEntry], at location: SourceLocation? = nil) -> ConfigTree {
        ConfigTree(.map(entries), at: location)
    }

    public static func list(_ items: [ConfigTree], at location: SourceLocation? = nil) -> ConfigTree {
        ConfigTree(.list(items), at: location)
    }

    public static let emptyMap = ConfigTree(.map([]))

    // MARK: Reading

    public var entries: [ConfigEntry]? {
        if case .map(let entries) = value { return entries }
        return nil
    }

    public var items: [ConfigTree]? {
        if case .list(let items) = value { return items }
        return nil
    }

    public var scalar: ConfigScalar? {
        if case .scalar(let scalar) = value { return scalar }
        return nil
    }

    public var string: String? {
        if case .scalar(.string(let text)) = value { return text }
        return nil
    }

    public var isNull: Bool { scalar == .null }

    /// The entry for `key` in a map node.
    public func entry(_ key: String) -> ConfigEntry? { entries?.first { $0.key == key } }

    public subscript(key: String) -> ConfigTree? { entry(key)?.value }

    /// The node at a dotted path (`reward.scale.format`), or nil.
    public func value(atPath path: String) -> ConfigTree? {
        var node: ConfigTree? = self
        for component in path.split(separator: ".", omittingEmptySubsequences: false) {
            node = node?[String(component)]
        }
        return node
    }

    /// How an error message shows this value: `"abc"`, `12`, `true`, `null`, `a map`, `a list`.
    public var shortDescription: String {
        switch value {
        case .map: return "a map"
        case .list: return "a list"
        case .scalar(let scalar):
            switch scalar {
            case .null: return "null"
            case .bool(let flag): return flag ? "true" : "false"
            case .int, .double: return CanonicalJSON.numberText(scalar) ?? "a number"
            case .string(let text): return CanonicalJSON.quoted(text)
            }
        }
    }

    // MARK: Writing

    /// Sets the value at a dotted path, creating maps on the way. A map value is merged into an
    /// existing map (so overrides touch only the keys they name); anything else replaces.
    public mutating func set(_ newValue: ConfigTree, atPath path: String, keyLocation: SourceLocation? = nil) {
        let components = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        set(newValue, at: components[...], keyLocation: keyLocation)
    }

    private mutating func set(_ newValue: ConfigTree, at components: ArraySlice<String>, keyLocation: SourceLocation?) {
        guard let first = components.first else {
            self = merging(newValue)
            return
        }
        var entries = self.entries ?? []
        if entries.isEmpty, self.entries == nil {
            // A scalar or list is replaced by a map when a deeper key is set.
            location = newValue.location
        }
        if let index = entries.firstIndex(where: { $0.key == first }) {
            entries[index].value.set(newValue, at: components.dropFirst(), keyLocation: keyLocation)
            if components.count == 1, let keyLocation { entries[index].keyLocation = keyLocation }
        } else {
            var child = ConfigTree.emptyMap
            child.location = newValue.location
            if components.count == 1 { child = newValue } else {
                child.set(newValue, at: components.dropFirst(), keyLocation: keyLocation)
            }
            entries.append(ConfigEntry(key: first, keyLocation: components.count == 1 ? keyLocation : newValue.location, value: child))
        }
        value = .map(entries)
    }

    /// `self` with `overrides` on top: maps merge key by key, recursively; anything else replaces.
    public func merging(_ overrides: ConfigTree) -> ConfigTree {
        guard let base = entries, let top = overrides.entries else { return overrides }
        var merged = base
        for entry in top {
            if let index = merged.firstIndex(where: { $0.key == entry.key }) {
                merged[index].value = merged[index].value.merging(entry.value)
                merged[index].keyLocation = entry.keyLocation ?? merged[index].keyLocation
            } else {
                merged.append(entry)
            }
        }
        return ConfigTree(.map(merged), at: overrides.location ?? location)
    }

    /// Rewrites every dotted key `a.b: v` as `a: {b: v}`, recursively, merging with keys already
    /// there. A leaf given twice (`a.b: 1` and `a: {b: 2}`) is an error at the second one.
    public func expandingDottedKeys() throws -> ConfigTree {
        switch value {
        case .scalar: return self
        case .list(let items): return ConfigTree(.list(try items.map { try $0.expandingDottedKeys() }), at: location)
        case .map(let entries):
            var result = ConfigTree(.map([]), at: location)
            var written: [String: SourceLocation?] = [:]
            for entry in entries {
                let components = entry.key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                if components.contains(where: \.isEmpty) {
                    throw ConfigError(at: entry.keyLocation, "key '\(entry.key)' has an empty component; write dotted keys as 'a.b.c'")
                }
                let child = try entry.value.expandingDottedKeys()
                for leaf in child.leafPaths(prefix: entry.key) {
                    if let earlier = written[leaf] {
                        let also = earlier.map { " (also set at \($0.line):\($0.column))" } ?? ""
                        throw ConfigError(at: entry.keyLocation, "key '\(leaf)' is given twice\(also)")
                    }
                    written[leaf] = entry.keyLocation
                }
                result.set(child, atPath: entry.key, keyLocation: entry.keyLocation)
            }
            return result
        }
    }

    /// Dotted paths of every non-map node under this one (an empty map counts as a leaf).
    func leafPaths(prefix: String) -> [String] {
        guard let entries, !entries.isEmpty else { return [prefix] }
        return entries.flatMap { $0.value.leafPaths(prefix: prefix.isEmpty ? $0.key : "\(prefix).\($0.key)") }
    }

    /// Structural equality of values, ignoring locations and map key order; numbers by value.
    public func sameValue(as other: ConfigTree) -> Bool {
        switch (value, other.value) {
        case (.scalar(let a), .scalar(let b)): return a.sameValue(as: b)
        case (.list(let a), .list(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.sameValue(as: $1) }
        case (.map(let a), .map(let b)):
            guard a.count == b.count else { return false }
            return a.allSatisfy { entry in b.first { $0.key == entry.key }.map { $0.value.sameValue(as: entry.value) } ?? false }
        default: return false
        }
    }
}

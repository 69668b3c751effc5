import Basics
import Config
import Foundation

/// `extends:`: the base file's keys, with this file's keys on top. `config` and `executor` merge
/// deeply; `grid`, `variants` and `stages` merge entry by entry; every other key is replaced.
enum SpecInheritance {
    static func load(_ path: String, chain: [String], referencedAt: SourceLocation?) throws -> ConfigTree {
        if chain.contains(path) {
            let cycle = (chain + [path]).map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: " → ")
            throw ConfigError(at: referencedAt, "'extends' makes a cycle: \(cycle)")
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw ConfigError(at: referencedAt, "cannot read '\(path)': no such file")
        }
        return try resolve(try YAMLLoader.load(file: displayPath(path)), path: path, chain: chain + [path])
    }

    /// `path` relative to the working directory when it lies beneath it, as users typed it.
    static func displayPath(_ path: String) -> String {
        let directory = FileManager.default.currentDirectoryPath
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    static func resolve(_ tree: ConfigTree, path: String, chain: [String]) throws -> ConfigTree {
        guard let entries = tree.entries else { return tree }
        guard let extends = tree.entry("extends") else { return tree }
        guard let relative = extends.value.string, !relative.isEmpty else {
            throw ConfigError(at: extends.value.location, "'extends' takes a relative path to another spec, found \(extends.value.shortDescription)")
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        let basePath = URL(fileURLWithPath: relative, relativeTo: directory).standardizedFileURL.path
        let base = try load(basePath, chain: chain, referencedAt: extends.value.location)
        var merged = base.entries ?? []
        for entry in entries where entry.key != "extends" {
            guard let index = merged.firstIndex(where: { $0.key == entry.key }) else { merged.append(entry); continue }
            switch entry.key {
            case "config":
                merged[index].value = try merged[index].value.expandingDottedKeys().merging(try entry.value.expandingDottedKeys())
            case "executor":
                merged[index].value = merged[index].value.merging(entry.value)
            case "grid", "variants", "stages":
                merged[index].value = mergeEntries(merged[index].value, entry.value)
            default:
                merged[index] = entry
            }
        }
        return .map(merged, at: tree.location)
    }

    static func mergeEntries(_ base: ConfigTree, _ top: ConfigTree) -> ConfigTree {
        guard var entries = base.entries, let overrides = top.entries else { return top }
        for entry in overrides {
            if let index = entries.firstIndex(where: { $0.key == entry.key }) { entries[index] = entry } else { entries.append(entry) }
        }
        return .map(entries, at: top.location)
    }
}

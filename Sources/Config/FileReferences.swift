import Basics
import Foundation

/// Config values that name a file by its content (a run config's `task.data`, `task.eval_data`).
///
/// Written as a path, relative to the directory of the file that names it (the spec, the file it
/// `extends`, or the config given to `ablate train`), as `extends:` is. Resolving rewrites the
/// value into the recorded form that `config.json` keeps:
///
///     {"path": "data/train.json", "resolved": "/abs/data/train.json", "sha256": "9f2c…"}
///
/// A run's id hashes only the content: `RunIdentity` reduces each recorded reference to
/// `{"sha256": …}` (`contentOnly`), so an edited file makes new runs and a moved one does not.
public enum FileReferences {
    static let recordedKeys: Set<String> = ["path", "resolved", "sha256"]

    /// Checks a referenced file's bytes (e.g. that they parse as data); `path` is as written, and
    /// the error's description should start with it (`data/train.json:12:5: …`).
    public typealias Check = @Sendable (_ bytes: [UInt8], _ path: String) throws -> Void

    /// Remembers each file's hash (or the reason it cannot be used) across the runs of one plan,
    /// so a file shared by a hundred runs is read and checked once.
    public final class Cache: @unchecked Sendable {
        private var results: [String: Result<String, FileReferenceError>] = [:]
        private let lock = NSLock()
        let check: Check

        public init(check: @escaping Check) { self.check = check }

        /// The SHA-256 of the file at `resolved`, checked once.
        func fingerprint(resolved: String, written: String) -> Result<String, FileReferenceError> {
            lock.lock()
            defer { lock.unlock() }
            if let known = results[resolved] { return known }
            let result: Result<String, FileReferenceError>
            if let data = FileManager.default.contents(atPath: resolved) {
                let bytes = [UInt8](data)
                do {
                    try check(bytes, written)
                    result = .success(SHA256.hex(bytes: bytes))
                } catch {
                    result = .failure(FileReferenceError(message: String(describing: error)))
                }
            } else {
                result = .failure(FileReferenceError(message: "\(written): " + UnreadableFile.reason(resolved)))
            }
            results[resolved] = result
            return result
        }
    }

    /// Resolves the file references at the dotted `keys` of `tree` (keys that are absent or null
    /// are left alone). Every problem is reported at the key's file:line:column, with the file's
    /// own location of the damage when the check gives one.
    public static func resolve(in tree: ConfigTree, keys: [String], cache: Cache) throws -> ConfigTree {
        var resolved = tree
        var log = DiagnosticLog()
        for key in keys {
            guard let (entry, node) = entry(atPath: key, in: tree), !node.isNull else { continue }
            let at = entry.keyLocation ?? node.location
            let written: String
            var recordedHash: String? = nil
            let absolute: String
            if let text = node.string, !text.isEmpty {
                written = text
                absolute = absolutePath(text, relativeTo: node.location)
            } else if let path = node["path"]?.string, node.entries.map({ Set($0.map(\.key)).isSubset(of: recordedKeys) }) == true {
                // The recorded form (a config.json given back to `ablate train`): the resolved path
                // is where the file was; its hash must still match.
                written = path
                absolute = node["resolved"]?.string ?? absolutePath(path, relativeTo: node.location)
                recordedHash = node["sha256"]?.string
            } else {
                log.error(at, "'\(key)' takes a file path, found \(node.shortDescription)")
                continue
            }
            switch cache.fingerprint(resolved: absolute, written: written) {
            case .failure(let problem):
                log.error(at, "\(key): \(problem.message)")
            case .success(let hash):
                if let recordedHash, recordedHash != hash {
                    log.error(at, "\(key) '\(written)' (\(absolute)) has changed since this config was recorded "
                              + "(sha256 \(recordedHash.prefix(12))… then, \(hash.prefix(12))… now); "
                              + "give the path as a string to use the file as it is now")
                    continue
                }
                let location = node.location
                resolved.set(.map([
                    ConfigEntry(key: "path", keyLocation: location, value: .scalar(.string(written), at: location)),
                    ConfigEntry(key: "resolved", keyLocation: location, value: .scalar(.string(absolute), at: location)),
                    ConfigEntry(key: "sha256", keyLocation: location, value: .scalar(.string(hash), at: location)),
                ], at: location), atPath: key, keyLocation: entry.keyLocation)
            }
        }
        try log.throwIfErrors()
        return resolved
    }

    /// `tree` with every recorded reference (`{path, resolved, sha256}`) reduced to `{sha256}`:
    /// what identifies a run, and what two configs of one run agree on.
    public static func contentOnly(_ tree: ConfigTree) -> ConfigTree {
        switch tree.value {
        case .scalar: return tree
        case .list(let items): return .list(items.map(contentOnly), at: tree.location)
        case .map(let entries):
            if Set(entries.map(\.key)) == recordedKeys, let hash = tree["sha256"] {
                return .map([ConfigEntry(key: "sha256", value: hash)], at: tree.location)
            }
            return .map(entries.map { ConfigEntry(key: $0.key, keyLocation: $0.keyLocation, value: contentOnly($0.value)) },
                        at: tree.location)
        }
    }

    /// `path` made absolute against the directory of the file `location` names (the current
    /// directory when there is none).
    public static func absolutePath(_ path: String, relativeTo location: SourceLocation?) -> String {
        let currentDirectory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        var base = currentDirectory
        if let file = location?.file, !file.hasPrefix("<") {
            base = URL(fileURLWithPath: file, relativeTo: currentDirectory).deletingLastPathComponent()
        }
        return URL(fileURLWithPath: path, relativeTo: base).standardizedFileURL.path
    }

    /// The map entry at a dotted path and its value.
    static func entry(atPath path: String, in tree: ConfigTree) -> (ConfigEntry, ConfigTree)? {
        let components = path.split(separator: ".").map(String.init)
        var node = tree
        var found: ConfigEntry?
        for component in components {
            guard let next = node.entry(component) else { return nil }
            found = next
            node = next.value
        }
        return found.map { ($0, node) }
    }
}

/// Why a referenced file cannot be used: `path as written[:line:column]: problem`.
public struct FileReferenceError: Error, Sendable {
    public var message: String
}

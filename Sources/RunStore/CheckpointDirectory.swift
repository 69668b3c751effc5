import Basics
import Foundation

/// A checkpoint could not be written or read.
public struct CheckpointError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The `checkpoint/` directory of a run (docs/architecture.md): `latest` names the newest
/// `step-NNNNNNN/` directory. Each step directory is written under a temp name and renamed into
/// place, then `latest` is replaced atomically and older step directories are pruned. Temp
/// directories left by a crash are ignored and removed.
public struct CheckpointDirectory {
    public let root: URL
    static let temporaryPrefix = ".tmp-"
    static let latestName = "latest"

    public init(root: URL) { self.root = root }

    static func stepDirectoryName(_ step: Int) -> String {
        "step-" + String(repeating: "0", count: max(0, 7 - String(step).count)) + String(step)
    }

    /// The newest complete step directory, or nil when there is none. Follows `latest`; if it is
    /// missing or names a directory that is gone, falls back to the highest complete step directory.
    public func latest() -> URL? {
        let manager = FileManager.default
        if let name = try? String(contentsOf: root.appendingPathComponent(Self.latestName), encoding: .utf8) {
            let directory = root.appendingPathComponent(name.trimmingCharacters(in: .whitespacesAndNewlines))
            if isComplete(directory) { return directory }
        }
        guard let names = try? manager.contentsOfDirectory(atPath: root.path) else { return nil }
        let steps = names.filter { $0.hasPrefix("step-") }.sorted()
        for name in steps.reversed() where isComplete(root.appendingPathComponent(name)) {
            return root.appendingPathComponent(name)
        }
        return nil
    }

    /// A step directory counts when its `trainer.json` (written last) is there.
    func isComplete(_ directory: URL) -> Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent("trainer.json").path)
    }

    /// Writes `files` (name → bytes) as the checkpoint of `step`, after `writeMore` has written
    /// any other files (and subdirectories) into the (temporary) step directory; `trainer.json`
    /// is written last.
    @discardableResult
    public func write(step: Int, files: [(String, Data)], writeMore: ((URL) throws -> Void)? = nil) throws -> URL {
        let manager = FileManager.default
        try manager.createDirectory(at: root, withIntermediateDirectories: true)
        removeLeftovers()
        let name = Self.stepDirectoryName(step)
        let temporary = root.appendingPathComponent(Self.temporaryPrefix + name + "-\(getpid())")
        try? manager.removeItem(at: temporary)
        try manager.createDirectory(at: temporary, withIntermediateDirectories: true)
        try writeMore?(temporary)
        // Everything `writeMore` wrote, subdirectories (PPO's `critic/`) and their files included.
        if let names = manager.subpaths(atPath: temporary.path) {
            for name in names { AtomicFile.synchronize(path: temporary.appendingPathComponent(name).path) }
        }
        let ordered = files.filter { $0.0 != "trainer.json" } + files.filter { $0.0 == "trainer.json" }
        for (fileName, data) in ordered {
            let url = temporary.appendingPathComponent(fileName)
            try data.write(to: url)
            AtomicFile.synchronize(path: url.path)
        }
        AtomicFile.synchronize(path: temporary.path)
        let final = root.appendingPathComponent(name)
        if manager.fileExists(atPath: final.path) {
            // Same step written again (a resumed run interrupted at once): move the old one aside
            // first; `latest()` falls back correctly if we stop between these renames.
            let aside = root.appendingPathComponent(Self.temporaryPrefix + "old-" + name + "-\(getpid())")
            try? manager.removeItem(at: aside)
            try manager.moveItem(at: final, to: aside)
            try manager.moveItem(at: temporary, to: final)
            try? manager.removeItem(at: aside)
        } else {
            try manager.moveItem(at: temporary, to: final)
        }
        AtomicFile.synchronize(path: root.path)
        try AtomicFile.write(Data((name + "\n").utf8), to: root.appendingPathComponent(Self.latestName))
        prune(keeping: name)
        return final
    }

    /// Removes temp directories a crashed writer left behind.
    public func removeLeftovers() {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: root.path) else { return }
        for name in names where name.hasPrefix(Self.temporaryPrefix) {
            try? manager.removeItem(at: root.appendingPathComponent(name))
        }
    }

    func prune(keeping name: String) {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: root.path) else { return }
        for other in names where other.hasPrefix("step-") && other != name {
            try? manager.removeItem(at: root.appendingPathComponent(other))
        }
    }
}

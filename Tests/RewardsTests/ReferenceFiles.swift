import Foundation

/// Finds files of `shared/reference/`, which sits beside the package (CI clone) or beside the
/// worktree directory (development worktrees under `wt/`).
enum ReferenceFiles {
    static func url(_ name: String) throws -> URL {
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [
            packageRoot.appendingPathComponent("../shared/reference/\(name)"),
            packageRoot.appendingPathComponent("../../shared/reference/\(name)"),
        ].map(\.standardizedFileURL)
        if let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) { return found }
        throw NSError(domain: "ReferenceFiles", code: 1, userInfo: [NSLocalizedDescriptionKey:
            "reference file \(name) is missing; looked at \(candidates.map(\.path).joined(separator: ", ")) (shared/ must sit beside the repository)"])
    }
}

import Basics
import Foundation

/// Where `ablate score --output PATH` writes.
///
/// A regular file (or a new path) is written to `PATH.partial` first and renamed over `PATH` only
/// when every line scored, so a bad line leaves any old file intact. Anything else that already
/// exists at the path — `/dev/null`, a FIFO, a terminal — is written in place: renaming a file over
/// it would replace the device or pipe with a regular file.
struct ScoreDestination {
    let handle: FileHandle
    private let path: String
    private let partialPath: String?

    init(path: String) throws {
        self.path = path
        var status = stat()
        let exists = stat(path, &status) == 0
        if exists && (status.st_mode & S_IFMT) == S_IFDIR {
            throw BadInput("output '\(path)' is a directory; give a file path")
        }
        if exists && (status.st_mode & S_IFMT) != S_IFREG {
            guard let handle = FileHandle(forWritingAtPath: path) else { throw BadInput("cannot write output '\(path)'") }
            self.handle = handle
            partialPath = nil
        } else {
            let partialPath = path + ".partial"
            guard FileManager.default.createFile(atPath: partialPath, contents: nil),
                  let handle = FileHandle(forWritingAtPath: partialPath) else {
                throw BadInput("cannot write output file '\(partialPath)'")
            }
            self.handle = handle
            self.partialPath = partialPath
        }
    }

    /// Every line scored: the output becomes visible at its path, on disk (fsynced, then renamed,
    /// then its directory fsynced, as `AtomicFile` writes).
    func commit() throws {
        guard let partialPath else { return try handle.close() }
        try handle.synchronize()
        try handle.close()
        do { try AtomicFile.moveDurably(partialPath, over: path) } catch { throw BadInput(error) }
    }

    /// Scoring failed: a partial file is removed; a device or pipe is left as it is.
    func abandon() {
        try? handle.close()
        if let partialPath { try? FileManager.default.removeItem(atPath: partialPath) }
    }
}

import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Whole-file writes that a reader can never see half done: the bytes go to a temporary file in
/// the same directory, are fsynced, and the temporary is renamed over the target (rename is
/// atomic within a file system); the directory is fsynced so the rename survives a crash.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws {
        let directory = directoryOf(path)
        let name = (path as NSString).lastPathComponent
        let temporary = "\(directory)/.\(name).tmp-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileSystemError("cannot create '\(temporary)'", errno) }
        var ok = true
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    ok = false
                    return
                }
                offset += written
            }
        }
        let savedErrno = errno
        if ok, fsync(descriptor) != 0 { ok = false }
        close(descriptor)
        guard ok else {
            unlink(temporary)
            throw FileSystemError("cannot write '\(path)'", savedErrno)
        }
        do { try moveDurably(temporary, over: path) } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Renames a complete, fsynced file over `path` and fsyncs the directory, so the new file
    /// survives a crash. `temporary` must be in `path`'s directory (rename is atomic only within
    /// one file system).
    public static func moveDurably(_ temporary: String, over path: String) throws {
        guard rename(temporary, path) == 0 else { throw FileSystemError("cannot rename into '\(path)'", errno) }
        synchronize(path: directoryOf(path))
    }

    public static func write(_ text: String, to path: String) throws { try write(Data(text.utf8), to: path) }

    public static func write(_ data: Data, to url: URL) throws { try write(data, to: url.path) }

    /// Writes `data` to `path` only if no file is there, atomically: the complete temporary file is
    /// hard-linked to the target, which fails when the target exists. Returns whether it wrote.
    /// Two processes racing to create the same file cannot overwrite each other.
    @discardableResult
    public static func createIfAbsent(_ data: Data, at path: String) throws -> Bool {
        let directory = directoryOf(path)
        let name = (path as NSString).lastPathComponent
        let temporary = "\(directory)/.\(name).new-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        try write(data, to: temporary)
        defer { unlink(temporary) }
        if link(temporary, path) == 0 {
            synchronize(path: directory)
            return true
        }
        if errno == EEXIST { return false }
        throw FileSystemError("cannot create '\(path)'", errno)
    }

    /// fsync on a file or a directory (a directory's fsync makes renames into it durable). A path
    /// that cannot be opened is left alone: there is nothing of ours to make durable.
    public static func synchronize(path: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    static func directoryOf(_ path: String) -> String {
        let directory = (path as NSString).deletingLastPathComponent
        return directory.isEmpty ? "." : directory
    }
}

/// A file-system call that failed: what was attempted and the system's reason.
public struct FileSystemError: Error, CustomStringConvertible, Sendable {
    public var what: String
    public var code: Int32

    public init(_ what: String, _ code: Int32) {
        self.what = what
        self.code = code
    }

    public var description: String { "\(what): \(String(cString: strerror(code)))" }
}

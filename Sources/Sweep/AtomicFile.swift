import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Whole-file writes that a reader can never see half done: the bytes go to a temporary file in
/// the same directory, are fsynced, and the temporary is renamed over the target (rename is
/// atomic within a file system); the directory is fsynced so the rename survives a crash.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let temporary = "\(directory.isEmpty ? "." : directory)/.\(name).tmp-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw LedgerError.system("cannot create '\(temporary)'", errno) }
        var ok = true
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 { if errno == EINTR { continue }; ok = false; return }
                offset += written
            }
        }
        let savedErrno = errno
        if ok, fsync(descriptor) != 0 { ok = false }
        close(descriptor)
        guard ok else {
            unlink(temporary)
            throw LedgerError.system("cannot write '\(path)'", savedErrno)
        }
        guard rename(temporary, path) == 0 else {
            let error = errno
            unlink(temporary)
            throw LedgerError.system("cannot rename into '\(path)'", error)
        }
        syncDirectory(directory.isEmpty ? "." : directory)
    }

    public static func write(_ text: String, to path: String) throws { try write(Data(text.utf8), to: path) }

    /// Writes `data` to `path` only if no file is there, atomically: the complete temporary file is
    /// hard-linked to the target, which fails when the target exists. Returns whether it wrote.
    /// Two processes racing to create the same file cannot overwrite each other.
    @discardableResult
    public static func createIfAbsent(_ data: Data, at path: String) throws -> Bool {
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let temporary = "\(directory.isEmpty ? "." : directory)/.\(name).new-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        try write(data, to: temporary)
        defer { unlink(temporary) }
        if link(temporary, path) == 0 {
            syncDirectory(directory.isEmpty ? "." : directory)
            return true
        }
        if errno == EEXIST { return false }
        throw LedgerError.system("cannot create '\(path)'", errno)
    }

    static func syncDirectory(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }
}

/// Errors of the ledger and the file system beneath it.
public enum LedgerError: Error, CustomStringConvertible {
    case system(String, Int32)
    case corrupt(String)

    public var description: String {
        switch self {
        case .system(let what, let code): return "\(what): \(String(cString: strerror(code)))"
        case .corrupt(let what): return what
        }
    }
}

import Foundation

extension GrowableBuffer where Element == UInt8 {
    /// Reads the whole file at `path` into the buffer with POSIX `read`; returns its length, or
    /// nil when it cannot be opened or read. One buffer reused by one reading thread makes
    /// reading thousands of files allocate almost nothing.
    public func load(contentsOf path: String) -> Int? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        var regular = false
        if fstat(descriptor, &info) == 0 {
            reserve(Int(info.st_size) + 1)
            regular = info.st_mode & S_IFMT == S_IFREG
        }
        var count = 0
        while true {
            if count == capacity { reserve(capacity * 2, preserving: count) }
            let wanted = capacity - count
            let read = Foundation.read(descriptor, pointer + count, wanted)
            if read < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if read == 0 { return count }
            count += read
            // A regular file gives less than asked only at its end: no second call to learn that
            // (reports read tens of thousands of files).
            if regular && read < wanted { return count }
        }
    }
}

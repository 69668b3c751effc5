import Foundation

/// A growable byte buffer that whole files are read into with POSIX `read`, reused from file to
/// file by one reading thread: reading 10,000 metrics files then allocates almost nothing.
final class FileBuffer {
    private(set) var bytes: UnsafeMutablePointer<UInt8>
    private var capacity: Int

    init(capacity: Int = 1 << 16) {
        self.capacity = capacity
        bytes = .allocate(capacity: capacity)
    }

    deinit { bytes.deallocate() }

    /// Reads the file at `path`; returns its length, or nil when it cannot be opened.
    func load(_ path: String) -> Int? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) == 0 { reserve(Int(info.st_size) + 1) }
        var count = 0
        while true {
            if count == capacity { reserve(capacity * 2) }
            let n = Foundation.read(fd, bytes + count, capacity - count)
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { return count }
            count += n
        }
    }

    private func reserve(_ size: Int) {
        guard size > capacity else { return }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        grown.update(from: bytes, count: capacity)
        bytes.deallocate()
        bytes = grown
        capacity = size
    }
}

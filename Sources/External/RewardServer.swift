import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Serves a `RewardService` over JSON lines: on a Unix stream socket (any number of clients at
/// once, a thread each) or on a pair of file descriptors (stdin/stdout).
public final class RewardServer: @unchecked Sendable {
    public let service: RewardService
    public let socketPath: String
    private var listener: Int32 = -1
    private let stopping = AtomicFlag()
    private var acceptThread: Thread?

    /// Binds and listens on `socketPath` (an old socket file there is replaced); clients are
    /// served from background threads until `stop()`.
    public init(service: RewardService, socketPath: String) throws {
        self.service = service
        self.socketPath = socketPath
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard socketPath.utf8.count < capacity else {
            throw ServerError("socket path '\(socketPath)' is longer than \(capacity - 1) bytes")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: Array(socketPath.utf8) + [0])
        }
        listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard listener >= 0 else { throw ServerError("cannot create a socket: \(String(cString: strerror(errno)))") }
        unlink(socketPath)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, Glibc.listen(listener, 64) == 0 else {
            let reason = String(cString: strerror(errno))
            close(listener)
            throw ServerError("cannot listen on '\(socketPath)': \(reason)")
        }
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "reward-server-accept"
        acceptThread = thread
        thread.start()
    }

    /// Stops accepting, closes the listening socket and removes the socket file. Connections
    /// already open are answered until their clients close them (or the process ends).
    public func stop() {
        guard !stopping.getAndSet() else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        unlink(socketPath)
    }

    deinit { stop() }

    private func acceptLoop() {
        while !stopping.value {
            var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, 100)
            if stopping.value { break }
            guard ready > 0 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            let thread = Thread { [service] in
                RewardServer.serve(service, input: client, output: client, isSocket: true)
                close(client)
            }
            thread.name = "reward-server-client"
            thread.start()
        }
        close(listener)
    }

    /// Answers request lines from `input` on `output` until `input` ends. Returns false when
    /// writing failed (the peer went away).
    @discardableResult
    public static func serve(_ service: RewardService, input: Int32, output: Int32, isSocket: Bool) -> Bool {
        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            if count <= 0 { break }
            pending.append(contentsOf: chunk[0..<count])
            var start = 0
            var replies: [UInt8] = []
            pending.withUnsafeBufferPointer { buffer in
                while let newline = buffer[start...].firstIndex(of: 0x0A) {
                    let line = UnsafeBufferPointer(rebasing: buffer[start..<newline])
                    start = newline + 1
                    if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                    replies.append(contentsOf: service.respond(to: line).utf8)
                    replies.append(0x0A)
                }
            }
            pending.removeFirst(start)
            if !replies.isEmpty, !writeAll(replies, to: output, isSocket: isSocket) { return false }
        }
        return true
    }

    static func writeAll(_ bytes: [UInt8], to descriptor: Int32, isSocket: Bool) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw -> Int in
                let start = raw.baseAddress! + offset
                // MSG_NOSIGNAL: a client that hung up must not kill the server with SIGPIPE.
                return isSocket ? send(descriptor, start, raw.count - offset, Int32(MSG_NOSIGNAL))
                                : write(descriptor, start, raw.count - offset)
            }
            if written < 0, errno == EINTR { continue }
            if written <= 0 { return false }
            offset += written
        }
        return true
    }

    /// A short socket path for this process (Unix socket paths are limited to 107 bytes, too
    /// short for most run directories).
    static func temporarySocketPath(tag: String) -> String {
        var directory = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        if directory.utf8.count > 60 { directory = "/tmp" }
        return (directory.hasSuffix("/") ? directory : directory + "/") + "ablate-reward-\(getpid())-\(tag).sock"
    }
}

/// A flag set once from any thread.
final class AtomicFlag: @unchecked Sendable {
    private var flag = false
    private let lock = NSLock()
    var value: Bool { lock.lock(); defer { lock.unlock() }; return flag }
    /// Sets the flag; returns whether it was already set.
    func getAndSet() -> Bool { lock.lock(); defer { lock.unlock() }; let old = flag; flag = true; return old }
}

/// The reward server cannot start (socket path, bind, listen).
struct ServerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

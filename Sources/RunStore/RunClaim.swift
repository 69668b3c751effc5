import Basics
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// An exclusive claim on one run, so that two `ablate run` processes never train it at once.
///
/// The claim is an advisory `flock` on `<run dir>/claim`, taken without blocking. The kernel
/// drops it when every holder's descriptor is closed, so a claim can never outlive a crashed
/// scheduler *and* its worker (the worker inherits the descriptor), and a `running` state with no
/// lock behind it is stale: the next scheduler takes the claim and resumes the run. The file also
/// records pid, host and a lease expiry (renewed by the scheduler's heartbeat) for people reading
/// it; the lock, not the text, decides.
public final class RunClaim {
    public let path: String
    public private(set) var descriptor: Int32

    /// Takes the claim, or returns nil when another process holds it.
    public static func take(runDirectory: String) throws -> RunClaim? {
        let path = runDirectory + "/claim"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileSystemError("cannot open claim '\(path)'", errno) }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            close(descriptor)
            return nil
        }
        return RunClaim(path: path, descriptor: descriptor)
    }

    /// Whether some process holds the claim right now.
    public static func isHeld(runDirectory: String) -> Bool {
        let descriptor = open(runDirectory + "/claim", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_EX | LOCK_NB) == 0 {
            flock(descriptor, LOCK_UN)
            return false
        }
        return true
    }

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    /// Records who holds the claim until when (the text is informative; the lock decides).
    public func renew(pid: Int32, host: String, leaseExpires: String) {
        let text = "pid \(pid)\nhost \(host)\nlease_expires \(leaseExpires)\n"
        ftruncate(descriptor, 0)
        _ = text.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    }

    public func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}

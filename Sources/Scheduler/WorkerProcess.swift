import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One worker child process, started with `posix_spawn` so that the scheduler controls exactly
/// what it inherits: its own process group (a terminal's ^C reaches only the scheduler, which
/// forwards SIGTERM once), stdout and stderr appended to a file, and the run's claim lock as
/// file descriptor 3 (so the claim stays held while the worker lives, even if the scheduler dies).
public final class WorkerProcess {
    public let pid: pid_t
    let leadsGroup: Bool
    private(set) var exitStatus: ExitStatus?

    public enum ExitStatus: Equatable, Sendable {
        case exited(Int32)
        case signaled(Int32)
    }

    /// Starts `arguments[0]` with `arguments`, `environment`, output appended to `outputPath`.
    /// With `ownProcessGroup` false the child stays in the caller's group, so that signals sent
    /// to the caller's group (the scheduler's SIGTERM and SIGKILL) reach it too.
    public init(arguments: [String], environment: [String: String], outputPath: String, inheritedDescriptor: Int32?,
                ownProcessGroup: Bool = true) throws {
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        if let inheritedDescriptor { posix_spawn_file_actions_adddup2(&actions, inheritedDescriptor, 3) }
        // Nothing else of ours leaks into the worker (pipes a parent watches for EOF, other claims).
        Self.closeDescriptors(from: inheritedDescriptor == nil ? 3 : 4, in: &actions)
        if ownProcessGroup { posix_spawnattr_setpgroup(&attributes, 0) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        let group = ownProcessGroup ? POSIX_SPAWN_SETPGROUP : 0
        posix_spawnattr_setflags(&attributes, Int16(group | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var child: pid_t = 0
        let result = posix_spawn(&child, arguments[0], &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw SchedulerError("cannot start '\(arguments[0])': \(String(cString: strerror(result)))")
        }
        pid = child
        leadsGroup = ownProcessGroup
    }

    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// Adds "close every descriptor from `lowest` up" to the spawn actions: glibc's
    /// `posix_spawn_file_actions_addclosefrom_np` (2.34+, looked up at run time because the Swift
    /// Glibc module does not declare it), else one close per descriptor open now.
    private static func closeDescriptors(from lowest: Int32, in actions: inout posix_spawn_file_actions_t) {
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            let closeFrom = unsafeBitCast(symbol, to: CloseFrom.self)
            if closeFrom(&actions, lowest) == 0 { return }
        }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in open.compactMap({ Int32($0) }) where descriptor >= lowest {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
    }

    /// Reaps the child if it has exited; returns its status then (and on every later call).
    @discardableResult
    public func poll() -> ExitStatus? {
        if let exitStatus { return exitStatus }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        guard result == pid else { return nil }
        let signal = status & 0x7f
        exitStatus = signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
        return exitStatus
    }

    /// Blocks until the child exits.
    public func wait() -> ExitStatus {
        while true {
            if let status = poll() { return status }
            var status: Int32 = 0
            let result = waitpid(pid, &status, 0)
            if result == pid {
                let signal = status & 0x7f
                exitStatus = signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
                return exitStatus!
            }
            if result < 0, errno != EINTR { exitStatus = .exited(-1); return exitStatus! }
        }
    }

    /// Sends `signal` to the worker's process group (the worker and anything it started), or to
    /// the child alone when it shares the caller's group.
    public func send(_ signal: Int32) {
        guard exitStatus == nil else { return }
        if !leadsGroup || kill(-pid, signal) != 0 { kill(pid, signal) }
    }
}

/// A scheduler failure that is not about one run (cannot spawn, cannot write the ledger).
struct SchedulerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// `SIGSEGV`-style names for the signals a worker dies of.
public func signalName(_ signal: Int32) -> String {
    let names: [Int32: String] = [SIGSEGV: "SIGSEGV", SIGILL: "SIGILL", SIGABRT: "SIGABRT", SIGBUS: "SIGBUS",
                                  SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGTERM: "SIGTERM", SIGINT: "SIGINT",
                                  SIGTRAP: "SIGTRAP", SIGPIPE: "SIGPIPE", SIGHUP: "SIGHUP"]
    return names[signal] ?? "signal \(signal)"
}

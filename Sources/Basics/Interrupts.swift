import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// How many SIGINT/SIGTERM this process has received, counted by a plain `signal()` handler that
/// only touches atomics (nothing else is async-signal-safe). Long loops poll `count` between
/// units of work: the first signal asks them to stop cleanly (checkpoint, let workers
/// checkpoint), the second to stop now. A plain handler rather than a Dispatch source, because
/// CPU-bound training on two cores starves Dispatch sources.
public enum Interrupts {
    private static let received = Atomic<Int>(0)
    private static let exitOnSecond = Atomic<Bool>(false)

    /// Installs the handler for SIGINT and SIGTERM. With `exitOnSecondSignal`, the second signal
    /// ends the process at once with status 130 (for a process with nothing to clean up after
    /// its first stop request, such as a training run).
    public static func install(exitOnSecondSignal: Bool) {
        exitOnSecond.store(exitOnSecondSignal, ordering: .relaxed)
        signal(SIGINT, interruptHandler)
        signal(SIGTERM, interruptHandler)
    }

    /// Signals received so far.
    public static var count: Int { received.load(ordering: .relaxed) }

    /// Whether at least one signal has arrived.
    public static var isRequested: Bool { count > 0 }

    fileprivate static func record() {
        let (previous, _) = received.add(1, ordering: .relaxed)
        if previous >= 1, exitOnSecond.load(ordering: .relaxed) { _exit(130) }
    }
}

private func interruptHandler(_ signal: Int32) {
    Interrupts.record()
}

/// How many SIGUSR1 this process has received: a batch system's request to checkpoint and stop
/// before a time limit (Slurm sends it `signal_grace` seconds ahead). Counted like `Interrupts`.
public enum CheckpointRequests {
    private static let received = Atomic<Int>(0)

    /// Installs the handler for SIGUSR1.
    public static func install() { signal(SIGUSR1, checkpointRequestHandler) }

    /// Requests received so far.
    public static var count: Int { received.load(ordering: .relaxed) }

    fileprivate static func record() { received.add(1, ordering: .relaxed) }
}

private func checkpointRequestHandler(_ signal: Int32) {
    CheckpointRequests.record()
}

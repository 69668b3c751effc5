import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// How many SIGINT/SIGTERM this process has received, counted by a plain `signal()` handler that
/// only increments an atomic (nothing else is async-signal-safe). The scheduler polls it: first
/// signal, stop launching and let workers checkpoint; second, kill them and exit now.
public enum InterruptFlag {
    private static let received = Atomic<Int>(0)

    /// Installs the handler for SIGINT and SIGTERM.
    public static func install() {
        signal(SIGINT, interruptHandler)
        signal(SIGTERM, interruptHandler)
    }

    public static var count: Int { received.load(ordering: .relaxed) }

    static func record() { received.add(1, ordering: .relaxed) }
}

private func interruptHandler(_ signal: Int32) {
    InterruptFlag.record()
}

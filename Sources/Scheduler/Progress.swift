import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Counts and running runs at one moment of a sweep.
public struct ProgressSnapshot: Sendable {
    public struct Running: Sendable {
        public var shortID: String
        public var title: String
        public var step: Int?
        public var totalSteps: Int?
        public var elapsed: Double

        public init(shortID: String, title: String, step: Int?, totalSteps: Int?, elapsed: Double) {
            self.shortID = shortID; self.title = title; self.step = step; self.totalSteps = totalSteps; self.elapsed = elapsed
        }
    }

    public var done = 0
    public var running = 0
    public var failed = 0
    public var pending = 0
    public var blocked = 0
    public var runningRuns: [Running] = []
    /// Seconds left, from the mean duration of the runs finished so far.
    var eta: Double?

    public init() {}

    public var counts: String {
        var text = "\(done) done, \(running) running, \(failed) failed, \(pending) pending"
        if blocked > 0 { text += ", \(blocked) blocked" }
        return text
    }
}

/// Where the scheduler reports to.
public protocol ProgressReporter: AnyObject {
    /// A line for one event (start, done, failed, paused).
    func event(_ line: String)
    /// Called every scheduler round; a reporter throttles itself.
    func update(_ snapshot: ProgressSnapshot)
    func finish(_ snapshot: ProgressSnapshot)
}

/// Writes straight to a file descriptor (no stdio buffering, so lines reach a pipe at once).
func writeOut(_ text: String, to descriptor: Int32 = STDOUT_FILENO) {
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        if written < 0 { if errno == EINTR { continue }; return }
        bytes = bytes.dropFirst(written)
    }
}

func clock() -> String {
    let formatter = DateFormatter()
    formatter.dateFormat = "HH:mm:ss"
    return formatter.string(from: Date())
}

/// One plain line per event, for logs and pipes (`nohup ablate run … > log`).
public final class PlainProgress: ProgressReporter {
    public init() {}
    public func event(_ line: String) { writeOut("\(clock()) \(line)\n") }
    public func update(_ snapshot: ProgressSnapshot) {}
    public func finish(_ snapshot: ProgressSnapshot) { writeOut("\(clock()) \(snapshot.counts)\n") }
}

/// A live block redrawn in place on a terminal: counts, ETA and each running run's step.
public final class LiveProgress: ProgressReporter {
    private var drawnLines = 0
    private var lastDraw = Date.distantPast

    public init() {}

    public func event(_ line: String) {
        clear()
        writeOut("\(clock()) \(line)\n")
    }

    public func update(_ snapshot: ProgressSnapshot) {
        guard Date().timeIntervalSince(lastDraw) >= 0.5 else { return }
        draw(snapshot)
    }

    public func finish(_ snapshot: ProgressSnapshot) {
        clear()
        writeOut("\(clock()) \(snapshot.counts)\n")
    }

    private func clear() {
        guard drawnLines > 0 else { return }
        writeOut("\u{1B}[\(drawnLines)A\u{1B}[J")
        drawnLines = 0
    }

    private func draw(_ snapshot: ProgressSnapshot) {
        clear()
        lastDraw = Date()
        var lines = ["\(snapshot.counts)\(snapshot.eta.map { "  ETA \(Self.format($0))" } ?? "")"]
        for run in snapshot.runningRuns {
            let step = run.step.map { step in run.totalSteps.map { "step \(step)/\($0)" } ?? "step \(step)" } ?? "starting"
            lines.append("  \(run.shortID) \(run.title)  \(step)  \(Self.format(run.elapsed))")
        }
        writeOut(lines.joined(separator: "\n") + "\n")
        drawnLines = lines.count
    }

    static func format(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        if total >= 3600 { return String(format: "%dh%02dm", total / 3600, (total % 3600) / 60) }
        if total >= 60 { return String(format: "%dm%02ds", total / 60, total % 60) }
        return "\(total)s"
    }
}

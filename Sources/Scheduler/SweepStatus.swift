import Foundation
import RunStore
import Sweep

/// Where each run of a planned sweep stands, read from the ledger (for `ablate status`).
public struct SweepStatus: Sendable {
    public struct Entry: Sendable {
        public var unit: ScheduledRun
        /// `pending`, `running`, `done`, `failed`, or `stale` (recorded running, but nobody holds
        /// its claim: it resumes on the next `ablate run`).
        public var state: String
        public var record: StateFile?
    }

    public var entries: [Entry]

    public init(ledger: Ledger, units: [ScheduledRun]) {
        entries = units.map { unit in
            let record = ledger.readState(unit.id)
            var state = record?.state.rawValue ?? "pending"
            if record?.state == .running, !RunClaim.isHeld(runDirectory: ledger.runDirectory(unit.id)) { state = "stale" }
            return Entry(unit: unit, state: state, record: record)
        }
    }

    /// Count per state, in a fixed order, states with no run left out.
    public var counts: [(state: String, count: Int)] {
        ["done", "running", "stale", "pending", "failed"].compactMap { state in
            let count = entries.filter { $0.state == state }.count
            return count > 0 ? (state, count) : nil
        }
    }
}

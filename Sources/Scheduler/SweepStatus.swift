import Foundation
import RunStore
import Sweep

/// Where each run of a planned sweep stands, read from the ledger (for `ablate status`).
public struct SweepStatus: Sendable {
    public struct Entry: Sendable {
        public var unit: ScheduledRun
        public var state: RunState
        /// Recorded running, but nobody holds its claim: it resumes on the next `ablate run`.
        public var isStale: Bool
        public var record: StateFile?

        /// How `status` shows it: the state, or `stale`.
        public var shownState: String { isStale ? "stale" : state.rawValue }
    }

    public var entries: [Entry]

    public init(ledger: Ledger, units: [ScheduledRun]) {
        entries = units.map { unit in
            let record = ledger.readState(unit.id)
            let state = record?.state ?? .pending
            let isStale = state == .running && !RunClaim.isHeld(runDirectory: ledger.runDirectory(unit.id))
            return Entry(unit: unit, state: state, isStale: isStale, record: record)
        }
    }

    /// Count per state, in a fixed order, states with no run left out.
    public var counts: [(state: String, count: Int)] {
        ["done", "running", "stale", "pending", "failed"].compactMap { state in
            let count = entries.filter { $0.shownState == state }.count
            return count > 0 ? (state, count) : nil
        }
    }
}

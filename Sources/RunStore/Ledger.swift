import Basics
import Foundation

/// The runs directory on disk: a content-addressed store shared by every sweep, and one view
/// directory per sweep.
///
///     <root>/store/<id>/   config.json  state.json  metrics.jsonl  eval.json  checkpoint/  log.txt
///     <root>/<sweep>/      spec.yaml  plan.json  report/
///
/// Every file the ledger writes is written atomically (`AtomicFile`). A run that appears in two
/// sweeps has one store entry, so it is trained once. `Sweep` records plans into it.
public struct Ledger: Sendable {
    public let root: String

    public init(root: String) {
        self.root = URL(fileURLWithPath: root).standardizedFileURL.path
    }

    public var storePath: String { root + "/store" }
    public func runDirectory(_ id: String) -> String { "\(storePath)/\(id)" }
    /// The files of run `id` in the store.
    public func run(_ id: String) -> RunDirectory { RunDirectory(runDirectory(id)) }
    public func sweepDirectory(_ sweep: String) -> String { "\(root)/\(sweep)" }
    public func statePath(_ id: String) -> String { run(id).state }
    public func configPath(_ id: String) -> String { run(id).config }

    /// The run's state, or nil when it has none yet or the file cannot be read.
    public func readState(_ id: String) -> StateFile? {
        try? StateFile.read(at: statePath(id))
    }

    func writeState(_ state: StateFile) throws {
        try state.write(to: statePath(state.id))
    }

    /// Reads, changes and writes a run's state (single writer: the claim holder).
    @discardableResult
    public func updateState(_ id: String, _ change: (inout StateFile) -> Void) throws -> StateFile {
        var state = readState(id) ?? StateFile(id: id)
        change(&state)
        try writeState(state)
        return state
    }

    /// Creates a directory (and its parents) when it is missing.
    public static func createDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw LedgerError.corrupt("cannot create directory '\(path)': \(error.localizedDescription)")
        }
    }
}

/// A ledger file that is not what the ledger wrote, or a directory that cannot be made.
public enum LedgerError: Error, CustomStringConvertible {
    case corrupt(String)

    public var description: String {
        switch self {
        case .corrupt(let what): return what
        }
    }
}

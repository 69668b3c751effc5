/// How one run's series of values becomes the single number a table shows (`report.reduce`).
public enum Reduction: Equatable, Sendable, CustomStringConvertible {
    /// The value at the last step (for eval metrics, the final evaluation in eval.json when present).
    case last
    /// The best value over the evaluation points (max, or min for lower-better metrics).
    case best
    /// The mean of the last `k` points (fewer when the run has fewer).
    case meanLastK(Int)

    /// The names a spec and plan.json may use; `mean-last-k` takes its k from `report.k`.
    public static let names = ["last", "best", "mean-last-k"]

    /// The one validator of reductions: `last`, `best`, or `mean-last-k` with `k` ≥ 1.
    init(name: String, k: Int) throws {
        switch name {
        case "last": self = .last
        case "best": self = .best
        case "mean-last-k":
            guard k >= 1 else { throw ReductionError("k must be at least 1, found \(k)") }
            self = .meanLastK(k)
        default:
            throw ReductionError("expected one of \(Self.names.joined(separator: ", ")), found '\(name)'")
        }
    }

    /// The name written in a spec and plan.json.
    public var name: String {
        switch self {
        case .last: return "last"
        case .best: return "best"
        case .meanLastK: return "mean-last-k"
        }
    }

    /// How tables title it: `last`, `best`, `mean-last-5`.
    public var description: String {
        switch self {
        case .last: return "last"
        case .best: return "best"
        case .meanLastK(let k): return "mean-last-\(k)"
        }
    }
}

/// A reduction that is not one of the allowed ones.
struct ReductionError: Error, CustomStringConvertible, Sendable {
    var description: String
    init(_ description: String) { self.description = description }
}

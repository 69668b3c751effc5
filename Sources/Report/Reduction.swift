/// How one run's series of values becomes the single number a table shows (`report.reduce`).
public enum Reduction: Equatable, Sendable, CustomStringConvertible {
    /// The value at the last step (for eval metrics, the final evaluation in eval.json when present).
    case last
    /// The best value over the evaluation points (max, or min for lower-better metrics).
    case best
    /// The mean of the last `k` points (fewer when the run has fewer).
    case meanLastK(Int)

    /// `last`, `best`, `mean-last-k` (with `k`), or `mean-last-<k>` such as `mean-last-3`.
    public init?(name: String, k: Int = 5) {
        switch name {
        case "last": self = .last
        case "best": self = .best
        case "mean-last-k": self = .meanLastK(max(1, k))
        default:
            if name.hasPrefix("mean-last-"), let n = Int(name.dropFirst("mean-last-".count)), n > 0 {
                self = .meanLastK(n)
            } else {
                return nil
            }
        }
    }

    public var description: String {
        switch self {
        case .last: return "last"
        case .best: return "best"
        case .meanLastK(let k): return "mean-last-\(k)"
        }
    }

    /// Reduces values in step order; nil when there are none. Non-finite values are kept, so a run
    /// that diverged shows NaN rather than a flattering earlier number.
    public func apply(_ values: ArraySlice<Double>, higherIsBetter: Bool = true) -> Double? {
        guard let lastValue = values.last else { return nil }
        switch self {
        case .last:
            return lastValue
        case .best:
            var best = values.first!
            for v in values where v.isNaN || (higherIsBetter ? v > best : v < best) {
                if v.isNaN { return .nan }
                best = v
            }
            return best
        case .meanLastK(let k):
            let tail = values.suffix(k)
            return tail.reduce(0, +) / Double(tail.count)
        }
    }

    public func apply(_ values: [Double], higherIsBetter: Bool = true) -> Double? {
        apply(values[...], higherIsBetter: higherIsBetter)
    }
}

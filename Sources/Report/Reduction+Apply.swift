import Sweep

extension Reduction {
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

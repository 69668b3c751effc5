/// Holm's step-down correction for m tests (Holm, 1979): with the p-values sorted ascending,
/// p_(1) ≤ … ≤ p_(m), the adjusted values are
///
///   p̃_(i) = max_{j ≤ i} min(1, (m − j + 1) · p_(j)),
///
/// and p̃ < α rejects exactly the hypotheses Holm's procedure rejects at family-wise error α.
/// It controls the chance of any false positive among the m tests, like Bonferroni (m · p), but
/// is never more conservative. nil entries (no test) are not counted in m and stay nil.
enum HolmBonferroni {
    static func adjust(_ pValues: [Double?]) -> [Double?] {
        let tested = pValues.indices.filter { pValues[$0] != nil }
        let order = tested.sorted { (pValues[$0]!, $0) < (pValues[$1]!, $1) }
        let m = order.count
        var adjusted = [Double?](repeating: nil, count: pValues.count)
        var running = 0.0
        for (i, index) in order.enumerated() {
            running = max(running, min(1, Double(m - i) * pValues[index]!))
            adjusted[index] = running
        }
        return adjusted
    }
}

import RunStore

/// The verdicts on one evaluation item's k sampled completions (`eval.samples`, at
/// `eval.temperature`), and the two metrics they give a split:
///
/// - `pass_at_k`: the fraction of items with at least one exact call among their k samples. With
///   n = k samples per item this is the unbiased pass@k estimator `1 − C(n−c, k)/C(n, k)`, which
///   is 1 exactly when c ≥ 1 (Chen et al., 2021).
/// - `sampled_accuracy`: the fraction of all samples that are exact (pass@1 under sampling).
///
/// Greedy `accuracy` below `pass_at_k` means a right call is within the policy's reach: the
/// items a reward can teach. `sampled_accuracy` below greedy `accuracy` measures how much
/// sampling at that temperature loses.
struct SampledVerdicts {
    /// One entry per sample: whether that completion is an exact call.
    let exact: [Bool]

    var anyExact: Bool { exact.contains(true) }

    /// `pass_at_k` and `sampled_accuracy` over `items` (each with the same k ≥ 1).
    static func metrics(_ items: [SampledVerdicts]) -> [(String, MetricValue)] {
        guard !items.isEmpty else { return [] }
        let samples = items.reduce(0) { $0 + $1.exact.count }
        let exactSamples = items.reduce(0) { $0 + $1.exact.filter { $0 }.count }
        let passing = items.filter(\.anyExact).count
        return [("pass_at_k", .number(Double(passing) / Double(items.count))),
                ("sampled_accuracy", .number(Double(exactSamples) / Double(max(1, samples))))]
    }
}

import Foundation

/// Seconds spent in each phase of a step, for `ablate bench` and `step_time`.
public struct StepTimings: Equatable, Sendable {
    public var sampling = 0.0
    public var reward = 0.0
    public var referenceForward = 0.0
    public var policyForwardBackward = 0.0
    public var optimizer = 0.0
    public var total: Double { sampling + reward + referenceForward + policyForwardBackward + optimizer }
    public init() {}
}

/// What one optimiser step reports.
public struct StepReport {
    /// Training metrics in metrics.jsonl order, without the timing fields (the run loop adds them).
    public var metrics: [(String, Double)]
    public var loss: Double
    /// Prompt + completion (or sequence) tokens processed this step.
    public var tokens: Int
    public var timings: StepTimings
    /// Prompts the step took from the data (more than a batch with dynamic sampling).
    public var promptsDrawn: Int

    public init(metrics: [(String, Double)], loss: Double, tokens: Int, timings: StepTimings, promptsDrawn: Int) {
        self.metrics = metrics
        self.loss = loss
        self.tokens = tokens
        self.timings = timings
        self.promptsDrawn = promptsDrawn
    }
}

/// Monotonic seconds.
@inline(__always) func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) * 1e-9 }

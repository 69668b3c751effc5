import Foundation

/// One value per phase of a step: seconds (`StepReport.timings`, for `ablate bench` and
/// `step_time`) or floating-point operations done (`StepReport.flops`).
public struct StepPhases: Equatable, Sendable {
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
    public var timings: StepPhases
    /// Floating-point operations each phase did (`FLOPCounter`: matrix products and visible
    /// attention, after prompt sharing; AdamW counted as 10 per parameter).
    public var flops: StepPhases
    /// Prompts the step took from the data (more than a batch with dynamic sampling).
    public var promptsDrawn: Int
}

/// Seconds per phase, lap by lap: each `lap` adds the time since the previous one to a phase
/// (every trainer's step timings).
struct PhaseClock {
    private(set) var phases = StepPhases()
    private var last = now()

    mutating func lap(_ phase: WritableKeyPath<StepPhases, Double>) {
        let t = now()
        phases[keyPath: phase] += t - last
        last = t
    }

    /// The sampling lap of a rollout, its reward function's time counted as `reward`.
    mutating func lapRollout(_ rollout: Rollout) {
        lap(\.sampling)
        phases.sampling -= rollout.scoringSeconds
        phases.reward += rollout.scoringSeconds
    }
}

/// Monotonic seconds.
@inline(__always) func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) * 1e-9 }

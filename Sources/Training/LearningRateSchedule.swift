import Basics
import Foundation

/// The learning rate at each optimiser step: linear warm-up, then constant or cosine decay to
/// `minimumRatio · peak` at the last step (nanoGPT's schedule).
public struct LearningRateSchedule: Equatable, Sendable {
    public enum Shape: String, ConfigOption { case constant, cosine }

    public var peak: Double
    public var warmupSteps: Int
    public var totalSteps: Int
    public var shape: Shape
    public var minimumRatio: Double

    public init(peak: Double, warmupSteps: Int, totalSteps: Int, shape: Shape, minimumRatio: Double) {
        self.peak = peak
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
        self.shape = shape
        self.minimumRatio = minimumRatio
    }

    /// The rate for the update that produces step `step` (1-based: the first update is step 1).
    ///
    /// Warm-up: steps 1…W ramp linearly `peak·s/W`. Cosine: over steps W+1…N the rate follows
    /// `min + ½(peak − min)(1 + cos(π·p))` with `p = (s − W)/(N − W)`, reaching `min` at step N.
    public func rate(atStep step: Int) -> Double {
        if warmupSteps > 0 && step <= warmupSteps {
            return peak * Double(step) / Double(warmupSteps)
        }
        switch shape {
        case .constant:
            return peak
        case .cosine:
            let minimum = peak * minimumRatio
            let span = max(1, totalSteps - warmupSteps)
            let progress = min(1, max(0, Double(step - warmupSteps) / Double(span)))
            return minimum + 0.5 * (peak - minimum) * (1 + cos(Double.pi * progress))
        }
    }
}

extension LearningRateSchedule {
    /// The schedule of `train` over its `lr_schedule_steps` (its `steps` unless set).
    public init(train: TrainConfig) {
        self.init(peak: train.lr, warmupSteps: train.warmup, totalSteps: train.resolvedScheduleSteps, shape: train.lrSchedule,
                  minimumRatio: train.minLRRatio)
    }
}

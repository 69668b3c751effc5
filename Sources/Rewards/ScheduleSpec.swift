import Basics
import Foundation

/// The shape of a temporal schedule: a weight curve w(p) over training progress p ∈ [0, 1].
public enum ScheduleKind: String, ConfigOption {
    /// No schedule: every range is its `scale`.
    case constant
    /// w = 0 before `switch`, 1 from it on (paper §5.2, s = 30 of 105 steps).
    case twoStage = "two_stage"
    /// w = p (paper's dynamic scale).
    case dynamic
    /// w = (1 − cos πp) / 2.
    case cosine
    /// w interpolated linearly between `points` ([progress, weight] pairs), flat outside them.
    case piecewise
}

/// Ranges of the format and correctness components at weight 0 (`start`) and 1 (`end`).
public struct ScheduleRanges: Equatable, Sendable {
    public var format: ScaleRange
    public var correctness: ScaleRange

    init(format: ScaleRange, correctness: ScaleRange) {
        self.format = format
        self.correctness = correctness
    }

    enum CodingKeys: String, CodingKey { case format, correctness }
}

/// `reward.schedule`: how the format and correctness ranges move with progress.
///
/// The range of a component at progress p is `start + w(p)·(end − start)`. `start` and `end`
/// default from the kind and `scale` (see `defaultRanges`); the length component has its own
/// target schedule (`LengthSpec`).
public struct ScheduleSpec: Equatable, Sendable {
    public var kind: ScheduleKind = .constant
    /// Progress at which `two_stage` switches (paper fidelity). Default 30/105, the paper's step 30.
    var switchProgress: Double = 30.0 / 105.0
    /// `piecewise` points `[progress, weight]`, progress non-decreasing.
    public var points: [[Double]] = [[0, 0], [1, 1]]
    /// Explicit ranges at w = 0 and w = 1; nil means the kind's defaults.
    public var start: ScheduleRanges?
    public var end: ScheduleRanges?

    init(kind: ScheduleKind = .constant) { self.kind = kind }

    /// The kind's default ranges, derived from the base `scale`:
    /// - `two_stage`: start {format: scale, correctness: scale/3}, end {format: scale/2, correctness: scale}.
    /// - `dynamic`, `cosine`, `piecewise`: start {format: [−2, 2], correctness: [−2, 2]},
    ///   end {format: [−fmax, fmax], correctness: scale}: the paper's [−2+p, 2−p] and [−2−p, 2+p].
    /// - `constant`: both are `scale`.
    func defaultRanges(scale: RewardScales) -> (start: ScheduleRanges, end: ScheduleRanges) {
        let base = ScheduleRanges(format: scale.format, correctness: scale.correctness)
        switch kind {
        case .constant:
            return (base, base)
        case .twoStage:
            return (ScheduleRanges(format: scale.format, correctness: scale.correctness.scaled(by: 1.0 / 3.0)),
                    ScheduleRanges(format: scale.format.scaled(by: 0.5), correctness: scale.correctness))
        case .dynamic, .cosine, .piecewise:
            return (ScheduleRanges(format: ScaleRange(-2, 2), correctness: ScaleRange(-2, 2)),
                    ScheduleRanges(format: ScaleRange(-scale.format.max, scale.format.max), correctness: scale.correctness))
        }
    }

    func resolvedRanges(scale: RewardScales) -> (start: ScheduleRanges, end: ScheduleRanges) {
        let defaults = defaultRanges(scale: scale)
        return (start ?? defaults.start, end ?? defaults.end)
    }

    /// The weight curve w(p); p is clamped to [0, 1].
    public func weight(progress rawProgress: Double) -> Double {
        let progress = rawProgress.isFinite ? Swift.min(Swift.max(rawProgress, 0), 1) : 0
        switch kind {
        case .constant: return 1
        case .twoStage: return progress < switchProgress ? 0 : 1
        case .dynamic: return progress
        case .cosine: return (1 - cos(Double.pi * progress)) / 2
        case .piecewise: return ScheduleSpec.interpolate(points, at: progress)
        }
    }

    static func interpolate(_ points: [[Double]], at progress: Double) -> Double {
        guard let first = points.first, let last = points.last else { return 1 }
        if progress <= first[0] { return first[1] }
        if progress >= last[0] { return last[1] }
        for index in 1..<points.count where progress < points[index][0] {
            let (left, right) = (points[index - 1], points[index])
            let span = right[0] - left[0]
            guard span > 0 else { return right[1] }
            return left[1] + (right[1] - left[1]) * (progress - left[0]) / span
        }
        return last[1]
    }

    func validate() throws {
        guard switchProgress.isFinite, (0...1).contains(switchProgress) else {
            throw RewardConfigError("reward.schedule.switch must be a progress in [0, 1], got \(switchProgress)")
        }
        guard !points.isEmpty else {
            throw RewardConfigError("reward.schedule.points needs at least one [progress, weight] point")
        }
        for (index, point) in points.enumerated() {
            guard point.count == 2, point.allSatisfy(\.isFinite) else {
                throw RewardConfigError("reward.schedule.points[\(index)] must be [progress, weight], got \(point)")
            }
            if index > 0, point[0] < points[index - 1][0] {
                throw RewardConfigError("reward.schedule.points must have non-decreasing progress; point \(index) goes back to \(point[0])")
            }
        }
    }
}

// MARK: - Coding

extension ScheduleSpec: Codable {
    enum CodingKeys: String, CodingKey {
        case kind
        case switchProgress = "switch"
        case points, start, end
    }

    /// Accepts a kind name (`schedule: dynamic`), a list of points (`schedule: [[0, 0], [1, 1]]`,
    /// piecewise), or an object with the keys `kind`, `switch`, `points`, `start`, `end`.
    public init(from decoder: Decoder) throws {
        if let single = try? decoder.singleValueContainer() {
            if (try? single.decode(String.self)) != nil {
                self.init(kind: try single.decode(ScheduleKind.self))
                return
            }
            if let points = try? single.decode([[Double]].self) {
                self.init(kind: .piecewise)
                self.points = points
                try validate()
                return
            }
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(kind: try container.decodeIfPresent(ScheduleKind.self, forKey: .kind) ?? .constant)
        switchProgress = try container.decodeIfPresent(Double.self, forKey: .switchProgress) ?? switchProgress
        if let points = try container.decodeIfPresent([[Double]].self, forKey: .points) {
            self.points = points
            if container.contains(.kind) == false { kind = .piecewise }
        }
        start = try container.decodeIfPresent(ScheduleRanges.self, forKey: .start)
        end = try container.decodeIfPresent(ScheduleRanges.self, forKey: .end)
        do { try validate() } catch let error as RewardConfigError {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    /// Writes the object form. `start`/`end` are written only when set explicitly, as `null`
    /// otherwise, because their defaults follow `scale` (which a sweep may change).
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(switchProgress, forKey: .switchProgress)
        try container.encode(points, forKey: .points)
        if let start { try container.encode(start, forKey: .start) } else { try container.encodeNil(forKey: .start) }
        if let end { try container.encode(end, forKey: .end) } else { try container.encodeNil(forKey: .end) }
    }
}

extension ScheduleRanges: Codable {
    /// Both keys are required: a partial range set would be ambiguous.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        format = try container.decode(ScaleRange.self, forKey: .format)
        correctness = try container.decode(ScaleRange.self, forKey: .correctness)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(format, forKey: .format)
        try container.encode(correctness, forKey: .correctness)
    }
}

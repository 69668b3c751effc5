import Foundation
import ToolUse

/// One completion's reward, component by component. For ToolRL's presets `total` is the
/// weighted sum (`weights.format·format + weights.correctness·correctness + weights.length·length`);
/// the outcome presets compute `total` by their own formula (`isWeightedSum` false).
public struct RewardBreakdown: Equatable, Sendable {
    public var format: Double
    public var correctness: Double
    /// nil when the reward has no length term.
    public var length: Double?
    public var total: Double
    public var isWeightedSum: Bool

    init(format: Double, correctness: Double, length: Double?, total: Double, isWeightedSum: Bool = true) {
        self.format = format
        self.correctness = correctness
        self.length = length
        self.total = total
        self.isWeightedSum = isWeightedSum
    }
}

/// The ToolRL reward for one spec. Thread-safe; gold answers are parsed once and cached.
public final class ToolCallReward: @unchecked Sendable {
    public let spec: RewardSpec
    let startRanges: ScheduleRanges
    let endRanges: ScheduleRanges
    let paper: PaperScoring
    /// The formula of an outcome preset; nil for ToolRL's presets.
    let outcome: OutcomeScoring?

    fileprivate final class GoldEntry {
        var code: ToolRLCodeGold?
        var paper: PaperGold?
    }

    private var goldCache: [ScalarKey: GoldEntry] = [:]
    private var lastGold: (gold: String, entry: GoldEntry)?
    private let cacheLock = NSLock()
    private static let cacheLimit = 200_000

    public init(spec: RewardSpec) throws {
        try spec.schedule.validate()
        self.spec = spec
        (startRanges, endRanges) = spec.schedule.resolvedRanges(scale: spec.scale)
        paper = PaperScoring(correctness: spec.correctness)
        outcome = spec.preset.isToolRL ? nil
            : OutcomeScoring(preset: spec.preset, values: spec.correctness.values, errorWeights: spec.errorWeights)
        if outcome != nil && spec.fidelity != .paper {
            throw RewardConfigError("preset \(spec.preset.rawValue) has fidelity paper only; remove fidelity: toolrl-code")
        }
        for (name, weight) in [("format", spec.weights.format), ("correctness", spec.weights.correctness), ("length", spec.weights.length)]
        where !weight.isFinite {
            throw RewardConfigError("reward.weights.\(name) must be a finite number, got \(weight)")
        }
        if spec.fidelity == .toolrlCode {
            try ToolCallReward.checkToolRLCodeSettings(spec)
            let defaults = spec.schedule.defaultRanges(scale: spec.scale)
            if spec.schedule.kind == .twoStage || spec.schedule.kind == .dynamic,
               startRanges != defaults.start || endRanges != defaults.end {
                throw RewardConfigError("""
                    fidelity toolrl-code computes the \(spec.schedule.kind.rawValue) schedule from reward.scale with the \
                    original's constants, so reward.schedule.start/end cannot be set; remove them or use fidelity paper
                    """)
            }
        }
    }

    /// Settings the original code hard-codes cannot be changed under fidelity toolrl-code.
    static func checkToolRLCodeSettings(_ spec: RewardSpec) throws {
        let paperOnly = "use fidelity paper to change it"
        if spec.correctness.values != .python {
            throw RewardConfigError("fidelity toolrl-code compares values with Python ==, so reward.correctness.values must be python; \(paperOnly)")
        }
        if spec.correctness.responseOnly != .zero {
            throw RewardConfigError("fidelity toolrl-code scores response-only gold answers 0, so reward.correctness.response_only must be zero; \(paperOnly)")
        }
        let defaults = RewardSpec(preset: .original)
        if spec.schedule.kind == .twoStage, spec.schedule.switchProgress != defaults.schedule.switchProgress {
            throw RewardConfigError("fidelity toolrl-code switches two_stage at step 30, so reward.schedule.switch cannot be set; \(paperOnly)")
        }
        if spec.length.target != defaults.length.target || spec.length.finalTarget != defaults.length.finalTarget {
            throw RewardConfigError("fidelity toolrl-code hard-codes the length targets (512 words, or 384 + 256·step/105 when growing), so reward.length.target and final_target cannot be set; \(paperOnly)")
        }
    }

    /// Whether the breakdown has a length term.
    public var hasLength: Bool { spec.length.enabled }

    /// Why a score depends on the training step (a scale schedule, a growing length target), or
    /// nil when it does not.
    public var stepDependence: String? {
        if spec.schedule.kind != .constant { return "reward.schedule is \(spec.schedule.kind.rawValue)" }
        if spec.length.enabled && spec.length.growth == .linear { return "the length target grows (reward.length.growth is linear)" }
        return nil
    }

    /// Scores one completion against its gold answer at training step `step` of `totalSteps`.
    /// Progress (fidelity `paper`, and the cosine and piecewise schedules) is `step / totalSteps`,
    /// clamped to [0, 1].
    public func score(gold: String, completion: String, step: Int, totalSteps: Int) -> RewardBreakdown {
        var text = completion
        return text.withUTF8 { score(gold: gold, completionUTF8: $0, step: step, totalSteps: totalSteps) }
    }

    /// `score` with the completion as UTF-8 bytes (which must be valid UTF-8).
    public func score(gold: String, completionUTF8 whole: UnsafeBufferPointer<UInt8>, step: Int, totalSteps: Int) -> RewardBreakdown {
        score(entry: goldEntry(gold), completionUTF8: whole, step: step, totalSteps: totalSteps)
    }

    /// A gold answer read once, for scoring many completions against it (`prepare`).
    public struct PreparedGold {
        fileprivate let entry: GoldEntry
        /// Why the gold answer cannot be scored (`goldProblem`), or nil.
        public let problem: String?
    }

    /// The gold answer as `score` reads it, for scoring several completions in a row.
    func prepare(gold: String) -> PreparedGold {
        let entry = goldEntry(gold)
        return PreparedGold(entry: entry, problem: spec.fidelity == .toolrlCode ? entry.code?.problem : entry.paper?.problem)
    }

    /// `score` against a prepared gold answer.
    public func score(_ gold: PreparedGold, completionUTF8: UnsafeBufferPointer<UInt8>, step: Int, totalSteps: Int) -> RewardBreakdown {
        score(entry: gold.entry, completionUTF8: completionUTF8, step: step, totalSteps: totalSteps)
    }

    private func score(entry: GoldEntry, completionUTF8 whole: UnsafeBufferPointer<UInt8>, step: Int, totalSteps: Int) -> RewardBreakdown {
        let progress = totalSteps > 0 ? Swift.min(Swift.max(Double(step) / Double(totalSteps), 0), 1) : 0
        var format = 0.0, correctness = 0.0
        var length: Double?
        switch spec.fidelity {
        case .toolrlCode:
            let gold = entry.code!
            let (formatRange, correctnessRange) = codeRanges(step: step, progress: progress)
            let bytes = UnsafeBufferPointer(rebasing: whole[PythonText.strip(whole, 0..<whole.count)])
            format = ToolRLCode.formatPasses(bytes, gold: gold) ? formatRange.max : formatRange.min
            correctness = ToolRLCode.correctness(bytes, gold: gold, granularity: spec.correctness.granularity,
                                                 range: correctnessRange)
            if spec.length.enabled {
                let fraction = ToolRLCode.lengthFraction(bytes, growing: spec.length.growth == .linear, step: step)
                length = spec.scale.length.value(at: fraction)
            }
        case .paper:
            let gold = entry.paper!
            let parsed = CompletionParser.parse(utf8: whole)
            if let outcome { return outcome.score(parsed, gold: gold, paper: paper) }
            let (formatRange, correctnessRange) = paperRanges(progress: progress)
            format = paper.formatPasses(parsed, gold: gold) ? formatRange.max : formatRange.min
            correctness = paper.correctnessValue(parsed, gold: gold, range: correctnessRange)
            if spec.length.enabled {
                let fraction = PaperScoring.lengthFraction(parsed, target: spec.length.target(progress: progress))
                length = spec.scale.length.value(at: fraction)
            }
        }
        let weights = spec.weights
        var total = weights.format * format + weights.correctness * correctness
        if let length { total += weights.length * length }
        return RewardBreakdown(format: format, correctness: correctness, length: length, total: total)
    }

    /// Why `gold` cannot be scored (it does not parse as a ToolRL answer), or nil when it can.
    /// Such a gold scores the correctness minimum.
    public func goldProblem(_ gold: String) -> String? {
        let entry = goldEntry(gold)
        return spec.fidelity == .toolrlCode ? entry.code?.problem : entry.paper?.problem
    }

    /// The format and correctness ranges in effect at a step (what `score` uses).
    public func ranges(step: Int, totalSteps: Int) -> (format: ScaleRange, correctness: ScaleRange) {
        let progress = totalSteps > 0 ? Swift.min(Swift.max(Double(step) / Double(totalSteps), 0), 1) : 0
        return spec.fidelity == .toolrlCode ? codeRanges(step: step, progress: progress) : paperRanges(progress: progress)
    }

    func paperRanges(progress: Double) -> (ScaleRange, ScaleRange) {
        if spec.schedule.kind == .constant { return (spec.scale.format, spec.scale.correctness) }
        let weight = spec.schedule.weight(progress: progress)
        return (startRanges.format.interpolated(to: endRanges.format, weight: weight),
                startRanges.correctness.interpolated(to: endRanges.correctness, weight: weight))
    }

    func codeRanges(step: Int, progress: Double) -> (ScaleRange, ScaleRange) {
        switch spec.schedule.kind {
        case .constant, .twoStage, .dynamic:
            return (ToolRLCode.formatRange(spec.scale.format, kind: spec.schedule.kind, step: step),
                    ToolRLCode.correctnessRange(spec.scale.correctness, kind: spec.schedule.kind, step: step))
        case .cosine, .piecewise:
            return paperRanges(progress: progress)
        }
    }

    private func goldEntry(_ gold: String) -> GoldEntry {
        cacheLock.lock()
        // Consecutive calls usually share a gold answer (a group's completions, `goldProblem`
        // then `score`): one comparison instead of hashing a few KB.
        if let last = lastGold, last.gold.hasSameScalars(as: gold) {
            cacheLock.unlock()
            return last.entry
        }
        let key = ScalarKey(gold)
        if let entry = goldCache[key] {
            lastGold = (gold, entry)
            cacheLock.unlock()
            return entry
        }
        cacheLock.unlock()
        let entry = GoldEntry()
        switch spec.fidelity {
        case .toolrlCode: entry.code = ToolRLCodeGold(gold)
        case .paper: entry.paper = PaperGold(gold)
        }
        cacheLock.lock()
        if goldCache.count >= ToolCallReward.cacheLimit { goldCache.removeAll(keepingCapacity: true) }
        goldCache[key] = entry
        lastGold = (gold, entry)
        cacheLock.unlock()
        return entry
    }
}

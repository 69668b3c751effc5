/// `RunConfig.reward`: everything that defines a reward. A preset supplies defaults; every key
/// given explicitly overrides its preset value (nested keys one by one, so
/// `{preset: two_stage, scale: {correctness: [-1, 1]}}` keeps the preset's format range).
///
/// Keys (snake_case): `preset`, `fidelity`, `scale.{format,correctness,length}`,
/// `correctness.{granularity,matching,values,response_only}`, `schedule`, `length`,
/// `weights.{format,correctness,length}`. docs/rewards.md has every formula.
public struct RewardSpec: Equatable, Sendable {
    public var preset: RewardPreset
    public var fidelity: RewardFidelity = .paper
    public var scale = RewardScales()
    public var correctness = CorrectnessSpec()
    public var schedule = ScheduleSpec()
    public var length = LengthSpec()
    public var weights = RewardWeights()

    /// The preset's settings, fidelity `paper`.
    public init(preset: RewardPreset = .original) {
        self.preset = preset
        switch preset {
        case .original: break
        case .length: length = LengthSpec(enabled: true, growth: .fixed)
        case .dynamicLength: length = LengthSpec(enabled: true, growth: .linear)
        case .equalMax: scale.correctness = ScaleRange(-1, 1)
        case .twoStage: schedule = ScheduleSpec(kind: .twoStage)
        case .dynamicScale: schedule = ScheduleSpec(kind: .dynamic)
        case .finegrained: correctness.granularity = .finegrained
        case .intermediate: correctness.granularity = .intermediate
        case .coarse: correctness.granularity = .coarse
        }
    }

    public init(preset: RewardPreset, fidelity: RewardFidelity) {
        self.init(preset: preset)
        self.fidelity = fidelity
    }
}

extension RewardSpec: Codable {
    enum CodingKeys: String, CodingKey {
        case preset, fidelity, scale, correctness, schedule, length, weights
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let preset = try container.decodeIfPresent(RewardPreset.self, forKey: .preset) ?? .original
        let defaults = RewardSpec(preset: preset)
        self = defaults
        fidelity = try container.decodeIfPresent(RewardFidelity.self, forKey: .fidelity) ?? defaults.fidelity
        if container.contains(.scale), try !container.decodeNil(forKey: .scale) {
            let nested = try container.nestedContainer(keyedBy: RewardScales.CodingKeys.self, forKey: .scale)
            scale = try RewardScales.decode(nested, defaults: defaults.scale)
        }
        if container.contains(.correctness), try !container.decodeNil(forKey: .correctness) {
            let nested = try container.nestedContainer(keyedBy: CorrectnessSpec.CodingKeys.self, forKey: .correctness)
            correctness = try CorrectnessSpec.decode(nested, defaults: defaults.correctness)
        }
        schedule = try container.decodeIfPresent(ScheduleSpec.self, forKey: .schedule) ?? defaults.schedule
        if container.contains(.length), try !container.decodeNil(forKey: .length) {
            if let flag = try? container.decode(Bool.self, forKey: .length) {
                length.enabled = flag
            } else {
                let nested = try container.nestedContainer(keyedBy: LengthSpec.CodingKeys.self, forKey: .length)
                length = try LengthSpec.decode(nested, defaults: defaults.length)
            }
        }
        if container.contains(.weights), try !container.decodeNil(forKey: .weights) {
            let nested = try container.nestedContainer(keyedBy: RewardWeights.CodingKeys.self, forKey: .weights)
            weights = try RewardWeights.decode(nested, defaults: defaults.weights)
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(preset, forKey: .preset)
        try container.encode(fidelity, forKey: .fidelity)
        var scaleContainer = container.nestedContainer(keyedBy: RewardScales.CodingKeys.self, forKey: .scale)
        try scale.encode(to: &scaleContainer)
        var correctnessContainer = container.nestedContainer(keyedBy: CorrectnessSpec.CodingKeys.self, forKey: .correctness)
        try correctness.encode(to: &correctnessContainer)
        try container.encode(schedule, forKey: .schedule)
        var lengthContainer = container.nestedContainer(keyedBy: LengthSpec.CodingKeys.self, forKey: .length)
        try length.encode(to: &lengthContainer)
        var weightsContainer = container.nestedContainer(keyedBy: RewardWeights.CodingKeys.self, forKey: .weights)
        try weights.encode(to: &weightsContainer)
    }
}

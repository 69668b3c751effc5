/// `RunConfig.reward`: everything that defines a reward. A preset supplies defaults; every key
/// given explicitly overrides its preset value (nested keys one by one, so
/// `{preset: two_stage, scale: {correctness: [-1, 1]}}` keeps the preset's format range).
///
/// Keys (snake_case): `preset`, `fidelity`, `scale.{format,correctness,length}`,
/// `correctness.{granularity,matching,values,response_only}`, `schedule`, `length`,
/// `weights.{format,correctness,length}`, `aggregation`, `error_weights.<class>`.
/// docs/rewards.md has every formula.
public struct RewardSpec: Equatable, Sendable {
    public var preset: RewardPreset
    public var fidelity: RewardFidelity = .paper
    public var scale = RewardScales()
    public var correctness = CorrectnessSpec()
    public var schedule = ScheduleSpec()
    public var length = LengthSpec()
    public var weights = RewardWeights()
    /// How the components become advantages (read by the trainer).
    public var aggregation: RewardAggregation = .sumThenNormalize
    /// The `error_typed` preset's penalties.
    var errorWeights = ErrorWeights()

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
        case .binary, .f1Floor, .errorTyped: break
        }
    }

    public init(preset: RewardPreset, fidelity: RewardFidelity) {
        self.init(preset: preset)
        self.fidelity = fidelity
    }
}

extension RewardSpec: Codable {
    enum CodingKeys: String, CodingKey {
        case preset, fidelity, scale, correctness, schedule, length, weights, aggregation
        case errorWeights = "error_weights"
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
        aggregation = try container.decodeIfPresent(RewardAggregation.self, forKey: .aggregation) ?? defaults.aggregation
        if container.contains(.errorWeights), try !container.decodeNil(forKey: .errorWeights) {
            let nested = try container.nestedContainer(keyedBy: ErrorWeights.Key.self, forKey: .errorWeights)
            errorWeights = try ErrorWeights.decode(nested, defaults: defaults.errorWeights)
        }
        try checkPresetKeys(container, defaults: defaults)
    }

    /// The outcome presets are whole formulas: ToolRL's ranges, schedules, weights and
    /// decomposition do not apply to them, and `error_weights` only applies to `error_typed`.
    /// Compared with the defaults (not by presence) so that a resolved config decodes again.
    private func checkPresetKeys(_ container: KeyedDecodingContainer<CodingKeys>, defaults: RewardSpec) throws {
        func reject(_ key: CodingKeys, _ what: String) throws {
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: what)
        }
        if preset != .errorTyped && errorWeights != defaults.errorWeights {
            try reject(.errorWeights, "error_weights only apply to preset error_typed; remove them or set preset: error_typed")
        }
        guard !preset.isToolRL else { return }
        let why = "does not apply to preset \(preset.rawValue), whose formula is fixed (docs/rewards.md, \"Outcome presets\"); remove it"
        if fidelity != .paper { try reject(.fidelity, "fidelity toolrl-code " + why) }
        if scale != defaults.scale { try reject(.scale, "scale " + why) }
        if schedule != defaults.schedule { try reject(.schedule, "schedule " + why) }
        if length != defaults.length { try reject(.length, "length " + why) }
        if weights != defaults.weights { try reject(.weights, "weights " + why) }
        var onlyValues = defaults.correctness
        onlyValues.values = correctness.values
        if correctness != onlyValues {
            try reject(.correctness, "only correctness.values applies to preset \(preset.rawValue) (granularity, matching and response_only do not); remove the others")
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
        try container.encode(aggregation, forKey: .aggregation)
        try container.encode(errorWeights, forKey: .errorWeights)
    }
}

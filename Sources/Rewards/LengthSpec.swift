/// `reward.length`: the reasoning-length component (paper §5.1). `length: true` / `false` is
/// shorthand for `{enabled: ...}`.
public struct LengthSpec: Equatable, Sendable {
    var enabled = false
    /// Words of `<think>` text that earn the full length reward (at progress 0 when growing).
    public var target = 512.0
    var growth: LengthGrowth = .fixed
    /// The target at progress 1 when `growth` is `linear`.
    var finalTarget = 1024.0

    init(enabled: Bool = false, growth: LengthGrowth = .fixed) {
        self.enabled = enabled
        self.growth = growth
    }

    /// The word target at progress p (fidelity `paper`).
    public func target(progress: Double) -> Double {
        switch growth {
        case .fixed: return target
        case .linear: return target + (finalTarget - target) * progress
        }
    }

    enum CodingKeys: String, CodingKey {
        case enabled, target, growth
        case finalTarget = "final_target"
    }

    /// Reads the object form; a missing `enabled` means true (writing the object turns it on).
    static func decode(_ container: KeyedDecodingContainer<CodingKeys>, defaults: LengthSpec) throws -> LengthSpec {
        var spec = defaults
        spec.enabled = try container.decodeIfPresent(Bool.self, forKey: .enabled) ?? true
        spec.target = try container.decodeIfPresent(Double.self, forKey: .target) ?? defaults.target
        spec.growth = try container.decodeIfPresent(LengthGrowth.self, forKey: .growth) ?? defaults.growth
        spec.finalTarget = try container.decodeIfPresent(Double.self, forKey: .finalTarget) ?? defaults.finalTarget
        guard spec.target > 0, spec.finalTarget > 0, spec.target.isFinite, spec.finalTarget.isFinite else {
            throw DecodingError.dataCorruptedError(forKey: .target, in: container,
                debugDescription: "length targets must be positive word counts, got target \(spec.target), final_target \(spec.finalTarget)")
        }
        return spec
    }

    func encode(to container: inout KeyedEncodingContainer<CodingKeys>) throws {
        try container.encode(enabled, forKey: .enabled)
        try container.encode(target, forKey: .target)
        try container.encode(growth, forKey: .growth)
        try container.encode(finalTarget, forKey: .finalTarget)
    }
}

/// `reward.correctness`: how tool calls are compared.
public struct CorrectnessSpec: Equatable, Sendable {
    public var granularity: CorrectnessGranularity = .original
    public var matching: CallMatching = .optimal
    public var values: ValueEquality = .python
    public var responseOnly: ResponseOnlyCorrectness = .zero

    init(granularity: CorrectnessGranularity = .original) { self.granularity = granularity }

    enum CodingKeys: String, CodingKey {
        case granularity, matching, values
        case responseOnly = "response_only"
    }

    static func decode(_ container: KeyedDecodingContainer<CodingKeys>, defaults: CorrectnessSpec) throws -> CorrectnessSpec {
        var spec = defaults
        spec.granularity = try container.decodeIfPresent(CorrectnessGranularity.self, forKey: .granularity) ?? defaults.granularity
        spec.matching = try container.decodeIfPresent(CallMatching.self, forKey: .matching) ?? defaults.matching
        spec.values = try container.decodeIfPresent(ValueEquality.self, forKey: .values) ?? defaults.values
        spec.responseOnly = try container.decodeIfPresent(ResponseOnlyCorrectness.self, forKey: .responseOnly) ?? defaults.responseOnly
        return spec
    }

    func encode(to container: inout KeyedEncodingContainer<CodingKeys>) throws {
        try container.encode(granularity, forKey: .granularity)
        try container.encode(matching, forKey: .matching)
        try container.encode(values, forKey: .values)
        try container.encode(responseOnly, forKey: .responseOnly)
    }
}

/// A component's reward range `[min, max]`, written as a two-number list in YAML/JSON.
public struct ScaleRange: Codable, Equatable, Sendable, CustomStringConvertible {
    public var min: Double
    public var max: Double

    public init(_ min: Double, _ max: Double) {
        self.min = min
        self.max = max
    }

    public init(from decoder: Decoder) throws {
        var list = try decoder.unkeyedContainer()
        guard list.count == 2 else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "expected a range [min, max] with two numbers, e.g. [0, 1]"))
        }
        min = try list.decode(Double.self)
        max = try list.decode(Double.self)
        guard min.isFinite, max.isFinite, min <= max else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "expected a range [min, max] of finite numbers with min <= max, got [\(min), \(max)]"))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var list = encoder.unkeyedContainer()
        try list.encode(min)
        try list.encode(max)
    }

    /// Both ends multiplied by `factor`.
    public func scaled(by factor: Double) -> ScaleRange { ScaleRange(min * factor, max * factor) }

    /// The point `fraction` of the way from `min` to `max`.
    @inline(__always)
    public func value(at fraction: Double) -> Double { (max - min) * fraction + min }

    /// Elementwise `self + weight · (other − self)`.
    public func interpolated(to other: ScaleRange, weight: Double) -> ScaleRange {
        ScaleRange(min + weight * (other.min - min), max + weight * (other.max - max))
    }

    public var description: String { "[\(min), \(max)]" }
}

/// Per-component ranges.
public struct RewardScales: Equatable, Sendable {
    public var format = ScaleRange(0, 1)
    public var correctness = ScaleRange(-3, 3)
    public var length = ScaleRange(0, 1)

    public init() {}

    enum CodingKeys: String, CodingKey { case format, correctness, length }

    static func decode(_ container: KeyedDecodingContainer<CodingKeys>, defaults: RewardScales) throws -> RewardScales {
        var scales = defaults
        scales.format = try container.decodeIfPresent(ScaleRange.self, forKey: .format) ?? defaults.format
        scales.correctness = try container.decodeIfPresent(ScaleRange.self, forKey: .correctness) ?? defaults.correctness
        scales.length = try container.decodeIfPresent(ScaleRange.self, forKey: .length) ?? defaults.length
        return scales
    }

    func encode(to container: inout KeyedEncodingContainer<CodingKeys>) throws {
        try container.encode(format, forKey: .format)
        try container.encode(correctness, forKey: .correctness)
        try container.encode(length, forKey: .length)
    }
}

/// Weights of the components in the total (the components themselves are reported unweighted).
public struct RewardWeights: Equatable, Sendable {
    public var format = 1.0
    public var correctness = 1.0
    public var length = 1.0

    public init() {}

    enum CodingKeys: String, CodingKey { case format, correctness, length }

    static func decode(_ container: KeyedDecodingContainer<CodingKeys>, defaults: RewardWeights) throws -> RewardWeights {
        var weights = defaults
        weights.format = try container.decodeIfPresent(Double.self, forKey: .format) ?? defaults.format
        weights.correctness = try container.decodeIfPresent(Double.self, forKey: .correctness) ?? defaults.correctness
        weights.length = try container.decodeIfPresent(Double.self, forKey: .length) ?? defaults.length
        return weights
    }

    func encode(to container: inout KeyedEncodingContainer<CodingKeys>) throws {
        try container.encode(format, forKey: .format)
        try container.encode(correctness, forKey: .correctness)
        try container.encode(length, forKey: .length)
    }
}

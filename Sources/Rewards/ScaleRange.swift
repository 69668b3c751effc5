/// A component's reward range `[min, max]`, written as a two-number list in YAML/JSON.
public struct ScaleRange: Codable, Equatable, Sendable, CustomStringConvertible {
    public var min: Double
    public var max: Double

    init(_ min: Double, _ max: Double) {
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
    func interpolated(to other: ScaleRange, weight: Double) -> ScaleRange {
        ScaleRange(min + weight * (other.min - min), max + weight * (other.max - max))
    }

    public var description: String { "[\(min), \(max)]" }
}

/// One value per reward component: the ranges (`scale`) and the weights (`weights`) of a spec.
public struct PerComponent<Value: Codable & Equatable & Sendable>: Equatable, Sendable {
    public var format: Value
    public var correctness: Value
    public var length: Value

    init(format: Value, correctness: Value, length: Value) {
        self.format = format
        self.correctness = correctness
        self.length = length
    }

    enum CodingKeys: String, CodingKey { case format, correctness, length }

    /// Reads the components present in `container`; absent ones keep their value in `defaults`.
    static func decode(_ container: KeyedDecodingContainer<CodingKeys>, defaults: PerComponent) throws -> PerComponent {
        var values = defaults
        values.format = try container.decodeIfPresent(Value.self, forKey: .format) ?? defaults.format
        values.correctness = try container.decodeIfPresent(Value.self, forKey: .correctness) ?? defaults.correctness
        values.length = try container.decodeIfPresent(Value.self, forKey: .length) ?? defaults.length
        return values
    }

    func encode(to container: inout KeyedEncodingContainer<CodingKeys>) throws {
        try container.encode(format, forKey: .format)
        try container.encode(correctness, forKey: .correctness)
        try container.encode(length, forKey: .length)
    }
}

/// Per-component ranges.
public typealias RewardScales = PerComponent<ScaleRange>
/// Weights of the components in the total (the components themselves are reported unweighted).
public typealias RewardWeights = PerComponent<Double>

extension PerComponent where Value == ScaleRange {
    /// The paper's ranges: format [0, 1], correctness [−3, 3], length [0, 1].
    init() { self.init(format: ScaleRange(0, 1), correctness: ScaleRange(-3, 3), length: ScaleRange(0, 1)) }
}

extension PerComponent where Value == Double {
    /// Every component weighs 1.
    init() { self.init(format: 1, correctness: 1, length: 1) }
}

import Foundation

/// What a reward function sees of one completion.
public struct RewardContext {
    public var prompt: String
    /// The reference output text of the task item (empty for tasks without one).
    public var gold: String
    public var completion: String
    public var completionTokens: [Int32]
    /// The current training step (1-based) and the run's total, for scheduled rewards.
    public var step: Int
    public var totalSteps: Int

    init(prompt: String, gold: String, completion: String, completionTokens: [Int32], step: Int, totalSteps: Int) {
        self.prompt = prompt
        self.gold = gold
        self.completion = completion
        self.completionTokens = completionTokens
        self.step = step
        self.totalSteps = totalSteps
    }
}

/// A scored completion: the total that drives advantages and named components for metrics
/// (`rewards/<component>/mean`).
public struct RewardScore: Equatable {
    public var total: Double
    public var components: [(String, Double)]
    /// The weight of each component when `total = Σ weights[k]·components[k]` (what
    /// `reward.aggregation: normalize_then_sum` normalises component by component); empty when
    /// the total is not such a sum, and is then normalised as one component.
    public var weights: [Double]

    public init(total: Double, components: [(String, Double)] = [], weights: [Double] = []) {
        precondition(weights.isEmpty || weights.count == components.count, "one weight per component")
        self.total = total
        self.components = components
        self.weights = weights
    }

    public static func == (a: RewardScore, b: RewardScore) -> Bool {
        a.total == b.total && a.components.count == b.components.count && a.weights == b.weights
            && zip(a.components, b.components).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    }
}

/// Scores completions for GRPO. Implementations must be deterministic: resumed runs rescore.
public protocol RewardFunction {
    /// Component names, in the order `score` reports them (may be empty).
    var componentNames: [String] { get }
    func score(_ context: RewardContext) -> RewardScore
}

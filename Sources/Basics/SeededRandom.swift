/// Deterministic random numbers with the helpers the task generator draws with: a `SplitMix64`
/// stream, so the same seed gives the same items on every platform and Swift version.
public struct SeededRandom: RandomNumberGenerator {
    private var stream: SplitMix64

    public init(seed: UInt64) {
        stream = SplitMix64(seed: seed)
    }

    public mutating func next() -> UInt64 { stream.next() }

    /// A uniform integer in `range` (unbiased, by rejection).
    public mutating func integer(in range: ClosedRange<Int>) -> Int {
        let width = UInt64(range.upperBound - range.lowerBound) &+ 1
        if width == 0 { return Int(truncatingIfNeeded: next()) }
        let limit = UInt64.max - UInt64.max % width
        var draw = next()
        while draw >= limit { draw = next() }
        return range.lowerBound + Int(draw % width)
    }

    /// A uniform index in `0..<count`; `count` must be positive.
    public mutating func index(_ count: Int) -> Int {
        precondition(count > 0, "index(_:) needs a positive count")
        return integer(in: 0...(count - 1))
    }

    /// A uniform double in [0, 1) with 53 random bits.
    public mutating func unit() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// True with probability `probability`.
    public mutating func chance(_ probability: Double) -> Bool {
        unit() < probability
    }

    /// A uniformly chosen element; `items` must not be empty.
    public mutating func pick<T>(_ items: [T]) -> T {
        items[index(items.count)]
    }

    /// A Fisher–Yates shuffle that depends only on this generator's state.
    public mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for position in stride(from: items.count - 1, to: 0, by: -1) {
            let other = integer(in: 0...position)
            if other != position { items.swapAt(position, other) }
        }
    }

    /// `count` distinct elements in random order (all of them when `count >= items.count`).
    /// Shuffles positions rather than the elements themselves (the same draws, the same order):
    /// moving large structs around cost the task generator most of its time.
    public mutating func sample<T>(_ items: [T], count: Int) -> [T] {
        var order = Array(items.indices)
        shuffle(&order)
        return order.prefix(max(0, count)).map { items[$0] }
    }

    /// A generator for a sub-stream, so that adding draws in one place does not shift another.
    public mutating func fork(_ salt: UInt64) -> SeededRandom {
        SeededRandom(seed: next() ^ (salt &* 0xD6E8_FEB8_6659_FD93))
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014): one 64-bit state word advanced by a Weyl increment and
/// scrambled by a fixed finaliser. Fast, stable across platforms and Swift versions (which
/// `SystemRandomNumberGenerator` does not promise), and the seed expander of `RandomGenerator`.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    @usableFromInline var state: UInt64

    @inlinable
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.finalize(state)
    }

    /// The first output of a generator seeded with `value`: a fixed bijection that scrambles bits
    /// (for deriving ids and sub-seeds from counters).
    @inlinable
    public static func mix(_ value: UInt64) -> UInt64 {
        finalize(value &+ 0x9E37_79B9_7F4A_7C15)
    }

    @inlinable
    static func finalize(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

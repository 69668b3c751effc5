import Basics
import Foundation
import Model

/// The order in which training items are visited: a fresh seeded permutation per epoch, so a
/// run's data stream is fixed by (seed, position) and resuming needs only the position.
public struct DataOrder {
    let count: Int
    let seed: UInt64
    private var epoch = -1
    private var permutation: [Int] = []

    public init(count: Int, seed: UInt64) {
        self.count = count
        self.seed = seed
    }

    /// The item index at stream position `position` (0-based, over all epochs).
    public mutating func item(at position: Int) -> Int {
        let wanted = position / count
        if wanted != epoch {
            epoch = wanted
            var random = RandomGenerator(seed: seed &+ UInt64(wanted) &* 0x9E37_79B9_7F4A_7C15)
            permutation = Array(0..<count)
            permutation.shuffle(using: &random)
        }
        return permutation[position % count]
    }
}

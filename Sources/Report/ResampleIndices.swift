import Basics
import Foundation

/// The bootstrap's resample indices, drawn once per shape and kept. A shape is the sequence of
/// segment sizes one resample draws (a stratum's size, or a stratum's X and Y sizes in turn);
/// for each of the B resamples, each segment draws as many indices below its size as it has.
/// Every interval restarts the generator from the seed, so the draws depend on the shape alone.
final class ResampleIndices: @unchecked Sendable {
    let seed: UInt64
    let resamples: Int
    private var cache: [Key: [Int32]] = [:]
    private var cachedCount = 0
    private var classCache: [Key: ResampleClasses] = [:]
    private let lock = NSLock()

    /// Draws kept at most (16 bytes each with the key's share): beyond this the cache starts over.
    static let capacity = 50_000_000

    private struct Key: Hashable {
        var segments: [Int]
        var pooled: Bool
        /// For classes: of the first segment's draws alone.
        var firstSegmentOnly = false
    }

    init(seed: UInt64, resamples: Int) {
        self.seed = seed
        self.resamples = resamples
    }

    /// B × Σ segments indices, resample by resample, segment by segment. With `pooled`, an index
    /// is offset by the segment's start, i.e. it points into the segments' concatenation;
    /// otherwise it is within its segment.
    func draws(segments: [Int], pooled: Bool = true) -> [Int32] {
        let key = Key(segments: segments, pooled: pooled)
        lock.lock()
        defer { lock.unlock() }
        return drawsLocked(key)
    }

    /// The resamples of `draws(segments:pooled:)` grouped by the multiset drawn in their first
    /// segment (`firstSegmentOnly`) or, pooled, in all of them (`ResampleClasses`).
    func classes(segments: [Int], pooled: Bool = true, firstSegmentOnly: Bool = false) -> ResampleClasses {
        precondition(pooled || firstSegmentOnly, "indices within their own segments overlap")
        let key = Key(segments: segments, pooled: pooled, firstSegmentOnly: firstSegmentOnly)
        lock.lock()
        defer { lock.unlock() }
        if let classes = classCache[key] { return classes }
        let perResample = segments.reduce(0, +)
        let classes = ResampleClasses(draws: drawsLocked(Key(segments: segments, pooled: pooled)), resamples: resamples,
                                      stride: perResample, size: firstSegmentOnly ? segments[0] : perResample)
        if classCache.count > 10_000 { classCache.removeAll() }
        classCache[key] = classes
        return classes
    }

    private func drawsLocked(_ key: Key) -> [Int32] {
        let segments = key.segments, pooled = key.pooled
        if let draws = cache[key] { return draws }
        let perResample = segments.reduce(0, +)
        var draws = [Int32](repeating: 0, count: resamples * perResample)
        var stream = IndexStream(seed: seed)
        var next = 0
        for _ in 0..<resamples {
            var start = 0
            for size in segments {
                for _ in 0..<size {
                    draws[next] = Int32(truncatingIfNeeded: (pooled ? start : 0) + stream.next(below: size))
                    next += 1
                }
                start += size
            }
        }
        if cachedCount + draws.count > Self.capacity {
            cache.removeAll()
            cachedCount = 0
        }
        cache[key] = draws
        cachedCount += draws.count
        return draws
    }
}

/// Uniform indices from a SplitMix64 stream.
struct IndexStream {
    var random: SplitMix64

    init(seed: UInt64) { random = SplitMix64(seed: seed) }

    /// An index in 0..<n: the high 64 bits of a 64-bit draw times n (bias below n / 2^64).
    mutating func next(below n: Int) -> Int {
        Int(random.next().multipliedFullWidth(by: UInt64(n)).high)
    }
}


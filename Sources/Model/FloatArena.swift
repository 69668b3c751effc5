/// One allocation carved into named-by-position float regions: activation sets are allocated
/// once per capacity and reused across calls.
final class FloatArena {
    let base: UnsafeMutablePointer<Float>
    let capacity: Int
    private var used = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        base = .allocate(capacity: self.capacity)
        base.initialize(repeating: 0, count: self.capacity)
    }

    deinit { base.deallocate() }

    /// The next `count` floats (rounded up to 16 floats so regions stay 64-byte aligned).
    func take(_ count: Int) -> UnsafeMutablePointer<Float> {
        let rounded = (count + 15) / 16 * 16
        precondition(used + rounded <= capacity, "FloatArena overflow")
        defer { used += rounded }
        return base + used
    }

    /// The floats `take` would hand out for these region sizes.
    static func size(_ counts: [Int]) -> Int {
        counts.reduce(0) { $0 + ($1 + 15) / 16 * 16 }
    }
}

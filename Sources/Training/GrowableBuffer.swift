/// A buffer that keeps its allocation across steps and grows only when a larger size arrives,
/// so that training steps do not allocate.
final class GrowableBuffer<Element: AdditiveArithmetic> {
    private(set) var pointer: UnsafeMutablePointer<Element>
    private(set) var capacity: Int

    init(capacity: Int = 1) {
        self.capacity = max(1, capacity)
        pointer = .allocate(capacity: self.capacity)
    }

    deinit { pointer.deallocate() }

    /// At least `count` elements, every one set to `value`.
    @discardableResult
    func reset(count: Int, to value: Element = .zero) -> UnsafeMutablePointer<Element> {
        reserve(count)
        pointer.update(repeating: value, count: count)
        return pointer
    }

    /// Room for at least `count` elements; the contents are undefined after growing.
    func reserve(_ count: Int) {
        if count > capacity {
            pointer.deallocate()
            capacity = count
            pointer = .allocate(capacity: capacity)
        }
    }
}

/// Per-token floats (log-probs, masks, gradients) reused across steps.
typealias ScratchBuffer = GrowableBuffer<Float>
/// Per-token ids (targets) reused across steps.
typealias TokenScratch = GrowableBuffer<Int32>

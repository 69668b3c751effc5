/// A buffer that keeps its allocation across uses and grows only when a larger size arrives, so
/// that training steps and file reads in a loop do not allocate.
public final class GrowableBuffer<Element> {
    public private(set) var pointer: UnsafeMutablePointer<Element>
    public private(set) var capacity: Int

    public init(capacity: Int = 1) {
        self.capacity = Swift.max(1, capacity)
        pointer = .allocate(capacity: self.capacity)
    }

    deinit { pointer.deallocate() }

    /// Room for at least `count` elements. Growing discards the contents unless `preserving`
    /// names how many leading elements to keep.
    @inlinable
    public func reserve(_ count: Int, preserving kept: Int = 0) {
        guard count > capacity else { return }
        let grown = UnsafeMutablePointer<Element>.allocate(capacity: count)
        if kept > 0 { grown.moveInitialize(from: pointer, count: Swift.min(kept, capacity)) }
        pointer.deallocate()
        replace(grown, capacity: count)
    }

    @usableFromInline
    func replace(_ newPointer: UnsafeMutablePointer<Element>, capacity newCapacity: Int) {
        pointer = newPointer
        capacity = newCapacity
    }
}

extension GrowableBuffer where Element: AdditiveArithmetic {
    /// At least `count` elements, every one set to `value`.
    @inlinable @discardableResult
    public func reset(count: Int, to value: Element = .zero) -> UnsafeMutablePointer<Element> {
        reserve(count)
        pointer.update(repeating: value, count: count)
        return pointer
    }
}

import Foundation
import Model

/// Reusable token rows [B, T] (row-major, right-padded) for forward passes, grown only when a
/// larger shape arrives so that steps do not allocate.
final class TokenRows {
    private(set) var tokens: UnsafeMutablePointer<Int32>
    private(set) var capacity: Int
    private(set) var batchSize = 0
    private(set) var sequenceLength = 0

    init(capacity: Int = 1) {
        self.capacity = max(1, capacity)
        tokens = .allocate(capacity: self.capacity)
    }

    deinit { tokens.deallocate() }

    /// Lays out `rows` (each at most `width` tokens) as [rows.count, width], padded with `padding`.
    func fill(_ rows: [[Int32]], width: Int, padding: Int32) {
        let needed = rows.count * width
        if needed > capacity {
            tokens.deallocate()
            capacity = needed
            tokens = .allocate(capacity: capacity)
        }
        batchSize = rows.count
        sequenceLength = width
        for (r, row) in rows.enumerated() {
            let start = tokens + r * width
            let count = min(row.count, width)
            row.withUnsafeBufferPointer { start.update(from: $0.baseAddress!, count: count) }
            if count < width { (start + count).update(repeating: padding, count: width - count) }
        }
    }
}

/// A Float buffer that keeps its allocation across steps.
final class ScratchBuffer {
    private(set) var pointer: UnsafeMutablePointer<Float>
    private(set) var capacity: Int

    init(capacity: Int = 1) {
        self.capacity = max(1, capacity)
        pointer = .allocate(capacity: self.capacity)
    }

    deinit { pointer.deallocate() }

    /// At least `count` floats, set to `value`.
    @discardableResult
    func reset(count: Int, to value: Float = 0) -> UnsafeMutablePointer<Float> {
        reserve(count)
        pointer.update(repeating: value, count: count)
        return pointer
    }

    func reserve(_ count: Int) {
        if count > capacity {
            pointer.deallocate()
            capacity = count
            pointer = .allocate(capacity: capacity)
        }
    }
}

/// An Int32 buffer that keeps its allocation across steps.
final class TokenScratch {
    private(set) var pointer: UnsafeMutablePointer<Int32>
    private(set) var capacity: Int

    init(capacity: Int = 1) {
        self.capacity = max(1, capacity)
        pointer = .allocate(capacity: self.capacity)
    }

    deinit { pointer.deallocate() }

    @discardableResult
    func reset(count: Int, to value: Int32) -> UnsafeMutablePointer<Int32> {
        if count > capacity {
            pointer.deallocate()
            capacity = count
            pointer = .allocate(capacity: capacity)
        }
        pointer.update(repeating: value, count: count)
        return pointer
    }
}
